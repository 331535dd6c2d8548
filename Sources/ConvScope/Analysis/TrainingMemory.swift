/// An estimate of the memory one training step needs, line by line.
///
/// Assumptions (stated in the report):
/// - parameters and their gradients are kept in float32 (4 bytes each), also under AMP,
///   where autocast computes in float16 but the optimizer updates float32 master weights;
/// - optimizer state per parameter: SGD none, momentum one buffer, Adam and AdamW two
///   (first and second moments), all float32;
/// - every output a node produces is saved for its backward pass (what autograd keeps
///   for conv, matmul and most activations; in-place and recomputed ones would save less),
///   at 4 bytes per element, or 2 under AMP;
/// - the batch is the one the report was analysed with (`--batch`).
/// Workspace, allocator fragmentation and the CUDA context are left out.
public enum TrainingMemory {
  /// Optimizers with their per-parameter float32 state buffers.
  public enum Optimizer: String, Sendable, CaseIterable, Codable {
    case sgd, momentum, adam, adamw

    /// Float32 buffers kept per parameter.
    public var stateBuffers: Int {
      switch self {
      case .sgd: 0
      case .momentum: 1
      case .adam, .adamw: 2
      }
    }
  }

  /// Training precision.
  public enum Precision: String, Sendable, CaseIterable, Codable {
    case fp32, amp

    var activationBytesPerElement: Int { self == .fp32 ? 4 : 2 }
  }

  /// One line of the estimate.
  public struct Line: Sendable, Codable, Hashable {
    public var item: String
    public var bytes: Int
    public var formula: String
  }

  /// The estimate's lines and their total.
  public struct Estimate: Sendable, Codable, Hashable {
    public var optimizer: Optimizer
    public var precision: Precision
    public var batch: Int
    public var lines: [Line]
    public var totalBytes: Int
    public var assumptions: [String]

    enum CodingKeys: String, CodingKey {
      case optimizer, precision, batch, lines
      case totalBytes = "total_bytes"
      case assumptions
    }
  }

  /// Estimates one training step of `report`'s model.
  public static func estimate(_ report: Report, optimizer: Optimizer, precision: Precision) throws(OpError)
    -> Estimate
  {
    let params = report.totals.params
    let elements = try Checked.sum(report.layers.filter { !$0.folded }.map(\.activationElements))
    let activationWidth = precision.activationBytesPerElement
    let lines = [
      Line(item: "parameters", bytes: try Checked.multiply(params, 4), formula: "\(NumberFormatting.grouped(params)) params x 4 B"),
      Line(item: "gradients", bytes: try Checked.multiply(params, 4), formula: "\(NumberFormatting.grouped(params)) params x 4 B"),
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
