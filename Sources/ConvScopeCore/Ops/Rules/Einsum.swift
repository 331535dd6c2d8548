/// `Einsum`: Einstein summation over an equation such as `bij,bjk->bik`, with `...`
/// standing for broadcast leading dims and an implicit output (no `->`) made of the
/// ellipsis dims then the letters used exactly once, in alphabetical order.
/// <https://onnx.ai/onnx/operators/onnx__Einsum.html>
///
/// Shape: each output letter takes its size from the inputs (a letter's sizes must
/// agree); the ellipsis dims are the broadcast of every operand's ellipsis dims.
///
/// Cost, evaluating naively over the full index space `F = prod(ellipsis dims) *
/// prod(size of every distinct letter)`: with 2 operands, `F` MACs (each point multiplies
/// one element of each operand and accumulates into its output element); each further
/// operand adds `F` multiplies; with 1 operand (a sum, trace or transpose), `F - elements(Y)`
/// adds (a transpose costs nothing).
///
/// Example: `bij,bjk->bik` with 2x3x4 and 2x4x5 → 2x3x5, MACs `2*3*4*5 = 120`.
public struct EinsumRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Einsum"] }
  public func family(of opType: String) -> OpFamily { .einsum }
  public var summary: String { "Y from the equation; 2 operands: MACs = product of every distinct index size" }

  /// One side of the equation: letters before and after an optional `...`.
  private struct Term {
    var leading: [Character] = []
    var trailing: [Character] = []
    var hasEllipsis = false
    var letters: [Character] { leading + trailing }

    init(_ text: Substring) throws(OpError) {
      var rest = text
      while let c = rest.first {
        if rest.hasPrefix("...") {
          guard !hasEllipsis else { throw OpError(field: "equation", "'\(text)' has more than one '...'") }
          hasEllipsis = true
          rest = rest.dropFirst(3)
          continue
        }
        guard c.isASCII, c.isLetter else {
          throw OpError(field: "equation", "unexpected '\(c)' in term '\(text)'; expected letters and '...'")
        }
        if hasEllipsis { trailing.append(c) } else { leading.append(c) }
        rest = rest.dropFirst()
      }
    }
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let equation = try context.string("equation", default: "").filter { $0 != " " }
    let sides = equation.split(separator: "->", omittingEmptySubsequences: false)
    guard !equation.isEmpty, sides.count <= 2 else {
      throw OpError(field: "equation", "'\(equation)' is not an einsum equation like 'ij,jk->ik'")
    }
    let terms = try sides[0].split(separator: ",", omittingEmptySubsequences: false).map { t throws(OpError) in
      try Term(t)
    }
    guard terms.count == context.inputCount else {
      throw OpError(
        field: "equation", "'\(equation)' has \(terms.count) operands but the node has \(context.inputCount) inputs")
    }
    var sizes: [Character: Int] = [:]
    var ellipsisShapes: [Shape] = []
    for (i, term) in terms.enumerated() {
      let dims = try context.sizes(i)
      let ellipsisRank = dims.count - term.letters.count
      guard ellipsisRank == 0 || (term.hasEllipsis && ellipsisRank > 0) else {
        throw OpError(
          field: "inputs[\(i)]",
          "term '\(String(term.letters))' does not match the input's rank \(dims.count) (shape \(Shape(dims)))")
      }
      if term.hasEllipsis {
        ellipsisShapes.append(Shape(Array(dims[term.leading.count..<(term.leading.count + ellipsisRank)])))
      }
      let letterDims = Array(dims.prefix(term.leading.count)) + Array(dims.suffix(term.trailing.count))
      for (letter, size) in zip(term.letters, letterDims) {
        if let known = sizes[letter], known != size {
          throw OpError(
            field: "inputs[\(i)]", "index '\(letter)' has size \(size) here but \(known) in an earlier operand")
        }
        sizes[letter] = size
      }
    }
    let ellipsisDims = try Shape.broadcast(ellipsisShapes).sizes ?? []
    let output: Term
    if sides.count == 2 {
      output = try Term(sides[1])
    } else {
      var uses: [Character: Int] = [:]
      for letter in terms.flatMap(\.letters) { uses[letter, default: 0] += 1 }
      output = try Term(
        Substring((ellipsisShapes.isEmpty ? "" : "...") + String(uses.filter { $0.value == 1 }.keys.sorted())))
    }
    guard Set(output.letters).count == output.letters.count else {
      throw OpError(field: "equation", "output '\(String(output.letters))' repeats an index")
    }
    var outDims: [Int] = []
    for letter in output.leading {
      guard let size = sizes[letter] else {
        throw OpError(field: "equation", "output index '\(letter)' appears in no input")
      }
      outDims.append(size)
    }
    if output.hasEllipsis { outDims += ellipsisDims }
    for letter in output.trailing {
      guard let size = sizes[letter] else {
        throw OpError(field: "equation", "output index '\(letter)' appears in no input")
      }
      outDims.append(size)
    }
    let full = try Checked.product(ellipsisDims + sizes.values)
    var cost = Cost()
    if terms.count == 1 {
      cost.adds = full - (try Checked.product(outDims))
    } else {
      cost.macs = full
      cost.multiplies = try Checked.multiply(full, terms.count - 2)
    }
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(outDims))], cost: cost,
      parameters: OpParameters(einsumEquation: equation))
  }
}
