import ConvScopeCore
import ConvScopeReport

/// The report's per-layer arrays (`layers`, the memory `timeline`) written field by field, in
/// the text ``JSONTextEncoder`` gives them through `Encodable` (sorted keys, absent optionals
/// left out): they are nearly all of a large model's JSON, and the generic encoding cost about
/// 400,000 instructions a layer. `JSONTextEncoderTests` holds both to JSONEncoder's text.
enum JSONLayerRows {
  /// Writes `value` and returns true when it is one of the arrays written here.
  static func write(_ value: any Encodable, level: Int, to sink: JSONTextSink) throws -> Bool {
    if let rows = value as? [LayerRow] {
      try layers(rows, level: level, sink)
    } else if let timeline = value as? [MemorySummary.LiveBytes] {
      try array(timeline, level: level, sink) { entry, level in
        var object = ObjectWriter(sink: sink, level: level)
        object.int("live_bytes", entry.liveBytes)
        object.string("node", entry.node)
        object.end()
      }
    } else {
      return false
    }
    return true
  }

  private static func array<T>(
    _ elements: [T], level: Int, _ sink: JSONTextSink, element: (T, Int) throws -> Void
  ) throws {
    sink.append("[\n")
    for (index, value) in elements.enumerated() {
      startElement(index, level: level, sink)
      try element(value, level + 1)
      try sink.flushIfFull()
    }
    endArray(level: level, sink)
  }

  /// What comes before element `index` of an array at `level`: the comma ending the element
  /// before, and the element's indent.
  private static func startElement(_ index: Int, level: Int, _ sink: JSONTextSink) {
    if index > 0 { sink.append(",\n") }
    sink.indent(level + 1)
  }

  /// An array's end: its last line ended, then `]` at the array's indent.
  private static func endArray(level: Int, _ sink: JSONTextSink) {
    sink.append("\n")
    sink.indent(level)
    sink.append("]")
  }

  /// The `layers` array: the text ``array(_:level:_:element:)`` writes, a large model's rows
  /// written on several threads (``ParallelRows``), each into a sink of its own, a few hundred
  /// rows a thread at a time, and appended in order.
  private static func layers(_ rows: [LayerRow], level: Int, _ sink: JSONTextSink) throws {
    let workers = ParallelRows.workers(for: rows.count)
    guard workers > 1 else {
      return try array(rows, level: level, sink) { row, level in try write(row, level: level, sink) }
    }
    sink.append("[\n")
    // One sink a thread, reused round after round (each is written by its own thread only).
    let pieces = (0..<workers).map { _ in JSONTextSink() }
    try ParallelRows.rounds(count: rows.count, workers: workers) { worker, indices in
      Result { () throws in
        let piece = pieces[worker]
        piece.removeAll()
        for index in indices {
          startElement(index, level: level, piece)
          try write(rows[index], level: level + 1, piece)
        }
        return piece
      }
    } consume: { (result) throws in
      try sink.append(flushing: try result.get().bytes)
    }
    endArray(level: level, sink)
  }

