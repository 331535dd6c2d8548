import ConvScopeCore

/// What the graph being built holds while Core ML layers or operations are translated: the
/// emitted nodes and constants, and the rank of each tensor (what translation needs of shapes;
/// sizes are the analysis' to compute).
final class CoreMLGraphState {
  var assembler = GraphAssembler()
  var ranks: [String: Int] = [:]
}

/// What one NeuralNetwork layer's mapping sees: the layer's parameters message (the layer
/// oneof's value), the graph tensors of its inputs, and the means to emit nodes and constants.
/// Weights are emitted with the dims the layer declares (`outputChannels`, `kernelChannels`...),
/// never read from the `WeightParams` payload.
struct CoreMLLayerContext {
  /// The layer's name in the file.
  let layer: String
  /// The layer's parameters (`ConvolutionLayerParams`, ...).
  let params: ProtobufMessage
  /// Graph tensors of the layer's inputs, in order.
  let inputs: [String]
  let state: CoreMLGraphState
  var emission: LayerEmission
  /// The rank of the layer's outputs when it differs from input 0's.
  var outputRank: Int?

  /// An error about `field` of this layer's parameters.
  func error(_ field: String, _ message: String) -> ProtobufError {
    var error = params.error(field, message)
    error.layer = layer
    return error
  }

  /// Input `index`'s graph tensor.
  func input(_ index: Int = 0) throws(ProtobufError) -> String {
    guard index < inputs.count else {
      throw error("input", "the layer needs at least \(index + 1) input(s), got \(inputs.count)")
    }
    return inputs[index]
  }

  /// The rank of input `index` (every blob's rank follows from the declared inputs).
  func rank(_ index: Int = 0) throws(ProtobufError) -> Int {
    guard let rank = state.ranks[try input(index)] else {
      throw error("input", "the rank of input \(index) is not known")
    }
    return rank
  }

  /// A learned tensor of this layer, named `layer.suffix`.
  func weight(_ suffix: String, _ dims: [Int?], role: InputRole? = nil) -> String {
    state.assembler.weight("\(layer).\(suffix)", dims, role: role)
  }

  /// An int64 vector (shape, pads, axes).
  func ints(_ suffix: String, _ values: [Int]) -> String {
    state.assembler.constant("\(emission.name).\(suffix)", .int64s(values))
  }

  /// Float values that are configuration, not parameters (Resize scales, an Add's scalar).
  func floats(_ suffix: String, _ values: [Double], dims: [Int]) -> String {
    state.assembler.configuration("\(emission.name).\(suffix)", floats: values, dims: dims)
  }

  /// Appends a node and returns its output; a `helper` node does not take the layer's name.
  @discardableResult
  mutating func node(
    _ op: String, _ inputs: [String], _ attributes: [String: AttributeValue] = [:], helper: Bool = false
  ) -> String {
    emission.node(op, inputs: inputs, attributes, helper: helper)
  }

  /// A positive integer field.
  func positive(_ number: Int, _ field: String) throws(ProtobufError) -> Int {
    let value = try params.int(number, field)
    guard value > 0 else { throw error(field, "must be positive, got \(value)") }
    return value
  }
}
