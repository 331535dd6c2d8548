import ConvScopeCore

/// Reads a Caffe `NetParameter` (deploy prototxt) into a graph: declares the inputs,
/// then translates the layers in file order through ``CaffeLayerTable``, renaming
/// blobs so that in-place layers (`top == bottom`) keep the graph in SSA form.
struct CaffeNetReader {
  private let net: PrototxtMessage
  private let state = CaffeGraphState()
  /// The graph tensor each Caffe blob name currently stands for.
  private var blobs: [String: String] = [:]
  private var inputs: [TensorInfo] = []
  /// Tensors in the order they were produced, and those some layer reads.
  private var produced: [String] = []
  private var consumed: Set<String> = []

  init(net: PrototxtMessage) { self.net = net }

  /// The graph of the whole net.
  mutating func read() throws(ConvScopeError) -> Graph {
    try declareHeaderInputs()
    // Every layer is checked before any is translated, and built when translated (holding
    // them all costs more than reading each block twice on a large net).
    var kept: [Int] = []  // the places in `net.fields` of the layers that run at test time
    for (index, field) in net.fields.enumerated() where field.name == "layer" || field.name == "layers" {
      if try CaffeLayer.runsAtTest(field, index: index) { kept.append(index) }
    }
    state.assembler.reserveCapacity(layers: kept.count)
    state.ranks.reserveCapacity(kept.count)
    blobs.reserveCapacity(kept.count)
    produced.reserveCapacity(kept.count)
    consumed.reserveCapacity(kept.count)
    let fields = net.fields
    func keptLayer(_ position: Int) throws(ConvScopeError) -> CaffeLayer? {
      guard position < kept.count else { return nil }
      return try CaffeLayer(fields[kept[position]], index: kept[position])
    }
    var index = 0
    var next = try keptLayer(0)
    while let layer = next {
      next = try keptLayer(index + 1)
      if layer.kind == "BATCHNORM", let scale = next, Self.isScale(scale, after: layer) {
        try emit(
          layer, tops: scale.tops,
          mapping: { (c: inout CaffeLayerContext) throws(ConvScopeError) in
            try CaffeLayerMappings.batchNormalization(&c, scale: scale)
          })
        index += 2
        next = try keptLayer(index)
        continue
      }
      try translate(layer)
      index += 1
    }
    let current = Set(blobs.values)
    let outputs = produced.filter { !consumed.contains($0) && current.contains($0) }
    var graph = Graph(
      name: net.first("name")?.value.text ?? "caffe", inputs: inputs,
      outputs: outputs.map { TensorInfo(name: $0, shape: []) }, nodes: state.assembler.nodes,
      initializers: state.assembler.initializers, layout: .nchw)
    graph.initializerRoles = state.assembler.initializerRoles
    return graph
  }

  /// A `Scale` layer that applies a `BatchNorm`'s affine part: Caffe splits BatchNorm in two.
  private static func isScale(_ layer: CaffeLayer, after batchNorm: CaffeLayer) -> Bool {
    layer.kind == "SCALE" && layer.bottoms.count == 1 && layer.bottoms == batchNorm.tops
  }

  // MARK: Inputs

  /// `input: "data"` with `input_shape { dim: ... }` or four `input_dim:` per input.
  private mutating func declareHeaderInputs() throws(ConvScopeError) {
    let names = net.all("input")
    guard !names.isEmpty else { return }
    var shapes: [[Int]] = []
    for field in net.all("input_shape") {
      if case .message(let shape) = field.value { shapes.append(try Self.wholeNumbers(shape.all("dim"), field: "dim")) }
    }
    let flatDims = try Self.wholeNumbers(net.all("input_dim"), field: "input_dim")
    for (position, field) in names.enumerated() {
      guard let name = field.value.text else { continue }
      let dims: [Int]
      if position < shapes.count {
        dims = shapes[position]
      } else if flatDims.count >= (position + 1) * 4 {
        dims = Array(flatDims[(position * 4)..<(position * 4 + 4)])
      } else {
        throw ConvScopeError(
          line: field.line, column: field.column, field: "input",
          message: "input '\(name)' has no shape: give input_shape { dim: ... } or four input_dim")
      }
      try addInput(name, dims: dims, layer: nil)
    }
  }