  private static func write(_ row: LayerRow, level: Int, _ sink: JSONTextSink) throws {
    var object = ObjectWriter(sink: sink, level: level)
    object.int("activation_bytes", row.activationBytes)
    object.int("activation_elements", row.activationElements)
    if let figure = row.conventionFigure { object.int("convention_figure", figure) }
    object.key("cost")
    var cost = ObjectWriter(sink: sink, level: level + 1)
    cost.int("adds", row.cost.adds)
    cost.int("compares", row.cost.compares)
    cost.int("divides", row.cost.divides)
    cost.int("exponentials", row.cost.exponentials)
    cost.int("macs", row.cost.macs)
    cost.int("multiplies", row.cost.multiplies)
    cost.int("others", row.cost.others)
    cost.end()
    object.int("flops", row.flops)
    object.bool("folded", row.folded)
    if let group = row.group { object.string("group", group) }
    object.key("input_shapes")
    tensors(row.inputShapes, level: level + 1, sink)
    object.key("inputs")
    list(row.inputs, level: level + 1, sink) { sink.quoted($0) }
    object.int("macs", row.macs)
    try object.double("macs_share", row.macsShare)
    object.string("name", row.name)
    object.int("non_trainable_params", row.nonTrainableParams)
    object.string("op", row.op)
    object.key("outputs")
    tensors(row.outputs, level: level + 1, sink)
    if let formula = row.paramFormula { object.string("param_formula", formula) }
    object.int("params", row.params)
    try object.double("params_share", row.paramsShare)
    if let field = row.receptiveField {
      object.key("receptive_field")
      var nested = ObjectWriter(sink: sink, level: level + 1)
      try nested.doubles("jump", field.jump)
      nested.bool("misaligned", field.misaligned)
      nested.ints("size", field.size)
      try nested.doubles("start", field.start)
      nested.bool("through_upsampling", field.throughUpsampling)
      nested.end()
    }
    object.key("shape_formulas")
    list(row.shapeFormulas, level: level + 1, sink) { sink.quoted($0) }
    object.bool("supported", row.supported)
    object.key("warnings")
    list(row.warnings, level: level + 1, sink) { sink.quoted($0) }
    object.int("weight_bytes", row.weightBytes)
    if let window = row.window {
      object.key("window")
      var nested = ObjectWriter(sink: sink, level: level + 1)
      nested.bool("ceil_mode", window.ceilMode)
      nested.ints("dilations", window.dilations)
      nested.ints("kernel", window.kernel)
      nested.ints("pads_begin", window.padsBegin)
      nested.ints("pads_end", window.padsEnd)
      nested.ints("strides", window.strides)
      nested.bool("transposed", window.transposed)
      nested.end()
    }
    object.end()
  }

  private static func tensors(_ tensors: [TensorSummary], level: Int, _ sink: JSONTextSink) {
    list(tensors, level: level, sink) { tensor in
      var object = ObjectWriter(sink: sink, level: level + 1)
      object.key("display_shape")
      list(tensor.displayShape.dims, level: level + 2, sink) { dim($0, sink) }
      object.string("dtype", tensor.dtype.rawValue)
      if let kind = tensor.kind { object.string("kind", kind.rawValue) }
      object.string("name", tensor.name)
      object.key("shape")
      list(tensor.shape.dims, level: level + 2, sink) { dim($0, sink) }
      object.end()
    }
  }

  private static func dim(_ dim: Dim, _ sink: JSONTextSink) {
    switch dim {
    case .fixed(let value): sink.append(String(value))
    case .symbolic(let name): sink.quoted(name.isEmpty ? "?" : name)
    }
  }

  /// An array at `level` whose elements `element` writes.
  fileprivate static func list<T>(_ elements: [T], level: Int, _ sink: JSONTextSink, element: (T) -> Void) {
    sink.append("[\n")
    for (index, value) in elements.enumerated() {
      if index > 0 { sink.append(",\n") }
      sink.indent(level + 1)
      element(value)
    }
    sink.append("\n")
    sink.indent(level)
    sink.append("]")
  }

  /// An object at `level`, its fields written in the order given (the caller sorts them).
  private struct ObjectWriter {
    let sink: JSONTextSink
    let level: Int
    var count = 0

    init(sink: JSONTextSink, level: Int) {
      self.sink = sink
      self.level = level
      sink.append("{\n")
    }

    mutating func key(_ key: String) {
      if count > 0 { sink.append(",\n") }
      count += 1
      sink.indent(level + 1)
      // The keys are the schema's snake-case names, which need no escapes.
      sink.append(byte: UInt8(ascii: "\""))
      sink.append(key)
      sink.append("\" : ")
    }

    mutating func int(_ key: String, _ value: Int) {
      self.key(key)
      sink.append(String(value))
    }

    mutating func string(_ key: String, _ value: String) {
      self.key(key)
      sink.quoted(value)
    }

    mutating func bool(_ key: String, _ value: Bool) {
      self.key(key)
      sink.append(value ? "true" : "false")
    }

    mutating func double(_ key: String, _ value: Double) throws {
      self.key(key)
      sink.append(try JSONTextEncoder.number(value, path: []))
    }

    mutating func ints(_ key: String, _ values: [Int]) {
      self.key(key)
      JSONLayerRows.list(values, level: level + 1, sink) { sink.append(String($0)) }
    }

    mutating func doubles(_ key: String, _ values: [Double]) throws {
      self.key(key)
      let texts = try values.map { try JSONTextEncoder.number($0, path: []) }
      JSONLayerRows.list(texts, level: level + 1, sink) { sink.append($0) }
    }

    func end() {
      sink.append("\n")
      sink.indent(level)
      sink.append("}")
    }
  }
}
