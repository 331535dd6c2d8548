import ConvScopeCore

/// The result of analysing a model: per-layer rows, totals and summaries.
/// A value that renderers turn into text; its JSON form is documented in
/// `docs/json-schema.md` and versioned by ``Report/schemaVersion``.
public struct Report: Sendable, Codable, Hashable {
  /// The JSON schema version; bumped when a field changes meaning or is removed.
  public static let currentSchemaVersion = "1.2"

  public var schemaVersion: String
  public var model: ModelSummary
  public var inputs: [TensorSummary]
  /// The graph outputs, with their inferred shapes where known.
  public var outputs: [TensorSummary]
  /// Dims the analysis had to assume (`N = 1 (default batch)`).
  public var assumptions: [String]
  public var layers: [LayerRow]
  public var totals: Totals
  /// Totals per op type, in order of first appearance.
  public var byOpType: [OpTypeSummary]
  /// Ops that have no rule, with how many nodes use each; the totals leave them out.
  public var unsupported: [UnsupportedOp]
  /// Footnotes to print under the table (from the model file's notes).
  public var notes: [String]
  /// Activation memory over one inference pass (the liveness pass).
  public var memory: MemorySummary
  /// Layers grouped by output resolution, with their shares (the stage-balance pass).
  public var stages: [StageSummary] = []
  /// The first layer whose receptive field covers the whole input on every spatial axis.
  public var receptiveFieldCoversInputAt: String?
  /// What the counts describe (`--mode`).
  public var mode: AnalysisMode = .inference
  /// The figures of the tool asked for with `--convention` (absent otherwise).
  public var convention: ConventionResult? = nil
  /// Every tool's figure side by side (`--reconcile`).
  public var reconciliation: [ConventionResult]? = nil
  /// Roofline bounds on the device asked for with `--device`.
  public var roofline: RooflineSummary? = nil
  /// A what-if sweep over resolutions or batch sizes.
  public var sweep: SweepSummary? = nil

  /// Every stored property, in declaration order.
  public init(
    schemaVersion: String,
    model: ModelSummary,
    inputs: [TensorSummary],
    outputs: [TensorSummary],
    assumptions: [String],
    layers: [LayerRow],
    totals: Totals,
    byOpType: [OpTypeSummary],
    unsupported: [UnsupportedOp],
    notes: [String],
    memory: MemorySummary,
    stages: [StageSummary] = [],
    receptiveFieldCoversInputAt: String?,
    mode: AnalysisMode = .inference,
    convention: ConventionResult? = nil,
    reconciliation: [ConventionResult]? = nil,
    roofline: RooflineSummary? = nil,
    sweep: SweepSummary? = nil
  ) {
    self.schemaVersion = schemaVersion
    self.model = model
    self.inputs = inputs
    self.outputs = outputs
    self.assumptions = assumptions
    self.layers = layers
    self.totals = totals
    self.byOpType = byOpType
    self.unsupported = unsupported
    self.notes = notes
    self.memory = memory
    self.stages = stages
    self.receptiveFieldCoversInputAt = receptiveFieldCoversInputAt
    self.mode = mode
    self.convention = convention
    self.reconciliation = reconciliation
    self.roofline = roofline
    self.sweep = sweep
  }

  enum CodingKeys: String, CodingKey {
    case schemaVersion = "schema_version"
    case model, inputs, outputs, assumptions, layers, totals
    case byOpType = "by_op_type"
    case unsupported, notes, memory, stages
    case receptiveFieldCoversInputAt = "receptive_field_covers_input_at"
    case convention, reconciliation, roofline, sweep, mode
  }
}

/// Where the model came from.
public struct ModelSummary: Sendable, Codable, Hashable {
  public var name: String
  /// The file as the user named it (`-` for standard input).
  public var source: String
  /// The format read; absent for a graph built in code and analysed directly.
  public var format: ModelFormat?
  /// How shapes are written in `display_shape` fields.
  public var layout: TensorLayout
  /// The width multiplier a spec was read with (`--width-mult`); absent when 1.
  public var widthMultiplier: Double?
  /// Every stored property, in declaration order.
  public init(
    name: String,
    source: String,
    format: ModelFormat?,
    layout: TensorLayout,
    widthMultiplier: Double? = nil
  ) {
    self.name = name
    self.source = source
    self.format = format
    self.layout = layout
    self.widthMultiplier = widthMultiplier
  }

  enum CodingKeys: String, CodingKey {
    case name, source, format, layout
    case widthMultiplier = "width_multiplier"
  }

}

/// A tensor's name, type and shape (ONNX order), and the shape as the model's layout writes it.
public struct TensorSummary: Sendable, Codable, Hashable {
  public var name: String
  public var dtype: DataType
  public var shape: Shape
  public var displayShape: Shape
  /// For an ONNX sequence, map or optional, which (`dtype` is then the element's); nil for a tensor.
  public var kind: ValueKind?

  /// Every stored property, in declaration order.
  public init(
    name: String,
    dtype: DataType,
    shape: Shape,
    displayShape: Shape,
    kind: ValueKind? = nil
  ) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.displayShape = displayShape
    self.kind = kind
  }

  enum CodingKeys: String, CodingKey {
    case name, dtype, shape, kind
    case displayShape = "display_shape"
  }

  /// The element type as the text renderers write it: `float32`, `sequence of float32`,
  /// `map to float32`, `optional float32`.
  public var typeName: String {
    switch kind {
    case nil, .tensor?: dtype.rawValue
    case .sequence?: "sequence of \(dtype.rawValue)"
    case .map?: "map to \(dtype.rawValue)"
    case .optional?: "optional \(dtype.rawValue)"
    }
  }

  /// The display shape as text, or nil for a sequence or map, which declare none.
  public var shapeText: String? {
    kind == .sequence || kind == .map ? nil : displayShape.description
  }
}

/// Costs summed over every node of one op type.
public struct OpTypeSummary: Sendable, Codable, Hashable {
  public var op: String
  public var count: Int
  public var params: Int
  public var macs: Int
  public var flops: Int
  public var activationBytes: Int
  /// Share of the model's MACs, in [0, 1].
  public var macsShare: Double = 0

  /// Every stored property, in declaration order.
  public init(
    op: String,
    count: Int,
    params: Int,
    macs: Int,
    flops: Int,
    activationBytes: Int,
    macsShare: Double = 0
  ) {
    self.op = op
    self.count = count
    self.params = params
    self.macs = macs
    self.flops = flops
    self.activationBytes = activationBytes
    self.macsShare = macsShare
  }

  enum CodingKeys: String, CodingKey {
    case op, count, params, macs, flops
    case activationBytes = "activation_bytes"
    case macsShare = "macs_share"
  }
}
