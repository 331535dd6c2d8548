import ConvScopeCore
import ConvScopeReport

/// The data flow as a Graphviz digraph: one box per listed layer, labelled
/// with its name, op, output shape and MACs and shaded by its share of the
/// MACs (darker is heavier, readable in greyscale); an ellipse per graph
/// input; an edge per tensor passed on. Layers that share a module path
/// (`layer1.0...`) sit in nested clusters, so a large network reads as its
/// blocks. Render with `dot -Tsvg model.dot -o model.svg`.
public enum DOTRenderer {
  /// `report` as DOT; ends with a newline.
  public static func render(_ report: Report) -> String {
    let layers = report.visibleLayers
    var lines = [
      "digraph \(quote(report.model.name.isEmpty ? "model" : report.model.name)) {",
      "  graph [rankdir=TB, newrank=true, nodesep=0.25, ranksep=0.3, fontname=\"Helvetica\", fontsize=11, labelloc=t,",
      "         label=\(quote(summary(report)))];",
      "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=9, margin=\"0.08,0.03\",",
      "        color=\"#555555\"];",
      "  edge [color=\"#666666\", arrowsize=0.6];",
    ]
    var producer: [String: String] = [:]
    for (index, input) in report.inputs.enumerated() {
      let id = "input\(index)"
      producer[input.name] = id
      lines.append(
        "  \(id) [shape=ellipse, style=filled, fillcolor=\"#eeeeee\", "
          + "label=\(quote("\(input.name)\n\(input.displayShape)"))];"
      )
    }
    for (index, layer) in layers.enumerated() {
      for output in layer.outputs { producer[output.name] = "n\(index)" }
    }
    let chains = clusterChains(layers)
    lines += statements(Array(layers.indices), level: 0, chains: chains, layers: layers, indent: "  ")
    for (index, layer) in layers.enumerated() {
      var seen: Set<String> = []
      for input in layer.inputs {
        guard let source = producer[input], source != "n\(index)", seen.insert(source).inserted else { continue }
        lines.append("  \(source) -> n\(index);")
      }
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// For each layer, the module-path prefixes that become its clusters, outermost first: a prefix
  /// is a cluster when at least two layers share it and it holds fewer layers than the prefix above.
  /// Only the first ``maxClusterDepth`` levels of a path count: the prefixes are joined once per
  /// length (quadratic in the depth) and the clusters nest by recursion.
  static func clusterChains(_ layers: [LayerRow]) -> [[String]] {
    let paths = layers.map { layer -> [String] in
      guard let group = layer.group, !group.isEmpty else { return [] }
      return group.split(separator: ".").prefix(maxClusterDepth).map(String.init)
    }
    var counts: [String: Int] = [:]
    for path in paths {
      for length in 1...max(path.count, 1) where length <= path.count {
        counts[path.prefix(length).joined(separator: "."), default: 0] += 1
      }
    }
    return paths.map { path in
      guard !path.isEmpty else { return [] }
      return (1...path.count).compactMap { length in
        let prefix = path.prefix(length).joined(separator: ".")
        let count = counts[prefix] ?? 0
        let parent = length == 1 ? Int.max : counts[path.prefix(length - 1).joined(separator: "."), default: 0]
        return count >= 2 && count < parent ? prefix : nil
      }
    }
  }

  /// How many module levels become nested clusters; deeper levels stay in the innermost one.
  static let maxClusterDepth = 32

  /// Node statements for `members`, with a nested `subgraph cluster_...` per cluster at `level`.
  private static func statements(
    _ members: [Int], level: Int, chains: [[String]], layers: [LayerRow], indent: String
  ) -> [String] {
    var lines: [String] = []
    var order: [String] = []
    var inCluster: [String: [Int]] = [:]
    for index in members {
      guard level < chains[index].count else {
        lines.append(indent + node(index, layers[index]))
        continue
      }
      let cluster = chains[index][level]
      if inCluster[cluster] == nil { order.append(cluster) }
      inCluster[cluster, default: []].append(index)
    }
    for cluster in order {
      lines.append(indent + "subgraph \(quote("cluster_" + cluster)) {")
      lines.append(indent + "  label=\(quote(cluster)); style=\"rounded\"; color=\"#999999\"; fontsize=10;")
      lines += statements(
        inCluster[cluster] ?? [], level: level + 1, chains: chains, layers: layers, indent: indent + "  ")
      lines.append(indent + "}")
    }
    return lines
  }

  /// Five fills from white to dark blue by MACs share; the darkest two take white text.
  private static let shades = ["#ffffff", "#dbe7f3", "#a9c4e0", "#5b87b5", "#1f4e79"]

  private static func node(_ index: Int, _ layer: LayerRow) -> String {
    let share = layer.macsShare
    let shade = share >= 0.1 ? 4 : share >= 0.03 ? 3 : share >= 0.01 ? 2 : share > 0 ? 1 : 0
    let name = LayerRow.compactName(layer.name, op: layer.op)
    let macs = layer.supported ? "MACs \(NumberFormatting.human(layer.macs))" : "not analysed"
    let label = "\(name)\n\(layer.op) · \(layer.outputShapeText)\n\(macs)"
    let font = shade >= 3 ? ", fontcolor=\"#ffffff\"" : ""
    return "n\(index) [label=\(quote(label)), fillcolor=\"\(shades[shade])\"\(font), tooltip=\(quote(layer.name))];"
  }

  private static func summary(_ report: Report) -> String {
    let t = report.totals
    return "\(report.model.name): \(NumberFormatting.human(t.params)) params, \(NumberFormatting.human(t.macs)) MACs"
  }

  /// A DOT string literal: quotes and backslashes escaped, newlines as `\n`.
  static func quote(_ text: String) -> String {
    var out = "\""
    for character in text {
      switch character {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      default: out.append(character)
      }
    }
    return out + "\""
  }
}
