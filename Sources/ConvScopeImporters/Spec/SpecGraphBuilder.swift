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

/// The graph being built from a spec, with the shape of each tensor as far as
/// translation needs it.
///
/// Why the importer tracks shapes at all: importers translate and never
/// analyse, but a spec says `filters: 16` and `units: 512`, while the graph
/// needs weight initializers with full dims: a conv's `[Cout, Cin/group, k..]`
/// needs the input's channel count, and a dense layer's `[K, units]` needs the
/// flattened feature count `C*H*W`, which depends on every conv and pool
/// before it. So the builder follows each tensor's ONNX-order shape through
/// the friendly ops, using the same ``Window`` arithmetic the analyzer's rules
/// use (so the two cannot disagree); it counts no parameters or operations.
/// Where it cannot follow a shape (after a raw ONNX op that changes shapes,
/// or symbolic dims), a later layer that needs it says so and asks for
/// `in_channels:` / `in_features:`, or the raw layer can declare `output_shape:`.
/// The analyzer recomputes every shape from the graph alone.
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
  func isUsed(_ name: String) -> Bool { names.contains(name) }

  /// Declares a graph input.
  mutating func declareInput(_ name: String, shape: [Dim]) {
    names.insert(name)
    shapes[name] = shape
  }

  /// The tracked shape of `tensor`, if known.
  func shape(of tensor: String) -> [Dim]? { shapes[tensor] }

  /// Adds a learnable float tensor of the model's element type; returns its name.
  mutating func weight(_ layer: SpecLayer, _ suffix: String, _ dims: [Int]) throws(ConvScopeError) -> String {
    try constant(layer, suffix, ConstantTensor(dataType: dataType, dims: dims))
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
      Node(name: name, opType: opType, domain: domain, inputs: inputs, outputs: [name], attributes: attributes))
    if let shape { shapes[name] = shape }
    return name
  }

  /// Groups the nodes emitted since `start` under `layer` (when it made more than one) and
  /// puts the layer's note on the node named like the layer.
  mutating func finishLayer(_ layer: SpecLayer, from start: Int, note: String?) {
    let emitted = start..<nodes.count
    for index in emitted {
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

  /// The input's channel count: `in_channels:` when given, else the tracked dim 1.
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
