/// Element counts and axis arithmetic shared by the math op families (activations,
/// elementwise, reductions): counts need every dim known, axes follow ONNX's
/// negative-from-the-end convention.
enum ElementCounting {
  /// The number of elements of `shape`, or an unknown-shape error naming `field`
  /// when a dim is symbolic (the analyzer then leaves the node unresolved).
  static func count(_ shape: Shape, field: String) throws(OpError) -> Int {
    guard let count = try shape.checkedElementCount() else {
      throw OpError(field: field, "shape \(shape) has unknown dims", isUnknownShape: true)
    }
    return count
  }

  /// `axis` in `0..<rank` (negative axes count from the end), or an error naming `field`.
  static func normalizedAxis(_ axis: Int, rank: Int, field: String) throws(OpError) -> Int {
    let resolved = axis < 0 ? axis + rank : axis
    guard resolved >= 0, resolved < rank else {
      throw OpError(field: field, "axis \(axis) is out of range for rank \(rank) (expected -\(rank)...\(rank - 1))")
    }
    return resolved
  }

  /// `"4*4*32 = 512"`: the product of `factors` written out, for parameter formulas.
  static func productFormula(_ factors: [Int]) throws(OpError) -> String {
    let text = factors.isEmpty ? "1" : factors.map(String.init).joined(separator: "*")
    return "\(text) = \(try Checked.product(factors))"
  }
}
