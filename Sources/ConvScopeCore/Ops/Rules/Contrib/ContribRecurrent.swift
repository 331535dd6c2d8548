/// ONNX Runtime's `com.microsoft` `DynamicQuantizeLSTM`: an ONNX `LSTM` whose `W` and `R` are
/// stored int8 (or uint8), transposed, with their scales and zero points; the input and the
/// hidden state are quantised on the fly.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.DynamicQuantizeLSTM>
///
/// Shape: `X [S, B, I]`, `W [D, I, 4H]`, `R [D, H, 4H]`, optional `B [D, 8H]`, `sequence_lens`,
/// `initial_h`, `initial_c [D, B, H]`, `P [D, 3H]`, then `W_scale`, `W_zero_point`, `R_scale`,
/// `R_zero_point` → `Y [S, D, B, H]`, `Y_h`, `Y_c [D, B, H]`; `D` is 2 for `bidirectional`.
///
/// Cost: the float LSTM's (``RecurrentLayer``: `4H*(I + H)` MACs per step, direction and
/// sample, gates, peepholes and cell update), plus per step the two integer products summed
/// (`4H` adds) and rescaled (`8H` multiplies) and `h` quantised; X quantised once per
/// direction (``QuantizationCost/dynamicQuantize(_:)``). Params: W, R, B, P (int8 at one byte
/// each); scales and zero points count bytes only; the initial states are data, as in `LSTM`.
///
/// Example: X 5x1x8, hidden 16, forward → Y 5x1x1x16, MACs `5*64*(8+16) = 7680`, params
/// `8*64 + 16*64 + 128 = 1664`.
public struct DynamicQuantizeLSTMRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["DynamicQuantizeLSTM"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily { .recurrent }
  public var summary: String {
    "Y[S,D,B,H]; MACs = S*D*B*4H*(I+H); gates, cell update and dynamic quantisation per step"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    let w = try context.sizes(1)
    let r = try context.sizes(2)
    let direction = try context.string("direction", default: "forward")
    guard ["forward", "reverse", "bidirectional"].contains(direction) else {
      throw OpError(field: "direction", "expected forward, reverse or bidirectional, got \"\(direction)\"")
    }
    let directions = direction == "bidirectional" ? 2 : 1
    guard x.count == 3, r.count == 3, r[0] == directions else {
      throw OpError(
        field: "inputs[2]", "expected X [S, B, I] and R [\(directions), H, 4H], got \(Shape(x)), \(Shape(r))")
    }
    let (steps, batch, inputSize, hidden) = (x[0], x[1], x[2], r[1])
    let gates = try Checked.multiply(4, hidden)
    guard r[2] == gates, try context.int("hidden_size", default: hidden) == hidden, w == [directions, inputSize, gates]
    else {
      throw OpError(
        field: "inputs[1]",
        "W \(Shape(w)) and R \(Shape(r)) must be [\(directions), \(inputSize), 4H] and [\(directions), H, 4H]")
    }
    let layer = try RecurrentLayer(
      cell: .lstm, directions: directions, sequenceLength: steps, batchSize: batch, inputSize: inputSize,
      hiddenSize: hidden, hasBias: context.has(3), hasPeepholes: context.has(7))
    // Beyond the float LSTM's step: the two integer products rescaled (8H multiplies) and
    // summed (4H adds), and h quantised for the next step.
    let extraPerStep = try Cost(adds: gates, multiplies: try Checked.multiply(2, gates))
      .adding(try QuantizationCost.dynamicQuantize(hidden))
    let triples = try Checked.product([steps, directions, batch])
    let inputQuantization = try QuantizationCost.dynamicQuantize(try Checked.product(x)).scaled(by: directions)
    let type = try context.input(0).dataType
    let state = OpOutcome.Output(dataType: type, shape: Shape([directions, batch, hidden]))
    let outputs: [OpOutcome.Output] = [
      .init(dataType: type, shape: Shape([steps, directions, batch, hidden])), state, state,
    ]
    return OpOutcome(
      outputs: Array(outputs.prefix(max(1, context.node.outputs.count))),
      cost: try layer.cost().adding(try extraPerStep.scaled(by: triples)).adding(inputQuantization),
      inputRoles: [
        1: .weight, 2: .weight, 3: .bias, 4: .configuration, 7: .weight, 8: .quantization, 9: .quantization,
        10: .quantization, 11: .quantization,
      ],
      paramFormula: try NormalizationInputs.paramFormula(context, [1, 2, 3, 7].filter { context.isConstant($0) }))
  }
}
