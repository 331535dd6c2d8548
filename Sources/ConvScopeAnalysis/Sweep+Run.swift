import ConvScopeCore
import ConvScopeReport
extension Sweep {
  /// Re-analyses `graph` once per value of `axis`. For a resolution sweep, `rebuild` (when
  /// given) re-imports the model with the new input shapes, for formats whose weights depend
  /// on the input size (a spec's dense layer after a flatten).
  public static func run(
    _ graph: Graph, axis: Axis, values: [Int], options: AnalysisOptions, device: DeviceProfile? = nil,
    rebuild: ((_ inputShapes: [String: Shape]) throws(ConvScopeError) -> Graph)? = nil
  ) throws(ConvScopeError) -> [Row] {
    var rows: [Row] = []
    for value in values {
      guard value > 0 else {
        throw ConvScopeError(file: options.sourceName, field: "--\(axis.rawValue)", message: "values must be positive, got \(value)")
      }
      var swept = options
      var model = graph
      switch axis {
      case .batch:
        swept.batch = value
      case .resolution:
        swept.inputShapes = try resized(graph, options: options, to: value)
        if let rebuild { model = try rebuild(swept.inputShapes) }
      }
      let report: Report
      do {
        report = try Analyzer.analyze(model, options: swept)
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
