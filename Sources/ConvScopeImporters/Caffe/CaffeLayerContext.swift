import ConvScopeCore
/// What the graph being built holds while Caffe layers are translated.
final class CaffeGraphState {
  var assembler = GraphAssembler()
  var probe = ShapeProbe()
}

/// What one Caffe layer mapping sees: the layer, the graph tensors of its bottoms,
/// and the means to emit nodes, weights and constants.
struct CaffeLayerContext {
  let layer: CaffeLayer
  /// Graph tensors of the layer's bottoms, in order.
  let inputs: [String]
  let state: CaffeGraphState
  var emission: LayerEmission

  /// Bottom `index`'s graph tensor.
  func input(_ index: Int = 0) throws(ConvScopeError) -> String {
    guard index < inputs.count else {
      throw layer.error("bottom", "\(layer.type) needs at least \(index + 1) bottom blob(s), got \(inputs.count)")
    }
    return inputs[index]
  }

  /// The sizes of bottom `index` (batch as 1), which the shape rules must know.
  func sizes(_ index: Int = 0) throws(ConvScopeError) -> [Int] {
    let tensor = try input(index)
    guard let sizes = state.probe.sizes(of: tensor) else {
      throw layer.error(
        "bottom",
        "the shape of bottom '\(layer.bottoms[index])' is needed to size the weights, but \(state.probe.reason(for: tensor))"
      )
    }
    return sizes
  }

  /// The channel count (axis 1) of bottom `index`.
  func channels(_ index: Int = 0) throws(ConvScopeError) -> Int {
    let dims = try sizes(index)
    guard dims.count >= 2 else { throw layer.error("bottom", "expected an N x C x ... blob, got \(Shape(dims))") }
    return dims[1]
  }

  /// A learned blob of this layer, named `layer.suffix`.
  func weight(_ suffix: String, _ dims: [Int], role: InputRole? = nil) -> String {
    state.assembler.weight("\(layer.name).\(suffix)", dims, role: role)
  }

  /// An int64 vector (shape, pads, axes).
  func ints(_ suffix: String, _ values: [Int]) -> String {
    state.assembler.constant("\(emission.name).\(suffix)", .int64s(values))
  }

  /// A float scalar that is configuration, not a parameter (a Power exponent).
  func scalar(_ suffix: String, _ value: Double) -> String {
    state.assembler.constant(
      "\(emission.name).\(suffix)", ConstantTensor(dataType: .float32, dims: [], values: .floats([value])),
      role: .configuration)
  }

  /// A float constant ONNX needs but Caffe does not store (a unit scale): dims only, not counted.
  func filler(_ suffix: String, _ dims: [Int]) -> String {
    state.assembler.constant(
      "\(emission.name).\(suffix)", ConstantTensor(dataType: .float32, dims: dims), role: .configuration)
  }

  /// Appends a node and returns its output; a `helper` node does not take the layer's name.
  @discardableResult
  mutating func node(
    _ op: String, _ inputs: [String], _ attributes: [String: AttributeValue] = [:], helper: Bool = false
  ) -> String {
    emission.node(op, inputs: inputs, attributes, helper: helper)
  }
}
