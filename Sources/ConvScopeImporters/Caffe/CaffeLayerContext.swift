import ConvScopeCore

/// What the graph being built holds while Caffe layers are translated: the emitted nodes
/// and constants, and the rank of each tensor (what translation needs of shapes: sizes are
/// the analysis' to compute, and weights sized by their input are deferred to the op rules).
final class CaffeGraphState {
  var assembler = GraphAssembler()
  var ranks: [String: Int] = [:]
}

/// What one Caffe layer mapping sees: the layer, the graph tensors of its bottoms,
/// and the means to emit nodes, weights and constants.
struct CaffeLayerContext {
  let layer: CaffeLayer
  /// Graph tensors of the layer's bottoms, in order.
  let inputs: [String]
  let state: CaffeGraphState
  var emission: LayerEmission
  /// The rank of the layer's tops when it differs from bottom 0's (InnerProduct, Flatten, Reshape).
  var outputRank: Int?

  /// Bottom `index`'s graph tensor.
  func input(_ index: Int = 0) throws(ConvScopeError) -> String {
    guard index < inputs.count else {
      throw layer.error("bottom", "\(layer.type) needs at least \(index + 1) bottom blob(s), got \(inputs.count)")
    }
    return inputs[index]
  }

  /// The rank of bottom `index` (every blob's rank follows from the declared inputs).
  func rank(_ index: Int = 0) throws(ConvScopeError) -> Int {
    let tensor = try input(index)
    guard let rank = state.ranks[tensor] else {
      throw layer.error("bottom", "the rank of bottom '\(layer.bottoms[index])' is not known")
    }
    return rank
  }

  /// A per-channel blob's dims on bottom 0, `[C, 1, ...]` to broadcast over `N x C x ...`, with `C`
  /// deferred to the op rule.
  func perChannel() throws(ConvScopeError) -> [Int?] {
    let rank = try rank()
    guard rank >= 2 else { throw layer.error("bottom", "expected an N x C x ... blob, got rank \(rank)") }
    return [nil] + Array(repeating: 1, count: rank - 2)
  }

  /// A learned blob of this layer, named `layer.suffix`; `nil` dims are the op rule's to complete.
  func weight(_ suffix: String, _ dims: [Int?], role: InputRole? = nil) -> String {
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
  func filler(_ suffix: String, _ dims: [Int?]) -> String {
    state.assembler.constant(
      "\(emission.name).\(suffix)", .weight(dataType: .float32, dims: dims), role: .configuration)
  }

  /// Appends a node and returns its output; a `helper` node does not take the layer's name.
  @discardableResult
  mutating func node(
    _ op: String, _ inputs: [String], _ attributes: [String: AttributeValue] = [:], helper: Bool = false
  ) -> String {
    emission.node(op, inputs: inputs, attributes, helper: helper)
  }
}
