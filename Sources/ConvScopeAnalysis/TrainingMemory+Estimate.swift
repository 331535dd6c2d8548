import ConvScopeCore
import ConvScopeReport

extension TrainingMemory {
  /// Estimates one training step of `report`'s model.
  public static func estimate(_ report: Report, optimizer: Optimizer, precision: Precision) throws(OpError)
    -> Estimate
  {
    let params = report.totals.params
    let elements = try Checked.sum(report.layers.filter { !$0.folded }.map(\.activationElements))
    let activationWidth = precision.activationBytesPerElement
    let lines = [
      Line(
        item: "parameters", bytes: try Checked.multiply(params, 4),
        formula: "\(NumberFormatting.grouped(params)) params x 4 B"),
      Line(
        item: "gradients", bytes: try Checked.multiply(params, 4),
        formula: "\(NumberFormatting.grouped(params)) params x 4 B"),
      Line(
        item: "optimizer state (\(optimizer.rawValue))",
        bytes: try Checked.product([params, optimizer.stateBuffers, 4]),
        formula: "\(NumberFormatting.grouped(params)) params x \(optimizer.stateBuffers) buffers x 4 B"),
      Line(
        item: "activations saved for backward",
        bytes: try Checked.multiply(elements, activationWidth),
        formula: "\(NumberFormatting.grouped(elements)) output elements x \(activationWidth) B"),
    ]
    let batch = report.inputs.first?.shape.dims.first?.value ?? 1
    return Estimate(
      optimizer: optimizer, precision: precision, batch: batch, lines: lines,
      totalBytes: try Checked.sum(lines.map(\.bytes)),
      assumptions: [
        "parameters, gradients and optimizer state in float32" + (precision == .amp ? " (AMP master weights)" : ""),
        "every node output saved for backward at \(activationWidth) B per element, batch \(batch)",
        "workspace, fragmentation and framework context not included",
      ])
  }
}
