import ConvScopeCore

/// One node's row: its shapes, window, formulas and costs.
public struct LayerRow: Sendable, Codable, Hashable {
  public var name: String
  public var op: String
  /// Input tensor names (omitted optional inputs left out).
  public var inputs: [String]
  /// Shapes of the data inputs (weights and configuration tensors left out).
  public var inputShapes: [TensorSummary]
  public var outputs: [TensorSummary]
  /// The sliding window of convolutions and pools, with the real per-side padding.
  public var window: Window?
  /// Output-size formula per spatial axis.
  public var shapeFormulas: [String]
  /// Parameter formula, as numbers.
  public var paramFormula: String?
  /// Learnable parameters this node owns (shared weights counted at their first consumer).
  public var params: Int
  /// Non-trainable state (running statistics) this node owns.
  public var nonTrainableParams: Int
  public var weightBytes: Int
  public var cost: Cost
  public var macs: Int
  public var flops: Int
  /// Elements and bytes of this node's outputs.
  public var activationElements: Int
  public var activationBytes: Int
  /// Share of the model's MACs and params, in [0, 1].
  public var macsShare: Double
  public var paramsShare: Double
  /// False for an op without a rule: its costs are unknown and left out of the totals.
  public var supported: Bool
  /// True when every input was constant, so the node was folded away (shape arithmetic).
  public var folded: Bool
  /// Remarks (inexact divisions and the rounding applied).
  public var warnings: [String]
  /// The module or source layer the node belongs to, for grouping.
  public var group: String?
  /// The receptive field of the first output, where one is defined.
  public var receptiveField: ReceptiveField? = nil
  /// This layer's figure under the convention asked for with `--convention`.
  public var conventionFigure: Int? = nil
  /// What the op's rule says about this node (family, weight and bias inputs, parameters),
  /// for conventions and passes. Unpublished: not in the JSON, nor in the row's equality. It
  /// restates the op type in ConvScope's own terms, and the JSON is a published format that
  /// must not change with it; a decoded row gets empty facts (``OpFamily/other``) and equals
  /// the row that was encoded.
  @Unpublished public var facts: OpFacts = OpFacts()

  /// Every stored property, in declaration order.
  public init(
    name: String,
    op: String,
    inputs: [String],
    inputShapes: [TensorSummary],
    outputs: [TensorSummary],
    window: Window?,
    shapeFormulas: [String],
    paramFormula: String?,
    params: Int,
    nonTrainableParams: Int,
    weightBytes: Int,
    cost: Cost,
    macs: Int,
    flops: Int,
    activationElements: Int,
    activationBytes: Int,
    macsShare: Double,
    paramsShare: Double,
    supported: Bool,
    folded: Bool,
    warnings: [String],
    group: String?,
    receptiveField: ReceptiveField? = nil,
    conventionFigure: Int? = nil,
    facts: OpFacts = OpFacts()
  ) {
    self.name = name
    self.op = op
    self.inputs = inputs
    self.inputShapes = inputShapes
    self.outputs = outputs
    self.window = window
    self.shapeFormulas = shapeFormulas
    self.paramFormula = paramFormula
    self.params = params
    self.nonTrainableParams = nonTrainableParams
    self.weightBytes = weightBytes
    self.cost = cost
    self.macs = macs
    self.flops = flops
    self.activationElements = activationElements
    self.activationBytes = activationBytes
    self.macsShare = macsShare
    self.paramsShare = paramsShare
    self.supported = supported
    self.folded = folded
    self.warnings = warnings
    self.group = group
    self.receptiveField = receptiveField
    self.conventionFigure = conventionFigure
    self.facts = facts
  }

  enum CodingKeys: String, CodingKey {
    case name, op, inputs
    case inputShapes = "input_shapes"
    case outputs, window
    case shapeFormulas = "shape_formulas"
    case paramFormula = "param_formula"
    case params
    case nonTrainableParams = "non_trainable_params"
    case weightBytes = "weight_bytes"
    case cost, macs, flops
    case activationElements = "activation_elements"
    case activationBytes = "activation_bytes"
    case macsShare = "macs_share"
    case paramsShare = "params_share"
    case supported, folded, warnings, group
    case receptiveField = "receptive_field"
    case conventionFigure = "convention_figure"
    // `facts` is deliberately absent: see its documentation.
  }
}
