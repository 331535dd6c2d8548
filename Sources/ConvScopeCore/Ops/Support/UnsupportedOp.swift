/// An op type with no rule, and how many nodes use it.
public struct UnsupportedOp: Sendable, Codable, Hashable {
  public var op: String
  public var count: Int
  /// Every stored property, in declaration order.
  public init(
    op: String,
    count: Int
  ) {
    self.op = op
    self.count = count
  }

}
