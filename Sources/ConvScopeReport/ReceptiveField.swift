import ConvScopeCore

/// The receptive field of one tensor with respect to the model input, per
/// spatial axis (Araujo, Norris and Sim, "Computing Receptive Fields of
/// Convolutional Neural Networks", Distill 2019).
public struct ReceptiveField: Sendable, Codable, Hashable {
  /// How many input positions one output position sees, per axis.
  public var size: [Int]
  /// The distance in input positions between neighbouring outputs (effective stride), per axis.
  public var jump: [Double]
  /// The input coordinate of the centre of the first output's field (negative when it lies in padding).
  public var start: [Double]
  /// True when a transposed convolution or an upsampling lies on the path: the figure then
  /// bounds the input positions each output depends on, but is not a plain receptive field.
  public var throughUpsampling: Bool
  /// True when paths joined here see fields with different strides or centres.
  public var misaligned: Bool

  /// Every stored property, in declaration order.
  public init(
    size: [Int],
    jump: [Double],
    start: [Double],
    throughUpsampling: Bool,
    misaligned: Bool
  ) {
    self.size = size
    self.jump = jump
    self.start = start
    self.throughUpsampling = throughUpsampling
    self.misaligned = misaligned
  }

  enum CodingKeys: String, CodingKey {
    case size, jump, start
    case throughUpsampling = "through_upsampling"
    case misaligned
  }
}
