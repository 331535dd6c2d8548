import ConvScopeCore

/// Many models at once (`convscope analyze DIR`, or several files): one row per model with
/// its headline figures, or the one-line error that stopped it. Its JSON form is documented
/// in `docs/json-schema.md` (Folder summary).
public struct FolderSummary: Sendable, Codable, Hashable {
  /// One row per model, in the order the models were found (paths sorted within a folder).
  public var rows: [Row]

  /// One model: its figures when the analysis succeeded, its error when it did not.
  public struct Row: Sendable, Codable, Hashable {
    /// The file as found (the folder given joined with the path inside it).
    public var source: String
    /// The report's model name; the file's base name when the model could not be read.
    public var name: String
    /// The format read; absent when the file could not be read.
    public var format: ModelFormat?
    public var params: Int?
    public var macs: Int?
    public var flops: Int?
    public var weightBytes: Int?
    public var peakActivationBytes: Int?
    /// Op types without a rule (`domain:Op` for a custom domain); the totals leave them out.
    public var unsupportedOps: [String]
    /// True when some layer was not analysed (an op without a rule, an unknown shape).
    public var partial: Bool
    /// The one-line error that stopped this model; absent when it was analysed.
    public var error: String?

    /// The row of a model that was analysed.
    public init(report: Report) {
      source = report.model.source
      name = report.model.name
      format = report.model.format
      params = report.totals.params
      macs = report.totals.macs
      flops = report.totals.flops
      weightBytes = report.totals.weightBytes
      peakActivationBytes = report.memory.peakActivationBytes
      unsupportedOps = report.unsupported.map(\.op)
      partial = report.totals.partial
    }

    /// The row of a model that failed with `error`, named `name`.
    public init(source: String, name: String, error: String) {
      self.source = source
      self.name = name
      unsupportedOps = []
      partial = false
      self.error = error
    }

    enum CodingKeys: String, CodingKey {
      case source, name, format, params, macs, flops, partial, error
      case weightBytes = "weight_bytes"
      case peakActivationBytes = "peak_activation_bytes"
      case unsupportedOps = "unsupported_ops"
    }
  }

  /// How many rows hold an error.
  public var failures: Int { rows.count(where: { $0.error != nil }) }

  /// The summary of `rows`.
  public init(rows: [Row]) { self.rows = rows }
}
