/// A named value's element type and shape. For an ONNX sequence, map or optional, ``kind``
/// says so and ``dataType`` is the element's (a map's values').
public struct TensorInfo: Hashable, Sendable, Codable {
  public var name: String
  public var dataType: DataType
  public var shape: Shape
  /// What the value is: a tensor, or one of ONNX's containers of tensors.
  public var kind: ValueKind

  public init(name: String, dataType: DataType = .float32, shape: Shape, kind: ValueKind = .tensor) {
    self.name = name
    self.dataType = dataType
    self.shape = shape
    self.kind = kind
  }
}

/// What a graph value is. Only ONNX declares values that are not tensors
/// (`TypeProto.sequence_type`, `map_type`, `optional_type`).
public enum ValueKind: String, Hashable, Sendable, Codable {
  /// A tensor: every value of the other formats.
  case tensor
  /// Any number of tensors of one element type; no shape is declared for the sequence.
  case sequence
  /// A map from integers or strings to values of one type; no shape is declared.
  case map
  /// A tensor or sequence, or nothing: the shape is the tensor's when it holds one.
  case optional
}
