import ConvScopeCore

/// Translates a parsed spec document into a ``Graph``: reads the model keys
/// and inputs, unrolls `repeat:` blocks, and translates the layers in order.
/// The format is documented in `docs/spec-format.md`.
struct SpecTranslator {
  let file: String
  /// Channel multiplier for every conv/dense layer but the last.
  var widthMultiplier: Double = 1

  static let documentKeys = [
    "name", "layout", "dtype", "input", "inputs", "layers", "outputs", "description", "transformer",
  ]

  /// The graph of the document `root`. With a `stream`, the header and then the layers are
  /// sent as they are translated (``GraphStream``), and the graph returned holds the rest.
  func translate(_ root: SpecNode, stream: GraphStream? = nil) throws(ConvScopeError) -> Graph {
    let location = SpecLocation(file: file)
    let document = try SpecFields(root, location: location, what: "model spec")
    let name = try document.string("name") ?? defaultName
    var layout = TensorLayout.nchw
    if let written = try document.string("layout") {
      guard let parsed = TensorLayout(userName: written) else {
        throw document.error("layout", "unknown layout '\(written)'; expected NCHW, NHWC, CHW or HWC")
      }
      layout = parsed
    }
    var dataType = DataType.float32
    if let written = try document.string("dtype") {
      guard let parsed = DataType(userName: written) else {
        throw document.error(
          "dtype",
          "unknown element type '\(written)'\(NameSuggestion.hint(for: written, among: DataType.allCases.map(\.rawValue)))"
        )
      }
      dataType = parsed
    }
    _ = try document.string("description")
    if document.position(of: "transformer") != nil, document.position(of: "layers") == nil {
      throw document.error(
        "transformer", "a spec with only a transformer block is read by `convscope llm`; analyze needs input and layers"
      )
    }
    var builder = SpecGraphBuilder(layout: SpecLayout(layout: layout), dataType: dataType)
    builder.widthMultiplier = widthMultiplier
    var scope = SpecScope()
    let inputs = try readInputs(document, builder: &builder, scope: &scope)
    _ = document.value("transformer")  // the `llm` view's block (SpecTransformer)
    guard let layerList = document.value("layers") else {
      throw document.error("layers", "is required: the list of layers")
    }
    guard let items = layerList.items, !items.isEmpty else {
      throw document.error("layers", "expected a non-empty list of layers, got \(layerList.description)")
    }
    let outputsNode = document.value("outputs")
    try document.finish(allowed: Self.documentKeys)

    var entries: [SpecLayerEntry] = []
    try SpecRepeat.expand(
      Array(items), iterations: [], location: location, into: &entries, limit: try ResourceLimits.layers)
    builder.reserveCapacity(layers: entries.count, keptWhole: stream == nil)
    scope.reserveCapacity(layers: entries.count)
    var previous = inputs.count == 1 ? inputs[0].name : nil
    let classifier = entries.lastIndex {
      $0.node.value("filters") != nil || $0.node.value("units") != nil
    }
    stream?.send(
      .header(
        Graph(name: name, inputs: inputs, outputs: [], nodes: [], layout: layout, opsetVersion: Self.opset),
        expectedNodes: entries.count))
    for (index, entry) in entries.enumerated() {
      builder.scalesWidth = index != classifier
      previous = try translateLayer(entry, previous: previous, builder: &builder, scope: &scope)
      if let stream, index % Self.layersPerPiece == Self.layersPerPiece - 1 {
        stream.send(.piece(builder.takePiece()))
      }
    }

    var outputs: [String] = previous.map { [$0] } ?? []
    if let outputsNode {
      let names = try SpecFields.strings(outputsNode, location: location, field: "outputs")
      outputs = []
      for name in names {
        guard let tensor = scope.tensors[name] else {
          throw location.error(
            outputsNode, field: "outputs",
            "no layer named '\(name)'\(NameSuggestion.hint(for: name, among: scope.order))")
        }
        outputs.append(tensor)
      }
    }
    return Graph(
      name: name, inputs: inputs,
      outputs: outputs.map { TensorInfo(name: $0, dataType: dataType, shape: Shape(builder.shape(of: $0) ?? [])) },
      nodes: builder.nodes, initializers: builder.initializers, valueInfo: builder.valueInfo, layout: layout,
      opsetVersion: Self.opset)
  }

