/// The core IR every importer produces and the analyzer reads: tensors, nodes
/// with ONNX op semantics, and the constant tensors (weights, shape vectors).
public struct Graph: Hashable, Sendable {
  /// The model's name.
  public var name: String
  /// The model inputs that data flows in through (initializers are not inputs).
  public var inputs: [TensorInfo]
  /// The graph outputs; shapes here are what the file declares (may be unknown).
  public var outputs: [TensorInfo]
  /// The nodes, in the file's order (which the analyzer keeps where it is a valid order).
  public var nodes: [Node]
  /// Weights and other constant tensors by name.
  public var initializers: [String: ConstantTensor]
  /// Shapes declared in the file for intermediate tensors (ONNX `value_info`),
  /// used for the outputs of ops without a rule.
  public var valueInfo: [String: TensorInfo]
  /// How the model's author writes shapes.
  public var layout: TensorLayout
  /// The default-domain opset version the file was written against (ONNX), if known.
  public var opsetVersion: Int?
  /// Roles the source format gives some initializers, overriding what the consuming op
  /// says: `.statistic` for weights the format marks non-trainable (a frozen Keras layer),
  /// `.configuration` for constants the format does not store but ONNX needs (the unit
  /// scale of a Keras `BatchNormalization(scale=False)`).
  public var initializerRoles: [String: InputRole] = [:]
  /// Stored tensors a source layer keeps that no op reads, by the name of the node whose row
  /// counts them (a Keras `Normalization`'s scalar `count`, which only `adapt` reads): counted
  /// as that node's inputs would be, by their role in ``initializerRoles``.
  public var heldTensors: [String: [String]] = [:]
  /// The sizes the file allows each symbolic dim (a `.pt2`'s `range_constraints`: `s77` in
  /// `1...256`); a size bound outside its range is analysed and said in the assumptions.
  public var symbolRanges: [String: ClosedRange<Int>] = [:]

  public init(
    name: String, inputs: [TensorInfo], outputs: [TensorInfo], nodes: [Node],
    initializers: [String: ConstantTensor] = [:], valueInfo: [String: TensorInfo] = [:],
    layout: TensorLayout = .nchw, opsetVersion: Int? = nil
  ) {
    self.name = name
    self.inputs = inputs
    self.outputs = outputs
    self.nodes = nodes
    self.initializers = initializers
    self.valueInfo = valueInfo
    self.layout = layout
    self.opsetVersion = opsetVersion
  }
}
