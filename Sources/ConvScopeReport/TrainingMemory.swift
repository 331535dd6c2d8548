import ConvScopeCore

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

    package var activationBytesPerElement: Int { self == .fp32 ? 4 : 2 }
  }

  /// One line of the estimate.
  public struct Line: Sendable, Codable, Hashable {
    public var item: String
    public var bytes: Int
    public var formula: String
    /// Every stored property, in declaration order.
    public init(
      item: String,
      bytes: Int,
      formula: String
    ) {
      self.item = item
      self.bytes = bytes
      self.formula = formula
    }

  }

  /// The estimate's lines and their total.
  public struct Estimate: Sendable, Codable, Hashable {
    public var optimizer: Optimizer
    public var precision: Precision
    public var batch: Int
    public var lines: [Line]
    public var totalBytes: Int
    public var assumptions: [String]

    /// Every stored property, in declaration order.
    public init(
      optimizer: Optimizer,
      precision: Precision,
      batch: Int,
      lines: [Line],
      totalBytes: Int,
      assumptions: [String]
    ) {
      self.optimizer = optimizer
      self.precision = precision
      self.batch = batch
      self.lines = lines
      self.totalBytes = totalBytes
      self.assumptions = assumptions
    }

    enum CodingKeys: String, CodingKey {
      case optimizer, precision, batch, lines
      case totalBytes = "total_bytes"
      case assumptions
    }
  }
}
