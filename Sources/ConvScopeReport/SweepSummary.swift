import ConvScopeCore

/// A what-if sweep: one analysed row per resolution or batch size.
public struct SweepSummary: Sendable, Codable, Hashable {
  public var axis: Sweep.Axis
  /// The device whose latency bound each row gives, if one was asked for.
  public var device: String?
  public var rows: [Sweep.Row]

  public init(axis: Sweep.Axis, device: String?, rows: [Sweep.Row]) {
    self.axis = axis
    self.device = device
    self.rows = rows
  }
}
