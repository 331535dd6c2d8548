/// What an op does with one of its inputs, which decides how a constant
/// input is counted: weights and biases are parameters, running statistics
/// are non-trainable state, shape vectors are neither.
public enum InputRole: String, Sendable, Hashable, Codable {
  /// Data flowing through the network (or a constant operand of elementwise math).
  case data
  /// A learned weight (conv kernel, matrix, norm scale).
  case weight
  /// A learned bias (conv bias, norm shift).
  case bias
  /// Running statistics (BatchNorm mean and variance): state, not parameters.
  case statistic
  /// A quantisation scale or zero point: stored with the weights (its bytes count), not a
  /// parameter.
  case quantization
  /// Integer configuration (shapes, axes, indices, pads, scales, sizes).
  case configuration
}
