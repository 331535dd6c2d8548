import ConvScopeCore
import ConvScopeReport

/// The pieces of a layer row that every text renderer shows, written once so
/// the table, Markdown and CSV agree to the character.
extension LayerRow {
  /// Data input shapes in the model's layout: `57x57x1`, several joined by `, `.
  var inputShapeText: String { inputShapes.map(\.displayShape.description).joined(separator: ", ") }

  /// Output shapes in the model's layout: `57x57x16`, several joined by `, `; `?` when unknown.
  var outputShapeText: String {
    outputs.isEmpty ? "?" : outputs.map(\.displayShape.description).joined(separator: ", ")
  }

  /// `1x5`, or empty without a window.
  var kernelText: String { window.map { $0.kernel.map(String.init).joined(separator: "x") } ?? "" }

  /// `2`, or `2x1` when the axes differ; empty without a window.
  var strideText: String { window.map { Self.collapsed($0.strides) } ?? "" }

  /// `2`, or `2x1`; empty without a window or when every dilation is 1.
  var dilationText: String {
    guard let window, window.dilations.contains(where: { $0 != 1 }) else { return "" }
    return Self.collapsed(window.dilations)
  }

  /// The real padding per spatial axis, begin+end: `0+0, 2+2`; empty without a window.
  var paddingText: String {
    guard let window else { return "" }
    return zip(window.padsBegin, window.padsEnd).map { "\($0)+\($1)" }.joined(separator: ", ")
  }

  /// The receptive field's size per spatial axis, `5x5`, flagged when it is not a plain
  /// field; empty when the layer has none.
  var receptiveFieldText: String {
    guard let field = receptiveField, !field.size.isEmpty else { return "" }
    var text = field.size.map(String.init).joined(separator: "x")
    if field.throughUpsampling { text += " (through upsampling)" }
    if field.misaligned { text += " (misaligned paths)" }
    return text
  }

  /// The output-size formulas, each labelled with its spatial axis for a sliding window
  /// (`H: (57-1+0+0)/1+1 = 57`), else together as the rule wrote them (`out: 1, 32*4*4 = 512`).
  var labelledShapeFormulas: [String] {
    guard !shapeFormulas.isEmpty else { return [] }
    guard let window, window.kernel.count == shapeFormulas.count else {
      return ["out: " + shapeFormulas.joined(separator: ", ")]
    }
    return zip(Self.axisLabels(count: shapeFormulas.count), shapeFormulas).map { "\($0): \($1)" }
  }

  /// A layer name as the terminal table shows it. Exporters write module paths such as
  /// PyTorch's `/layer1/layer1.0/conv1/Conv`: the leading `/`, a last part that repeats the
  /// op type (shown in its own column) and a parent that the next part repeats are left
  /// out, which gives the module path `layer1.0/conv1`. Other names are unchanged.
  static func compactName(_ name: String, op: String?) -> String {
    var parts = name.split(separator: "/").map(String.init)
    guard parts.count > 1 else { return name }
    if let op, let last = parts.last,
      last == op || (last.hasPrefix(op + "_") && last.dropFirst(op.count + 1).allSatisfy(\.isNumber))
    {
      parts.removeLast()
    }
    let kept = parts.indices.filter { i in i + 1 == parts.count || !parts[i + 1].hasPrefix(parts[i] + ".") }
    return kept.map { parts[$0] }.joined(separator: "/")
  }

  /// Spatial axis names: `W`; `H, W`; `D, H, W`; beyond three, `axis 0`, `axis 1`...
  static func axisLabels(count: Int) -> [String] {
    switch count {
    case 1: ["W"]
    case 2: ["H", "W"]
    case 3: ["D", "H", "W"]
    default: (0..<count).map { "axis \($0)" }
    }
  }

  /// `2` when every axis agrees, else `2x1`.
  private static func collapsed(_ values: [Int]) -> String {
    guard let first = values.first, values.allSatisfy({ $0 == first }) else {
      return values.map(String.init).joined(separator: "x")
    }
    return "\(first)"
  }
}

extension Report {
  /// The rows renderers list: folded shape arithmetic is left out.
  var visibleLayers: [LayerRow] { layers.filter { !$0.folded } }

  /// How many rows were folded away (constant shape arithmetic).
  var foldedCount: Int { layers.count { $0.folded } }

  /// The parts of the FLOPs total: `["2*MACs", "adds 51,984", "compares 1,024"]`.
  var flopsParts: [String] {
    let cost = totals.cost
    let parts: [(String, Int)] = [
      ("adds", cost.adds), ("multiplies", cost.multiplies), ("divides", cost.divides),
      ("compares", cost.compares), ("exponentials", cost.exponentials), ("others", cost.others),
    ]
    return ["2*MACs"] + parts.filter { $0.1 != 0 }.map { "\($0.0) \(NumberFormatting.grouped($0.1))" }
  }

  /// The FLOPs total spelled out from its parts: `2*MACs + adds 51,984 + compares 1,024`.
  var flopsBreakdown: String { flopsParts.joined(separator: " + ") }

  /// The op type of the layer named `name`, if there is one.
  func op(ofLayer name: String) -> String? { layers.first { $0.name == name }?.op }

  /// Each layer's name as the terminal table shows it (``LayerRow/compactName(_:op:)``), made
  /// unique: where layers compact to one name (a Keras conv `conv2d` and its fused ReLU
  /// `conv2d/Relu`; Caffe's `fc6` and its implicit `fc6/Flatten`), those that left out their
  /// op part keep it.
  var displayNames: [String: String] {
    var names: [String: String] = [:]
    var uses: [String: Int] = [:]
    names.reserveCapacity(layers.count)
    for layer in layers where names[layer.name] == nil {
      let compact = LayerRow.compactName(layer.name, op: layer.op)
      names[layer.name] = compact
      uses[compact, default: 0] += 1
    }
    for (name, compact) in names where uses[compact, default: 0] > 1 {
      names[name] = LayerRow.compactName(name, op: nil)
    }
    return names
  }

  /// The op type of every layer by name (the first layer of a repeated name): for looking up
  /// many names, where ``op(ofLayer:)`` would scan the layers once per name.
  var opsByLayer: [String: String] {
    var ops: [String: String] = [:]
    ops.reserveCapacity(layers.count)
    for layer in layers where ops[layer.name] == nil { ops[layer.name] = layer.op }
    return ops
  }
}
