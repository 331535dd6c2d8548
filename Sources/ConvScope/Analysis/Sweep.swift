/// What-if sweeps: the same graph re-analysed at several input resolutions or batch
/// sizes, one row per value, to show how cost scales.
public enum Sweep {
  /// One analysed value.
  public struct Row: Sendable, Codable, Hashable {
    /// The swept value as given (`224`, `8`).
    public var value: Int
    public var params: Int
    public var macs: Int
    public var flops: Int
    public var activationBytes: Int
    public var peakActivationBytes: Int
    /// The roofline latency bound, when a device was given.
    public var latencyLowerBoundSeconds: Double?

    enum CodingKeys: String, CodingKey {
      case value, params, macs, flops
      case activationBytes = "activation_bytes"
      case peakActivationBytes = "peak_activation_bytes"
      case latencyLowerBoundSeconds = "latency_lower_bound_s"
    }
  }

  /// What is swept.
  public enum Axis: String, Sendable, Codable {
    /// The spatial size of every image input (all spatial axes set to the value).
    case resolution
    /// The batch size.
    case batch
  }

  /// Re-analyses `graph` once per value of `axis`, rebinding its inputs: no graph depends on
  /// its input's size (weights sized by the input are completed by the op rules during analysis).
  public static func run(
    _ graph: Graph, axis: Axis, values: [Int], options: AnalysisOptions, device: DeviceProfile? = nil
  ) throws(ConvScopeError) -> [Row] {
    var rows: [Row] = []
    for value in values {
      guard value > 0 else {
        throw ConvScopeError(file: options.sourceName, field: "--\(axis.rawValue)", message: "values must be positive, got \(value)")
      }
      var swept = options
      switch axis {
      case .batch:
        swept.batch = value
      case .resolution:
        swept.inputShapes = try resized(graph, options: options, to: value)
      }
      let report: Report
      do {
        report = try Analyzer.analyze(graph, options: swept)
      } catch {
        var located = error
        located.message = "at --\(axis.rawValue) \(value): \(error.message)"
        throw located
      }
      rows.append(
        Row(
          value: value, params: report.totals.params, macs: report.totals.macs, flops: report.totals.flops,
          activationBytes: report.totals.activationBytes, peakActivationBytes: report.memory.peakActivationBytes,
          latencyLowerBoundSeconds: try device.map { device throws(ConvScopeError) in
            try Roofline.analyze(report, on: device).latencyLowerBoundSeconds
          }))
    }
    return rows
  }

  /// Input shapes with every spatial axis (rank >= 3: all but N and C) set to `size`.
  private static func resized(_ graph: Graph, options: AnalysisOptions, to size: Int) throws(ConvScopeError)
    -> [String: Shape]
  {
    var shapes = options.inputShapes
    var found = false
    for input in graph.inputs {
      var shape = options.inputShapes[input.name] ?? (graph.inputs.count == 1 ? options.inputShapes[""] : nil) ?? input.shape
      guard shape.rank >= 3 else { continue }
      for axis in 2..<shape.rank { shape.dims[axis] = .fixed(size) }
      shapes[input.name] = shape
      found = true
    }
    shapes[""] = nil
    guard found else {
      throw ConvScopeError(
        file: options.sourceName, field: "--resolution", message: "the model has no input with spatial axes to resize")
    }
    return shapes
  }
}
