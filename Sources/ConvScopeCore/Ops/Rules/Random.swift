/// The random generators: `RandomUniformLike`, `RandomNormalLike` and `Bernoulli` take their
/// shape from input 0, `RandomUniform` and `RandomNormal` from the `shape` attribute.
/// <https://onnx.ai/onnx/operators/onnx__RandomUniformLike.html>,
/// <https://onnx.ai/onnx/operators/onnx__Bernoulli.html>
///
/// Shape: input 0's (or `shape`), of type `dtype` when given, else input 0's type (float for the
/// attribute-shaped ones). The registry never folds them (``OpRegistry/isNondeterministic(domain:opType:)``).
///
/// Cost per element: one random draw ("other"), then `low + (high - low) * u` or
/// `mean + scale * z` (1 MAC), or Bernoulli's `u < p` (1 compare).
///
/// Example: Bernoulli on 10 probabilities → 10 draws and 10 compares.
public struct RandomRule: OpRule {
  public init() {}
  public var opTypes: [String] {
    ["RandomUniformLike", "RandomNormalLike", "Bernoulli", "RandomUniform", "RandomNormal"]
  }
  public func family(of opType: String) -> OpFamily { .random }
  public var summary: String {
    "Y of input 0's shape (or `shape`); per element a draw and a MAC (Bernoulli: a compare)"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let op = context.node.opType
    let shape: Shape
    var type = DataType.float32
    if op == "RandomUniform" || op == "RandomNormal" {
      guard let sizes = try context.ints("shape"), sizes.allSatisfy({ $0 >= 0 }) else {
        throw OpError(field: "shape", "\(op) needs a `shape` of non-negative sizes")
      }
      shape = Shape(sizes)
    } else {
      let x = try context.input(0)
      (shape, type) = (x.shape, x.dataType)
    }
    if let code = try context.ints("dtype")?.first {
      guard let given = DataType(onnxCode: code), given != .undefined else {
        throw OpError(field: "dtype", "\(code) is not an ONNX data type code")
      }
      type = given
    }
    let count = try ElementCounting.count(shape, field: "inputs[0]")
    let cost = op == "Bernoulli" ? Cost(compares: count, others: count) : Cost(macs: count, others: count)
    return OpOutcome(outputs: [.init(dataType: type, shape: shape)], cost: cost)
  }
}
