/// A named tensor's element type and shape.
public struct TensorInfo: Hashable, Sendable, Codable {
  public var name: String
  public var dataType: DataType
  public var shape: Shape

  public init(name: String, dataType: DataType = .float32, shape: Shape) {
    self.name = name
    self.dataType = dataType
    self.shape = shape
  }
}
