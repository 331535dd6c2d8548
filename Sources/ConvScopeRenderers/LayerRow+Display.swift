import ConvScopeCore
import ConvScopeReport

/// The pieces of a layer row that every text renderer shows, written once so
/// the table, Markdown and CSV agree to the character.
extension LayerRow {
  /// Data input shapes in the model's layout: `57x57x1`, several joined by `, `.
  var inputShapeText: String { Self.shapesText(inputShapes) }

  /// Output shapes in the model's layout: `57x57x16`, several joined by `, `; `?` when unknown.
  var outputShapeText: String {
    outputs.isEmpty ? "?" : Self.shapesText(outputs)
  }

  /// The tensors' display shapes joined by `, ` (one tensor's shape without building a list).
  private static func shapesText(_ tensors: [TensorSummary]) -> String {
    tensors.count == 1
      ? tensors[0].displayShape.description : tensors.map(\.displayShape.description).joined(separator: ", ")
  }

  /// `1x5`, or empty without a window.
  var kernelText: String { window.map { DecimalDigits.joined($0.kernel, separator: "x") } ?? "" }

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
    let axes = min(window.padsBegin.count, window.padsEnd.count)
    return DecimalDigits.text(capacity: axes * (2 * DecimalDigits.maxCount + 3)) { out in
      for axis in 0..<axes {
        if axis > 0 { out.append(", ") }
        out.append(window.padsBegin[axis])
        out.append("+")
        out.append(window.padsEnd[axis])
      }
    }
  }

  /// The receptive field's size per spatial axis, `5x5`, flagged when it is not a plain
  /// field; empty when the layer has none.
  var receptiveFieldText: String {
    guard let field = receptiveField, !field.size.isEmpty else { return "" }
    var text = DecimalDigits.joined(field.size, separator: "x")
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
    var bytes = name  // its UTF-8 in place, read as one buffer
    guard bytes.withUTF8({ $0.contains(UInt8(ascii: "/")) }) else { return name }
    if isPrintableASCII(name) && isPrintableASCII(op ?? "") { return compactASCIIName(name, op: op) }
    return compactCharacterName(name, op: op)
  }

  /// ``compactName(_:op:)`` over characters, for any name.
  static func compactCharacterName(_ name: String, op: String?) -> String {
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

  /// ``compactName(_:op:)`` over the UTF-8 of a printable ASCII name and op, where a character
  /// is a byte and comparing bytes is comparing characters.
  private static func compactASCIIName(_ name: String, op: String?) -> String {
    var name = name
    var op = op
    let compact: String? = name.withUTF8 { bytes in
      guard op != nil else { return compactASCII(bytes, op: nil) }
      return op!.withUTF8 { compactASCII(bytes, op: $0) }
    }
    return compact ?? name
  }

  /// ``compactASCIIName(_:op:)`` on bytes: the parts are offsets into `name` (kept on the
  /// stack) and the result is written once. Nil when `name` has fewer than two parts.
  private static func compactASCII(_ name: UnsafeBufferPointer<UInt8>, op: UnsafeBufferPointer<UInt8>?) -> String? {
    let slash = UInt8(ascii: "/")
    return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: name.count / 2 + 1) { parts in
      var count = 0
      var start = 0
      for i in 0...name.count where i == name.count || name[i] == slash {
        if start < i {
          parts[count] = start..<i
          count += 1
        }
        start = i + 1
      }
      guard count > 1 else { return nil }
      func bytes(_ range: Range<Int>) -> Slice<UnsafeBufferPointer<UInt8>> { name[range] }
      // A last part that repeats the op type (`Conv`, `Conv_3`) is left out.
      if let op, let last = Optional(parts[count - 1]), last.count >= op.count,
        bytes(last.lowerBound..<last.lowerBound + op.count).elementsEqual(op)
      {
        let rest = bytes(last.lowerBound + op.count..<last.upperBound)
        if rest.isEmpty
          || (rest.first == UInt8(ascii: "_") && rest.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
        {
          count -= 1
        }
      }
      return String(unsafeUninitializedCapacity: name.count) { out in
        var written = 0
        for i in 0..<count {
          let part = parts[i]
          // A parent the next part repeats (`layer1` before `layer1.0`) is left out.
          if i + 1 < count, case let next = parts[i + 1], next.count > part.count,
            bytes(next.lowerBound..<next.lowerBound + part.count).elementsEqual(bytes(part)),
            name[next.lowerBound + part.count] == UInt8(ascii: ".")
          {
            continue
          }
          if written > 0 {
            out[written] = slash
            written += 1
          }
          for byte in bytes(part) {
            out[written] = byte
            written += 1
          }
        }
        return written
      }
    }
  }

  /// Whether every byte of `text` is a printable ASCII character (space to `~`).
  private static func isPrintableASCII(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
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
      return DecimalDigits.joined(values, separator: "x")
    }
    return String(first)
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
  var displayNames: DisplayNames { DisplayNames(layers) }

  /// The op type of every layer by name (the first layer of a repeated name): for looking up
  /// many names, where ``op(ofLayer:)`` would scan the layers once per name.
  var opsByLayer: [String: String] {
    var ops: [String: String] = [:]
    ops.reserveCapacity(layers.count)
    for layer in layers where ops[layer.name] == nil { ops[layer.name] = layer.op }
    return ops
  }
}

/// The layers' names as the terminal table shows them (see ``Report/displayNames``): by
/// position in the report's layers, and by name.
struct DisplayNames {
  /// The name shown for each of the report's layers, in order (a repeated name shows as its
  /// first layer's does).
  let byLayer: [String]
  /// The first layer of each name.
  private let firstLayer: [String: Int]

  init(_ layers: [LayerRow]) {
    var firstLayer: [String: Int] = [:]
    var uses: [String: Int] = [:]
    var names: [String] = []
    var firstOf: [Int] = []  // the first layer of each layer's name, so that no name is hashed twice
    firstLayer.reserveCapacity(layers.count)
    uses.reserveCapacity(layers.count)
    names.reserveCapacity(layers.count)
    firstOf.reserveCapacity(layers.count)
    var shared = false
    // By index: a `LayerRow` is large, and iterating copies each one.
    for index in layers.indices {
      // One hash lookup each: the slot is read and, when empty, filled.
      let first = Self.claim(&firstLayer[layers[index].name], index)
      firstOf.append(first)
      guard first == index else {
        names.append(names[first])
        continue
      }
      let compact = LayerRow.compactName(layers[index].name, op: layers[index].op)
      names.append(compact)
      if Self.countUse(&uses[compact, default: 0]) { shared = true }
    }
    if shared {
      for index in layers.indices where firstOf[index] == index && uses[names[index], default: 0] > 1 {
        names[index] = LayerRow.compactName(layers[index].name, op: nil)
      }
      for index in layers.indices where firstOf[index] != index { names[index] = names[firstOf[index]] }
    }
    byLayer = names
    self.firstLayer = firstLayer
  }

  /// `slot`'s value, after setting it to `value` when it was empty.
  private static func claim(_ slot: inout Int?, _ value: Int) -> Int {
    if let taken = slot { return taken }
    slot = value
    return value
  }

  /// Counts one more use in `uses`; whether there was one before.
  private static func countUse(_ uses: inout Int) -> Bool {
    uses += 1
    return uses > 1
  }

  /// The name shown for the layer named `name`, if there is one.
  subscript(name: String) -> String? { firstLayer[name].map { byLayer[$0] } }
}