  /// The ONNX opset a spec's nodes follow.
  private static let opset = 21

  /// How many layers go into each piece sent on a stream: few enough that the analysis starts
  /// soon, enough that handing them over costs nothing next to translating them.
  private static let layersPerPiece = 128

  /// The file name without folders and extension.
  private var defaultName: String {
    let base = file.split(separator: "/").last.map(String.init) ?? file
    return base.split(separator: ".").first.map(String.init) ?? base
  }

  /// `inputs: [{name, shape, dtype}]` or `input: {shape}` (named `input`).
  private func readInputs(
    _ document: SpecFields, builder: inout SpecGraphBuilder, scope: inout SpecScope
  ) throws(ConvScopeError) -> [TensorInfo] {
    var items: [SpecNode]
    if let list = document.value("inputs") {
      guard let sequence = list.items, !sequence.isEmpty else {
        throw document.error("inputs", "expected a non-empty list of {name, shape}")
      }
      items = Array(sequence)
      if document.value("input") != nil { throw document.error("input", "give `input:` or `inputs:`, not both") }
    } else if let single = document.value("input") {
      items = [single]
    } else {
      throw document.error(
        "inputs", "is required: `input: {shape: [57, 57, 1]}` or `inputs: [{name: x, shape: [...]}]`")
    }
    var inputs: [TensorInfo] = []
    for item in items {
      let fields = try SpecFields(item, location: document.location, what: "input")
      let name = try fields.string("name") ?? (items.count == 1 ? "input" : "")
      guard !name.isEmpty else { throw fields.error("name", "each of several inputs needs a name") }
      fields.location.layer = name
      guard let shapeNode = fields.value("shape") else { throw fields.missing("shape") }
      guard let written = shapeNode.items, !written.isEmpty else {
        throw fields.error("shape", "expected a list of dims, e.g. [57, 57, 1]")
      }
      var dims: [Dim] = []
      for (index, dim) in written.enumerated() {
        if let size = dim.int {
          guard size > 0 else {
            throw fields.location.error(dim, field: "shape[\(index)]", "dims must be positive, got \(size)")
          }
          dims.append(.fixed(size))
        } else if let symbol = dim.text, !symbol.isEmpty, Double(symbol) == nil {
          dims.append(.symbolic(symbol))
        } else {
          throw fields.location.error(
            dim, field: "shape[\(index)]", "expected a positive integer or a name, got \(dim.description)")
        }
      }
      var type = builder.dataType
      if let written = try fields.string("dtype") {
        guard let parsed = DataType(userName: written) else {
          throw fields.error("dtype", "unknown element type '\(written)'")
        }
        type = parsed
      }
      try fields.finish(allowed: ["name", "shape", "dtype"])
      guard scope.tensors[name] == nil else { throw fields.error("name", "input '\(name)' is declared twice") }
      let shape = builder.layout.onnxShape(dims)
      builder.declareInput(name, shape: shape)
      scope.define(name, tensor: name)
      inputs.append(TensorInfo(name: name, dataType: type, shape: Shape(shape)))
    }
    return inputs
  }
}

/// The names layers can refer to (inputs and layers defined so far) and the tensor each stands for.
struct SpecScope {
  private(set) var tensors: [String: String] = [:]
  private(set) var order: [String] = []
  private var autoNames: [String: Int] = [:]

  /// Room for `layers` more names.
  mutating func reserveCapacity(layers: Int) {
    tensors.reserveCapacity(tensors.count + layers)
    order.reserveCapacity(order.count + layers)
  }

  mutating func define(_ name: String, tensor: String) {
    tensors[name] = tensor
    order.append(name)
  }

  /// `conv_1`, `conv_2`...: a name for an unnamed layer.
  mutating func autoName(for op: String) -> String {
    var name: String
    repeat {
      autoNames[op, default: 0] += 1
      name = "\(op.lowercased())_\(autoNames[op, default: 0])"
    } while tensors[name] != nil
    return name
  }
}
