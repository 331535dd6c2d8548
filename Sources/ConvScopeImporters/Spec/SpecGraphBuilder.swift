import ConvScopeCore

/// One layer of a spec as the translator sees it: its fields, its resolved
/// name and input tensors.
struct SpecLayer {
  let fields: SpecFields
  let name: String
  /// The op as written (`conv`, `Conv`).
  let op: String
  /// The tensors it reads, and how the spec named them (for errors).
  let inputs: [String]
  let inputNames: [String]

  func error(_ key: String, _ message: String) -> ConvScopeError { fields.error(key, message) }
  func missing(_ key: String) -> ConvScopeError { fields.missing(key) }
}

/// The graph being built from a spec, with the rank and channel count of each
/// tensor as far as translation needs them.
///
/// Importers translate and never analyse: a spec says `filters: 16` and
/// `units: 512`, and the weight dims that follow from the input (a conv's
/// `Cin/group`, a dense layer's flattened `C*H*W`) are emitted deferred
/// (``ConstantTensor/deferredAxes``) for the op rules to complete during
/// analysis, so the graph does not depend on the input's size. Translation
/// still needs each tensor's rank (`kernel: 3` is `[3, 3]` on a 2-D input, a
/// dense layer flattens an input of rank > 2) and, for `depthwise_conv`, whose
/// `group` is the channel count, the channels: so the builder follows ONNX-order
/// shapes whose spatial dims are all unknown (only the batch and channel dims
/// of the declared inputs are kept, and no size that depends on the input's
/// height or width is ever known). Where it cannot follow a rank (after a raw
/// ONNX op that changes shapes), a layer that needs it says so; the raw layer
/// can declare `output_shape:`.
struct SpecGraphBuilder {
  let layout: SpecLayout
  let dataType: DataType
  private(set) var nodes: [Node] = []
  private(set) var initializers: [String: ConstantTensor] = [:]
  var valueInfo: [String: TensorInfo] = [:]
  /// ONNX-order shapes of the tensors translation could follow.
  private(set) var shapes: [String: [Dim]] = [:]
  /// Every node, tensor and initializer name used so far.
  private var names: Set<String> = []
  /// One copy of each equal attribute set and shape (``SharedValues``).
  private var sharedAttributes = SharedValues<[String: AttributeValue]>()
  private var sharedShapes = SharedValues<[Dim]>()
  /// `--width-mult`: scales conv filters and dense units of the layers that `scalesWidth` allows.
  var widthMultiplier: Double = 1
  /// False for the last conv/dense layer (the classifier output), whose width stays as written.
  var scalesWidth = true

  /// `count` channels or units after the width multiplier (at least 1).
  func width(_ count: Int) -> Int {
    guard scalesWidth, widthMultiplier != 1 else { return count }
    let scaled = (Double(count) * widthMultiplier).rounded()
    return scaled < 9.0e18 ? max(1, Int(scaled)) : Int.max  // absurd: the weight's Checked size then fails
  }

  init(layout: SpecLayout, dataType: DataType) {
    self.layout = layout
    self.dataType = dataType
  }

  /// Whether a node, tensor or initializer is already called `name`.
  /// Room for about `layers` layers (a node, its output's shape and a stored tensor each, and
  /// their names), so that the tables of a large spec grow once instead of rehashing as they double.
  /// The nodes and stored tensors of a graph not `keptWhole` leave in pieces (``takePiece()``).
  mutating func reserveCapacity(layers: Int, keptWhole: Bool) {
    if keptWhole {
      nodes.reserveCapacity(layers)
      initializers.reserveCapacity(layers)
    }
    shapes.reserveCapacity(layers)
    names.reserveCapacity(2 * layers)
  }

  func isUsed(_ name: String) -> Bool { names.contains(name) }

  /// Declares a graph input; only its rank, batch and channel dims are followed (its spatial
  /// sizes are left unknown, so nothing translated depends on them).
  mutating func declareInput(_ name: String, shape: [Dim]) {
    names.insert(name)
    shapes[name] = shape.enumerated().map { $0.offset < 2 ? $0.element : .unknown }
  }

  /// The tracked shape of `tensor`, if known.
  func shape(of tensor: String) -> [Dim]? { shapes[tensor] }

  /// Adds a learnable float tensor of the model's element type; returns its name. A `nil` dim is
  /// deferred to the op rule (see the type's doc comment); `hint` says which key would give it.
  mutating func weight(_ layer: SpecLayer, _ suffix: String, _ dims: [Int?], hint: String? = nil)
    throws(ConvScopeError) -> String
  {
    let hint = hint.map { "or give `\($0):` on layer '\(layer.name)'" }
    return try constant(layer, suffix, .weight(dataType: dataType, dims: dims, hint: hint))
  }

  /// Adds a constant tensor named `layer.suffix`; returns its name.
  mutating func constant(_ layer: SpecLayer, _ suffix: String, _ tensor: ConstantTensor) throws(ConvScopeError)
    -> String
  {
    let name = "\(layer.name).\(suffix)"
    try claim(name, layer)
    initializers[name] = tensor
    return name
  }

