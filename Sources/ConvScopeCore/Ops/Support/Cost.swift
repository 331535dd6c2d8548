/// The elementary operations one node performs, counted once so that any
/// tool's convention can be applied afterwards without re-analysis.
///
/// A multiply-accumulate (`a += w * x`) is one MAC; it is never also counted as
/// an add or a multiply. Bias additions are `adds`. ConvScope's own FLOPs are
/// `2 * macs + adds + multiplies + divides + compares + exponentials + others`.
public struct Cost: Hashable, Sendable, Codable {
  /// Multiply-accumulates (convolutions, matrix products).
  public var macs: Int
  /// Additions and subtractions (bias, residual adds, reductions, normalisation).
  public var adds: Int
  /// Multiplications outside MACs (scales, gating).
  public var multiplies: Int
  /// Divisions (averages, normalisation, softmax).
  public var divides: Int
  /// Comparisons (max pooling, ReLU, clipping).
  public var compares: Int
  /// Exponentials (softmax, sigmoid, tanh, GELU).
  public var exponentials: Int
  /// Other transcendental or special functions (sqrt, erf, log, pow).
  public var others: Int

  public init(
    macs: Int = 0, adds: Int = 0, multiplies: Int = 0, divides: Int = 0,
    compares: Int = 0, exponentials: Int = 0, others: Int = 0
  ) {
    self.macs = macs
    self.adds = adds
    self.multiplies = multiplies
    self.divides = divides
    self.compares = compares
    self.exponentials = exponentials
    self.others = others
  }

  /// No work at all (shape ops, Identity, Dropout at inference).
  public static let zero = Cost()

  /// ConvScope's FLOPs: two per MAC, one per other elementary operation.
  public func flops() throws(OpError) -> Int {
    try Checked.sum([try Checked.multiply(2, macs), adds, multiplies, divides, compares, exponentials, others])
  }

  /// The sum of two costs, overflow-checked.
  public func adding(_ other: Cost) throws(OpError) -> Cost {
    Cost(
      macs: try Checked.add(macs, other.macs), adds: try Checked.add(adds, other.adds),
      multiplies: try Checked.add(multiplies, other.multiplies),
      divides: try Checked.add(divides, other.divides),
      compares: try Checked.add(compares, other.compares),
      exponentials: try Checked.add(exponentials, other.exponentials),
      others: try Checked.add(others, other.others))
  }

  /// Each count multiplied by `factor`, overflow-checked.
  public func scaled(by factor: Int) throws(OpError) -> Cost {
    Cost(
      macs: try Checked.multiply(macs, factor), adds: try Checked.multiply(adds, factor),
      multiplies: try Checked.multiply(multiplies, factor),
      divides: try Checked.multiply(divides, factor),
      compares: try Checked.multiply(compares, factor),
      exponentials: try Checked.multiply(exponentials, factor),
      others: try Checked.multiply(others, factor))
  }
}
