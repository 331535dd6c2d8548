/// What an op rule says about one node: its outputs, its cost, how to count
/// its constant inputs, and the formulas a user reads in the table.
public struct OpOutcome: Sendable {
  /// One output tensor: its type, its shape, and its value when the rule folded it.
  public struct Output: Sendable, Hashable {
    public var dataType: DataType
    public var shape: Shape
    public var constant: ConstantTensor?
    /// A tensor, or a sequence or optional of them (`shape` is then the elements' shape).
    public var kind: ValueKind

    public init(dataType: DataType, shape: Shape, constant: ConstantTensor? = nil, kind: ValueKind = .tensor) {
      self.dataType = dataType
      self.shape = shape
      self.constant = constant
      self.kind = kind
    }

    /// A folded constant output.
    public init(constant: ConstantTensor) {
      self.init(dataType: constant.dataType, shape: constant.shape, constant: constant)
    }
  }

  /// Outputs, index-aligned with `node.outputs` (extra node outputs get no shape).
  public var outputs: [Output]
  /// Elementary operations performed.
  public var cost: Cost
  /// Role of each input by index; inputs not listed are `.data`.
  public var inputRoles: [Int: InputRole]
  /// The sliding window, for convolutions and pools (shown in the table, used by the receptive-field pass).
  public var window: Window?
  /// The output-size formula per spatial axis, as numbers: `(57-5+2+2)/1+1 = 57`.
  public var shapeFormulas: [String]
  /// The parameter formula, as numbers: `1*5*1*16+16 = 96`.
  public var paramFormula: String?
  /// Remarks that qualify the result (an inexact division and the rounding applied).
  public var warnings: [String]
  /// Attributes counting conventions need beyond the cost (LRN's `size`).
  public var parameters: OpParameters
  /// For a weight stored packed, the number of weights input `i` holds (a `MatMulNBits`
  /// 4-bit weight `[N, blocks, 16]` of uint8 holds `N * K` weights, two a byte); the
  /// parameter count reads this instead of the stored element count.
  public var packedWeightElements: [Int: Int] = [:]

  public init(
    outputs: [Output], cost: Cost = .zero, inputRoles: [Int: InputRole] = [:],
    window: Window? = nil, shapeFormulas: [String] = [], paramFormula: String? = nil,
    warnings: [String] = [], parameters: OpParameters = .init()
  ) {
    self.outputs = outputs
    self.cost = cost
    self.inputRoles = inputRoles
    self.window = window
    self.shapeFormulas = shapeFormulas
    self.paramFormula = paramFormula
    self.warnings = warnings
    self.parameters = parameters
  }
}
