import ConvScopeCore
import ConvScopeReport

/// Collapses layer rows to a module depth, like torchinfo's `depth`: rows whose
/// module path (``LayerRow/group``, e.g. `layer1.0.conv1` from the exporter's node name
/// `/layer1/layer1.0/conv1/Conv`) shares its first `depth` components become one row
/// named by that prefix, with summed params and costs and the last node's outputs.
///
/// Module paths follow PyTorch's nesting, where a child's name extends its parent's:
/// depth 1 is `layer1`, depth 2 `layer1.0`, depth 3 `layer1.0.conv1`. Only consecutive
/// rows merge (a module runs as one contiguous block); rows without a module path
/// (functional calls at the top level) and folded rows stay as they are. A merged row's
/// op is `module`; its inputs and input shapes are those of its first node.
///
/// Example: ResNet-18 at depth 1 gives one `layer1` row with the MACs of its four
/// 3x3 64→64 convolutions on 56x56: `4 * 56*56*64 * 3*3*64 = 462_422_016`.
public enum ModuleDepth {
  /// `report` with its layers collapsed to `depth` (at least 1); totals are unchanged.
  /// Sums are overflow-checked like every other count (the error names the merged row).
  public static func collapse(_ report: Report, depth: Int) throws(ConvScopeError) -> Report {
    var collapsed: [LayerRow] = []
    var currentKey: String?
    for row in report.layers {
      guard !row.folded, let group = row.group, let key = prefix(of: group, depth: max(1, depth)) else {
        collapsed.append(row)
        currentKey = nil
        continue
      }
      if key == currentKey, var merged = collapsed.popLast() {
        do {
          try merge(row, into: &merged)
        } catch {
          throw ConvScopeError(
            file: report.model.source, layer: merged.name, field: RequestField.depth.rawValue, message: error.message)
        }
        collapsed.append(merged)
      } else {
        var first = row
        first.name = key
        first.group = key
        collapsed.append(first)
        currentKey = key
      }
    }
    var result = report
    result.layers = collapsed
    return result
  }

  /// The first `depth` components of a dotted module path; nil when it is empty.
  static func prefix(of path: String, depth: Int) -> String? {
    let parts = path.split(separator: ".", omittingEmptySubsequences: false)
    guard !path.isEmpty else { return nil }
    return parts.prefix(depth).joined(separator: ".")
  }

  private static func merge(_ row: LayerRow, into merged: inout LayerRow) throws(OpError) {
    merged.op = "module"
    merged.facts = OpFacts()  // a module is no single op: no family, weight or bias of its own
    merged.outputs = row.outputs
    merged.window = nil
    merged.shapeFormulas = []
    merged.paramFormula = nil
    merged.params = try Checked.add(merged.params, row.params)
    merged.nonTrainableParams = try Checked.add(merged.nonTrainableParams, row.nonTrainableParams)
    merged.weightBytes = try Checked.add(merged.weightBytes, row.weightBytes)
    merged.cost = try merged.cost.adding(row.cost)
    merged.macs = try Checked.add(merged.macs, row.macs)
    merged.flops = try Checked.add(merged.flops, row.flops)
    merged.activationElements = try Checked.add(merged.activationElements, row.activationElements)
    merged.activationBytes = try Checked.add(merged.activationBytes, row.activationBytes)
    merged.macsShare += row.macsShare
    merged.paramsShare += row.paramsShare
    merged.supported = merged.supported && row.supported
    merged.warnings += row.warnings
    merged.receptiveField = row.receptiveField
    if let figure = row.conventionFigure {
      merged.conventionFigure = try Checked.add(merged.conventionFigure ?? 0, figure)
    }
  }
}
