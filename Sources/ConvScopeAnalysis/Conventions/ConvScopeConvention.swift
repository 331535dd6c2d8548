import ConvScopeCore
import ConvScopeReport

/// ConvScope's own count (see ``Cost``): FLOPs = 2 x MACs + adds + multiplies + divides +
/// compares + exponentials + others, every node as the op rules record it. Components give
/// each elementary count, so MACs and FLOPs are both at hand.
enum ConvScopeCounting: CountingConvention {
  static let configuration = ConventionConfiguration(
    name: "convscope", toolName: "ConvScope", toolVersion: ConvScopeVersion.current, unit: "FLOPs",
    summary: "2 per MAC + 1 per other op: bias, BatchNorm, activations, pools and residual adds all included",
    sources: ["Sources/ConvScope/Ops/Cost.swift", "docs/conventions.md"])

  /// Every family: the rule's own cost is the count.
  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    let cost = layer.row.cost
    return LayerCount(
      figure: try cost.flops(),
      components: [
        "MACs": cost.macs, "adds": cost.adds, "multiplies": cost.multiplies, "divides": cost.divides,
        "compares": cost.compares, "exponentials": cost.exponentials, "others": cost.others,
      ])
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int { layer.row.params }
}
