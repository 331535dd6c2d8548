import ConvScopeCore

/// A Keras tensor during import: its name in the graph and, when known, what
/// translation knows of its shape in Keras' own order (batch first): its rank and
/// its batch and channel (feature) dims, never a size that follows the input's
/// spatial size (``KerasAxes/translationView(_:)``).
struct KerasTensor {
  var name: String
  var shape: [Dim]?
}

/// What the graph being built holds while layers are translated: the emitted
/// nodes and constants. Weights sized by their input are deferred to the op rules
/// (``ConstantTensor/deferredAxes``), so the graph does not depend on the input size.
final class KerasGraphState {
  var assembler = GraphAssembler()
  let axes: KerasAxes
  /// The most layer calls the config may make (``ResourceLimits/twiceLayers``).
  let callLimit: Int
  /// The layer calls made so far, and the bytes of their node names.
  private var calls = 0
  private var nameBytes = 0

  init(axes: KerasAxes, callLimit: Int) {
    self.axes = axes
    self.callLimit = callLimit
  }

  /// Counts a call of `layer` named `nodeName`, before it is emitted. A model nested in
  /// another and called twice doubles its layers at each level, and its layers' names grow by
  /// a prefix at each: a config of a few kilobytes can ask for billions of calls, or gigabytes
  /// of names, long before the graph could be checked against the layer budget.
  func count(_ layer: KerasLayer, named nodeName: String) throws(ConvScopeError) {
    calls += 1
    nameBytes += nodeName.utf8.count
    if calls > callLimit {
      throw layer.error(
        nil,
        "the model makes more than \(NumberFormatting.grouped(callLimit)) layer calls once its nested models are "
          + "expanded, more than twice the layer budget (\(ResourceLimits.layersVariable) raises it)")
    }
    if nameBytes > ResourceLimits.builtNameBytes {
      throw layer.error(nil, ResourceLimits.overBuiltNameBytes("expanding the nested models"))
    }
  }
}

/// What one layer mapping sees: the layer, the tensors it is called on, and the
/// means to emit nodes, weights and constants for it.
struct KerasLayerContext {
  let layer: KerasLayer
  /// Positional inputs, flattened (`Add()([a, b])` has two).
  let inputs: [KerasTensor]
  /// Inputs passed by keyword (`MultiHeadAttention(query=q, value=v)`).
  let keywordInputs: [String: KerasTensor]
  /// Numbers among the operands (a Keras 3 `x + 3.0`, a `TFOpLambda`'s `y`).
  let scalars: KerasScalars
  /// Prefix of this layer's weight names (the enclosing models).
  let weightScope: String
  /// Whether the layer (or a model around it) has `trainable: false`.
  let frozen: Bool
  let state: KerasGraphState
  var emission: LayerEmission
  /// What translation knows of the outputs' shape, when the layer changes input 0's rank or
  /// channels (``produces(_:)``); `nil` keeps input 0's.
  private(set) var outputShape: [Dim]??

  var axes: KerasAxes { state.axes }

  /// Records what translation knows of the layer's outputs (Keras order; `nil`: nothing).
  mutating func produces(_ shape: [Dim]?) { outputShape = .some(shape) }

  /// Input 0's known shape with its channel axis (the layer's `data_format`) set to `channels`.
  func withChannels(_ channels: Int) -> [Dim]? {
    guard var shape = inputs.first?.shape, shape.count >= 2 else { return nil }
    shape[layer.channelsLast || shape.count < 3 ? shape.count - 1 : 1] = .fixed(channels)
    return shape
  }

  /// Positional input `index`.
  func input(_ index: Int = 0) throws(ConvScopeError) -> KerasTensor {
    guard index < inputs.count else {
      throw layer.error("inbound_nodes", "\(layer.className) needs at least \(index + 1) input(s), got \(inputs.count)")
    }
    return inputs[index]
  }

  /// The Keras-order shape of positional input `index`, which must be known.
  func shape(_ index: Int = 0) throws(ConvScopeError) -> [Dim] {
    let tensor = try input(index)
    guard let shape = tensor.shape else {
      throw layer.error("inbound_nodes", "the rank of input '\(tensor.name)' is needed but unknown")
    }
    return shape
  }

  /// The rank (batch included) of positional input `index`.
  func rank(_ index: Int = 0) throws(ConvScopeError) -> Int { try shape(index).count }

