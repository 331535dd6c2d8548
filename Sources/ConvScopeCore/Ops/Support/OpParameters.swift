/// Attributes of one node that counting conventions need and a ``Cost`` does not keep,
/// declared by the rule from the node's attributes (never read back from the cost).
public struct OpParameters: Sendable, Hashable {
  /// `LRN`'s `size`: the channels each output element is normalised over. Nil for other ops.
  public var channelWindow: Int?

  public init(channelWindow: Int? = nil) {
    self.channelWindow = channelWindow
  }
}
