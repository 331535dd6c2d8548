/// The elementary operations of normalising `elements` values in `groups` equal groups of
/// `S = elements / groups` values each, computed as a straightforward kernel would: statistics
/// once per group, then one pass over the elements. What is counted:
///
///     centred (mean and variance: Instance/Layer/Group/MeanVariance norm, BatchNorm training)
///       mean          S - 1 adds + 1 divide per group
///       deviation     1 add (x - mean) per element, kept for the output
///       variance      1 multiply (square) per element, S - 1 adds + 1 divide per group
///     root mean square (RMSNormalization)
///       mean square   1 multiply per element, S - 1 adds + 1 divide per group
///     both
///       inverse std   1 add (+ epsilon), 1 sqrt (`others`), 1 divide (reciprocal) per group
///       normalise     1 multiply per element (by the inverse std)
///     affine          1 multiply per element with a scale, 1 add per element with a bias
///
/// So a centred norm with scale and bias costs, per element, 2 adds and 3 multiplies, and per
/// group `2*(S-1) + 1` adds, 3 divides and 1 sqrt: adds `4*elements - groups`,
/// multiplies `3*elements`, divides `3*groups`, others `groups`.
struct NormalizationCost {
  var elements: Int
  var groups: Int
  /// Subtracts the mean (false for RMS normalisation, which only divides by the root mean square).
  var centered = true
  /// Multiplies by a scale after normalising.
  var scaled = true
  /// Adds a bias after normalising.
  var shifted = true

  func cost() throws(OpError) -> Cost {
    let perGroupSums = elements - groups  // (S - 1) adds in each group
    var adds = try Checked.add(perGroupSums, groups)  // sum of squares, + epsilon
    var multiplies = try Checked.multiply(2, elements)  // square, times the inverse std
    var divides = try Checked.multiply(2, groups)  // mean (of squares), reciprocal
    if centered {
      adds = try Checked.sum([adds, perGroupSums, elements])  // sum of x, deviations
      divides = try Checked.add(divides, groups)  // mean of x
    }
    if scaled { multiplies = try Checked.add(multiplies, elements) }
    if shifted { adds = try Checked.add(adds, elements) }
    return Cost(adds: adds, multiplies: multiplies, divides: divides, others: groups)
  }
}

/// Checks shared by the normalisation rules.
enum NormalizationInputs {
  /// Throws unless the input `x` has at least `rank` dims (`N x C x ...`).
  static func checkRank(_ context: NodeContext, _ x: [Int], atLeast rank: Int) throws(OpError) {
    guard x.count >= rank else {
      throw OpError(
        field: "inputs[0]",
        "\(context.node.opType) input must be N x C x ... of rank \(rank) or more, got rank \(x.count)")
    }
  }

  /// `axis` in `[-rank, rank)` as a non-negative index.
  static func axis(_ axis: Int, rank: Int, field: String = "axis") throws(OpError) -> Int {
    guard axis >= -rank && axis < rank else {
      throw OpError(field: field, "\(axis) is out of range for rank \(rank) (expected \(-rank)..<\(rank))")
    }
    return axis < 0 ? axis + rank : axis
  }

  /// Throws when required input `index` is missing, or when its shape is known and is not `expected`.
  static func check(_ context: NodeContext, _ index: Int, is expected: [Int], _ what: String) throws(OpError) {
    _ = try context.input(index)
    guard let sizes = try? context.sizes(index) else { return }
    guard sizes == expected else {
      throw OpError(field: "inputs[\(index)]", "\(what) has shape \(sizes); expected \(expected)")
    }
  }

  /// Throws when input `index` is required and missing, or when its shape is known and does not
  /// broadcast to `target` (numpy rules, aligned from the right, never growing `target`).
  static func check(
    _ context: NodeContext, _ index: Int, broadcastsTo target: [Int], _ what: String, required: Bool = true
  ) throws(OpError) {
    if required { _ = try context.input(index) }
    guard context.has(index), let sizes = try? context.sizes(index) else { return }
    let fits =
      sizes.count <= target.count && zip(sizes.reversed(), target.reversed()).allSatisfy { $0 == 1 || $0 == $1 }
    guard fits else {
      throw OpError(field: "inputs[\(index)]", "\(what) of shape \(sizes) does not broadcast to \(target)")
    }
  }

  /// `64+64 = 128`: the element counts of the given inputs (learned scale and bias) and their sum.
  static func paramFormula(_ context: NodeContext, _ indices: [Int]) throws(OpError) -> String? {
    var counts: [Int] = []
    for index in indices where context.has(index) {
      guard let sizes = try? context.sizes(index) else { continue }  // shape unknown: not in the formula
      counts.append(try Checked.product(sizes))
    }
    guard !counts.isEmpty else { return nil }
    return "\(counts.map(String.init).joined(separator: "+")) = \(try Checked.sum(counts))"
  }

  /// The element type of the `Mean`/`InvStdDev` outputs from `stash_type` (float32 by default).
  static func stashType(_ context: NodeContext) throws(OpError) -> DataType {
    let code = try context.int("stash_type", default: 1)
    guard let type = DataType(onnxCode: code), type.isFloatingPoint else {
      throw OpError(field: "stash_type", "\(code) is not a floating-point ONNX element type")
    }
    return type
  }
}