  /// Adds a node named `name` whose single output tensor has the same name;
  /// `shape` is its tracked output shape (nil when unknown). Returns the output.
  @discardableResult
  mutating func emit(
    _ layer: SpecLayer, name: String, _ opType: String, inputs: [String],
    attributes: [String: AttributeValue] = [:], shape: [Dim]?, domain: String = ""
  ) throws(ConvScopeError) -> String {
    try claim(name, layer)
    nodes.append(
      Node(
        name: name, opType: opType, domain: domain, inputs: inputs, outputs: [name],
        attributes: sharedAttributes.sharedAttributes(attributes)))
    if let shape { shapes[name] = sharedShapes.shared(shape) }
    return name
  }

  /// The nodes, stored tensors and declared shapes emitted so far, as a graph without inputs or
  /// outputs (a ``GraphStream`` piece); the builder keeps only the names and shapes it follows.
  mutating func takePiece() -> Graph {
    defer {
      nodes = []
      initializers = [:]
      valueInfo = [:]
    }
    return Graph(name: "", inputs: [], outputs: [], nodes: nodes, initializers: initializers, valueInfo: valueInfo)
  }

  /// The spec key each ONNX attribute of the window ops comes from.
  static let attributeKeys = [
    "kernel_shape": "kernel", "strides": "stride", "dilations": "dilation", "pads": "padding", "group": "groups",
  ]

  /// Groups the nodes emitted since `start` under `layer` (when it made more than one) and
  /// puts the layer's note on the node named like the layer.
  mutating func finishLayer(_ layer: SpecLayer, from start: Int, note: String?) {
    let emitted = start..<nodes.count
    let fields = Self.attributeKeys.compactMapValues { layer.fields.position(of: $0) }
    let node = layer.fields.node
    let position = SourcePosition(line: node.line, column: node.column, fields: fields)
    for index in emitted {
      nodes[index].position = position
      if emitted.count > 1 { nodes[index].sourceLayer = layer.name }
      if nodes[index].name == layer.name { nodes[index].note = note }
    }
  }

  private mutating func claim(_ name: String, _ layer: SpecLayer) throws(ConvScopeError) {
    guard names.insert(name).inserted else {
      throw layer.error("name", "the name '\(name)' that this layer needs is already used; rename one of them")
    }
  }
}

// MARK: - What translation needs to know about inputs

extension SpecGraphBuilder {
  /// The tracked shape of input `index`, or an error that says why it is needed.
  func knownShape(_ layer: SpecLayer, _ index: Int = 0, for purpose: String, orGive key: String? = nil)
    throws(ConvScopeError) -> [Dim]
  {
    guard index < layer.inputs.count else { throw layer.error("inputs", "needs at least \(index + 1) inputs") }
    guard let shape = shapes[layer.inputs[index]] else {
      throw layer.error(
        "inputs",
        "cannot tell the shape of '\(layer.inputNames[index])' (it comes from a raw ONNX op that changes shapes), which \(purpose) needs; declare `output_shape:` on that layer\(key.map { ", or give `\($0):` here" } ?? "")"
      )
    }
    return shape
  }

  /// `in_channels:` when given; otherwise `nil`, and the weights defer the channel dim to the op rule.
  func givenChannels(_ layer: SpecLayer) throws(ConvScopeError) -> Int? {
    try layer.fields.positiveInt("in_channels")
  }

  /// The input's channel count, which the graph's attributes need (a depthwise conv's `group`):
  /// `in_channels:` when given, else the tracked dim 1.
  func inputChannels(_ layer: SpecLayer) throws(ConvScopeError) -> Int {
    if let given = try layer.fields.positiveInt("in_channels") { return given }
    let shape = try knownShape(layer, for: "the channel count", orGive: "in_channels")
    guard shape.count >= 2, let channels = shape[1].value else {
      throw layer.error(
        "inputs",
        "cannot tell the channel count of '\(layer.inputNames[0])' (shape \(Shape(shape))); give `in_channels:`")
    }
    return channels
  }

  /// The number of spatial axes of the input; `fixed` is what the op name says (`conv2d` → 2).
  func spatialRank(_ layer: SpecLayer, fixed: Int?) throws(ConvScopeError) -> Int {
    guard let shape = layer.inputs.first.flatMap({ shapes[$0] }) else {
      guard let fixed else {
        throw layer.error("op", "cannot tell how many spatial axes the input has; use a name such as '\(layer.op)2d'")
      }
      return fixed
    }
    let rank = shape.count - 2
    guard rank >= 1 else {
      throw layer.error(
        "inputs",
        "'\(layer.inputNames[0])' has shape \(layout.written(shape)) with no spatial axes; '\(layer.op)' needs N x C x spatial..."
      )
    }
    if let fixed, fixed != rank {
      throw layer.error(
        "op", "'\(layer.op)' works on \(fixed) spatial axes, but '\(layer.inputNames[0])' has \(rank)")
    }
    return rank
  }
}