  /// The number of spatial axes: from the class name (`MaxPooling2D` → 2), else the input rank minus 2.
  func spatialRank() throws(ConvScopeError) -> Int {
    // A byte search: `String.contains` goes through `NSString` with Foundation imported.
    for (suffix, transpose, count) in [("1D", "1DTranspose", 1), ("2D", "2DTranspose", 2), ("3D", "3DTranspose", 3)]
    where layer.className.hasSuffix(suffix) || layer.className.utf8.firstRange(of: transpose.utf8) != nil {
      return count
    }
    return try rank() - 2
  }

  /// The size of Keras axis `axis` of input `index`, which must be a known number.
  func size(axis: Int, of index: Int = 0) throws(ConvScopeError) -> Int {
    let dims = try shape(index)
    let normalized = axis < 0 ? axis + dims.count : axis
    guard normalized >= 1 && normalized < dims.count else {
      throw layer.error("inbound_nodes", "input of shape \(Shape(dims)) has no axis \(axis)")
    }
    guard let size = dims[normalized].value else {
      throw layer.error("inbound_nodes", "axis \(axis) of input shape \(Shape(dims)) must be known")
    }
    return size
  }

  /// The channel count of input `index` under the layer's own `data_format`.
  func channels(_ index: Int = 0) throws(ConvScopeError) -> Int {
    try size(axis: layer.channelsLast ? -1 : 1, of: index)
  }

  /// The graph axis of Keras axis `axis` of input 0; without a channels-last permutation the
  /// axis is kept as written (ONNX takes negative axes too), so the rank need not be known.
  func graphAxis(_ axis: Int, field: String = "axis") throws(ConvScopeError) -> Int {
    guard axes.channelsLast else { return axis }
    return try graphAxis(axis, rank: try rank(), field: field)
  }

  /// The graph axis of the layer's Keras axis `axis` on a tensor of rank `rank`.
  func graphAxis(_ axis: Int, rank: Int, field: String = "axis") throws(ConvScopeError) -> Int {
    guard let mapped = axes.graphAxis(axis, rank: rank) else {
      throw layer.error(field, "axis \(axis) is out of range for a rank-\(rank) input")
    }
    return mapped
  }

  // MARK: Emitting

  /// A float weight of this layer, named `scope/layer.suffix` (shared by every call of the layer);
  /// `nil` dims are the op rule's to complete.
  func weight(_ suffix: String, _ dims: [Int?], role: InputRole? = nil) -> String {
    state.assembler.weight("\(weightScope)\(layer.name).\(suffix)", dims, role: role ?? (frozen ? .statistic : nil))
  }

  /// An int64 vector for this call (a shape, pads, axes).
  func ints(_ suffix: String, _ values: [Int]) -> String {
    state.assembler.constant("\(emission.name).\(suffix)", .int64s(values))
  }

  /// A float constant for this call (scales, bounds); `dims` default to a scalar.
  func floats(_ suffix: String, _ values: [Double], dims: [Int]? = nil) -> String {
    state.assembler.constant(
      "\(emission.name).\(suffix)",
      ConstantTensor(
        dataType: .float32, dims: dims ?? (values.count == 1 ? [] : [values.count]), values: .floats(values)),
      role: .configuration)
  }

  /// A float constant ONNX needs but the layer does not store (a unit scale): dims only, not counted.
  func filler(_ suffix: String, _ dims: [Int?]) -> String {
    state.assembler.constant(
      "\(emission.name).\(suffix)", .weight(dataType: .float32, dims: dims), role: .configuration)
  }

  /// The product of sizes from the file, which must not overflow.
  func product(_ values: [Int], field: String) throws(ConvScopeError) -> Int {
    do { return try Checked.product(values) } catch { throw layer.error(field, error.message) }
  }

  /// Appends a node and returns its output; a `helper` node does not take the layer's name.
  @discardableResult
  mutating func node(
    _ op: String, _ inputs: [String], _ attributes: [String: AttributeValue] = [:], helper: Bool = false
  ) -> String {
    emission.node(op, inputs: inputs, attributes, helper: helper)
  }

  /// `tensor` (rank `rank`, graph order) transposed into Keras' order, when they differ.
  mutating func toKerasOrder(_ tensor: String, rank: Int) -> String {
    guard axes.isPermuted(rank: rank) else { return tensor }
    return node("Transpose", [tensor], ["perm": .ints(axes.graphToKeras(rank: rank))], helper: true)
  }

  /// `tensor` (rank `rank`, Keras order) transposed back into graph order.
  mutating func fromKerasOrder(_ tensor: String, rank: Int) -> String {
    guard axes.isPermuted(rank: rank) else { return tensor }
    return node("Transpose", [tensor], ["perm": .ints(axes.kerasToGraph(rank: rank))], helper: true)
  }
}