  /// The values of `fields` (`dim: 224`), each of which must be a whole number.
  private static func wholeNumbers(_ fields: [PrototxtField], field name: String) throws(ConvScopeError) -> [Int] {
    var values: [Int] = []
    for field in fields {
      guard let value = field.value.int else {
        throw ConvScopeError(
          line: field.line, column: field.column, field: name, message: "expected a whole number of elements")
      }
      values.append(value)
    }
    return values
  }

  private mutating func addInput(_ blob: String, dims: [Int], layer: String?) throws(ConvScopeError) {
    guard dims.allSatisfy({ $0 >= 0 }) else {
      throw ConvScopeError(layer: layer, field: "dim", message: "input '\(blob)' has a negative dim: \(dims)")
    }
    let name = state.assembler.unique(blob)
    let info = TensorInfo(name: name, shape: Shape(dims))
    state.ranks[name] = dims.count
    inputs.append(info)
    blobs[blob] = name
  }

  // MARK: Layers

  private mutating func translate(_ layer: CaffeLayer) throws(ConvScopeError) {
    switch layer.kind {
    case "INPUT", "DATA", "DUMMYDATA", "MEMORYDATA", "IMAGEDATA", "HDF5DATA", "WINDOWDATA":
      try declareLayerInputs(layer)
    case "SPLIT":
      // Split copies its bottom to every top: the tops are the same tensor.
      let source = try bottomTensors(layer).first
      for top in layer.tops { blobs[top] = source }
    case "SILENCE":
      _ = try bottomTensors(layer)
    default:
      guard let mapping = CaffeLayerTable.mappings[layer.kind] else {
        let known = CaffeLayerTable.typeNames
        throw layer.error(
          "type", "unknown Caffe layer type '\(layer.type)'" + NameSuggestion.hint(for: layer.type, among: known))
      }
      try emit(layer, tops: layer.tops, mapping: mapping)
    }
  }

  /// An `Input` layer (or a data layer with a declared shape): one graph input per top.
  private mutating func declareLayerInputs(_ layer: CaffeLayer) throws(ConvScopeError) {
    let parameters = ["input_param", "dummy_data_param"].lazy.compactMap { layer.message.message($0) }.first
    var shapes: [[Int]] = []
    for field in parameters?.all("shape") ?? [] {
      if case .message(let shape) = field.value { shapes.append(try Self.wholeNumbers(shape.all("dim"), field: "dim")) }
    }
    guard !shapes.isEmpty else {
      throw layer.error(
        nil, "data layer '\(layer.name)' declares no shape; a deploy net declares input_param { shape { dim: ... } }")
    }
    for (position, top) in layer.tops.enumerated() {
      try addInput(top, dims: shapes[min(position, shapes.count - 1)], layer: layer.name)
    }
  }

  private mutating func bottomTensors(_ layer: CaffeLayer) throws(ConvScopeError) -> [String] {
    var tensors: [String] = []
    for bottom in layer.bottoms {
      guard let tensor = blobs[bottom] else {
        throw layer.error(
          "bottom",
          "bottom blob '\(bottom)' is not produced by any earlier layer or input"
            + NameSuggestion.hint(for: bottom, among: blobs.keys.sorted()))
      }
      tensors.append(tensor)
      consumed.insert(tensor)
    }
    return tensors
  }

  /// Runs `mapping` for `layer`, names its outputs after `tops` (the layer's name for an
  /// in-place top), and records what the tops now stand for.
  private mutating func emit(_ layer: CaffeLayer, tops: [String], mapping: CaffeLayerMapping) throws(ConvScopeError) {
    var context = CaffeLayerContext(
      layer: layer, inputs: try bottomTensors(layer), state: state, emission: state.assembler.layer(layer.name))
    let outputs = try mapping(&context)
    let rank = context.outputRank ?? context.inputs.first.flatMap { state.ranks[$0] }
    guard outputs.count == tops.count else {
      throw layer.error(
        "top", "\(layer.type) gives \(outputs.count) output(s) but the layer names \(tops.count) top(s)")
    }
    for (output, top) in zip(outputs, tops) {
      let inPlace = blobs[top] != nil
      let wanted = inPlace ? (tops.count == 1 ? layer.name : "\(layer.name)/\(top)") : top
      let name = output == wanted ? output : state.assembler.unique(wanted)
      context.emission.rename(output, to: name)
      blobs[top] = name
      produced.append(name)
      state.ranks[name] = rank
    }
    state.assembler.commit(context.emission, position: SourcePosition(line: layer.line, column: layer.column))
  }
}
