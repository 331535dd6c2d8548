/// `LSTM`, `GRU`, `RNN`: one recurrent layer run over a sequence, forward, reverse or both
/// ways. <https://onnx.ai/onnx/operators/onnx__LSTM.html>,
/// <https://onnx.ai/onnx/operators/onnx__GRU.html>, <https://onnx.ai/onnx/operators/onnx__RNN.html>
///
/// Shape, with `G` gates (LSTM 4, GRU 3, RNN 1), `D` directions (2 for `bidirectional`) and
/// `H` = `hidden_size` (or `W`'s rows / `G`): `X [S, N, I]` (`layout = 1`: `[N, S, I]`),
/// `W [D, G*H, I]`, `R [D, G*H, H]`, `B [D, 2*G*H]`, `sequence_lens [N]`,
/// `initial_h`/`initial_c` like `Y_h`, `P [D, 3*H]` (LSTM) → `Y [S, D, N, H]`
/// (`[N, S, D, H]`), `Y_h` and `Y_c` (LSTM) `[D, N, H]` (`[N, D, H]`).
///
/// Cost: ``RecurrentLayer/stepCost(direction:)`` per direction, time step and sequence,
/// times the steps run: `S * N`, or the sum of `sequence_lens` (each clamped to `S`) when
/// its values are known. MACs per step are `G*H*(I+H)` (plus `3*H` for LSTM peepholes).
/// Params: `W`, `R`, `P` (weights) and `B` (bias). The initial states are data: a stored one
/// counts like any stored tensor a node reads, the zeros an exporter generates do not.
///
/// Example (`test_lstm_defaults`): X 1x3x2, W 1x12x2, R 1x12x3 → Y_h 1x3x3; per step
/// `4*3*(2+3) = 60` MACs, 3 steps: 180 MACs.
public struct RecurrentRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["LSTM", "GRU", "RNN"] }
  public func family(of opType: String) -> OpFamily { .recurrent }
  public var summary: String {
    "Y[S,D,N,H], Y_h/Y_c[D,N,H] (layout 1: batch first); MACs = D*S*N*G*H*(I+H), G = 4 LSTM, 3 GRU, 1 RNN"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let cell: RecurrentLayer.Cell =
      switch context.node.opType {
      case "LSTM": .lstm
      case "GRU": .gru
      default: .rnn
      }
    let w = try context.sizes(1)
    let r = try context.sizes(2)
    guard w.count == 3, r.count == 3 else {
      throw OpError(field: "inputs[1]", "W \(Shape(w)) and R \(Shape(r)) must be 3-D [D, G*H, I] and [D, G*H, H]")
    }
    let layer = try RecurrentLayer(context, cell: cell, gateRows: w[1])
    let (d, rows) = (layer.directions, w[1])
    var expected = [
      (1, [d, rows, layer.inputSize]), (2, [d, rows, layer.hiddenSize]), (3, [d, try Checked.multiply(2, rows)]),
      (4, [layer.batchSize]), (5, layer.stateShape),
    ]
    if cell == .lstm {
      expected += [(6, layer.stateShape), (7, [d, try Checked.multiply(3, layer.hiddenSize)])]
    }
    for (index, shape) in expected where context.has(index) {
      let sizes = try context.sizes(index)
      guard sizes == shape else {
        throw OpError(field: "inputs[\(index)]", "shape \(Shape(sizes)) differs from the expected \(Shape(shape))")
      }
    }
    let stored = [1, 2, 3, 7].filter { context.has($0) && context.isConstant($0) && (cell == .lstm || $0 < 7) }
    let factors = try stored.map { i throws(OpError) in try context.sizes(i).map(String.init).joined(separator: "*") }
    let total = try Checked.sum(try stored.map { i throws(OpError) in try Checked.product(try context.sizes(i)) })
    let type = try context.input(0).dataType
    let shapes = layer.outputShapes.prefix(max(1, context.node.outputs.count))
    return OpOutcome(
      outputs: shapes.map { .init(dataType: type, shape: Shape($0)) }, cost: try layer.cost(),
      inputRoles: [1: .weight, 2: .weight, 3: .bias, 4: .configuration, 7: .weight],
      paramFormula: factors.isEmpty ? nil : "\(factors.joined(separator: "+")) = \(total)",
      warnings: layer.steps == (try Checked.multiply(layer.sequenceLength, layer.batchSize))
        ? [] : ["sequence_lens: \(layer.steps) of \(layer.sequenceLength)x\(layer.batchSize) steps run"])
  }
}

/// The dims and the counted work of one ONNX recurrent layer (`LSTM`, `GRU`, `RNN`, and the
/// contrib ops built on them), from its sizes and options: shared by every rule that runs one.
///
/// Per direction, time step and sequence (`H` hidden, `I` input, `G` gates), from the spec's
/// equations, where a dot product of length `n` is `n` MACs and `(.)` an elementwise product:
/// - gate products `Xt*W^T + Ht-1*R^T`: `G*H*(I+H)` MACs, summed as one dot product of length `I+H`;
/// - bias `Wb + Rb` (when `B` is given): `2*G*H` adds;
/// - LSTM peepholes `P (.) C` (when `P` is given): `3*H` MACs (`2*H` with `input_forget`);
/// - each activation evaluated: its ``ActivationRule/perElement`` arithmetic (`Affine` a multiply
///   and an add, `ScaledTanh` a tanh and two multiplies), plus 2 compares with `clip` (the
///   activation's input bounded to `[-clip, clip]`). LSTM evaluates `f` on `i, f, o` (`3*H`;
///   `2*H` with `input_forget`), `g` on `c` and `h` on `Ct` (`H` each); GRU `f` on `z, r` (`2*H`)
///   and `g` on `h` (`H`); RNN `f` on `Ht` (`H`);
/// - gate arithmetic: LSTM `Ct = ft (.) Ct-1 + it (.) ct` and `Ht = ot (.) h(Ct)`: `3*H`
///   multiplies, `H` adds (with `input_forget`, `ft = 1 - it`: `H` more adds, as ONNX Runtime
///   couples them); GRU `rt (.) Ht-1` (or `rt (.) (Ht-1*Rh^T + Rbh)`) and
///   `Ht = (1 - zt) (.) ht + zt (.) Ht-1`: `3*H` multiplies, `2*H` adds, and with
///   `linear_before_reset` `H` adds more (the recurrent product of `h` is kept apart from the
///   input product and added after the reset); RNN none.
///
/// Example: LSTM, H 3, I 2, no bias, default activations (Sigmoid, Tanh, Tanh): 60 MACs,
/// `3*3` sigmoids and `2*3` tanhs, 9 multiplies and 3 adds per step.
public struct RecurrentLayer: Sendable, Hashable {
  /// The cell run at each time step.
  public enum Cell: Sendable, Hashable {
    case lstm, gru, rnn

    /// The number of gates stacked in `W` and `R`.
    public var gates: Int {
      switch self {
      case .lstm: 4
      case .gru: 3
      case .rnn: 1
      }
    }

    /// The activation functions one direction takes (`f, g, h`; `f, g`; `f`) and their defaults.
    public var defaultActivations: [String] {
      switch self {
      case .lstm: ["Sigmoid", "Tanh", "Tanh"]
      case .gru: ["Sigmoid", "Tanh"]
      case .rnn: ["Tanh"]
      }
    }
  }

  public var cell: Cell
  /// 1, or 2 for `bidirectional`.
  public var directions: Int
  public var sequenceLength: Int
  public var batchSize: Int
  public var inputSize: Int
  public var hiddenSize: Int
  /// `layout = 1`: X `[N, S, I]`, Y `[N, S, D, H]`, states `[N, D, H]`.
  public var batchFirst: Bool
  /// Whether the bias `B` is given (otherwise it is zero and adds nothing).
  public var hasBias: Bool
  /// Whether the LSTM peepholes `P` are given.
  public var hasPeepholes: Bool
  /// GRU's `linear_before_reset`.
  public var linearBeforeReset: Bool
  /// LSTM's `input_forget`: the forget gate is `1 - it`.
  public var inputForget: Bool
  /// Whether `clip` bounds the input of every activation.
  public var clips: Bool
  /// The activation functions, `cell.defaultActivations.count` per direction, forward first.
  public var activations: [String]
  /// The time steps run over all sequences of the batch: `S * N`, or the sum of `sequence_lens`.
  public var steps: Int

  /// A layer with the given sizes and options; `activations` empty means the defaults,
  /// `steps` `nil` means `S * N`.
  public init(
    cell: Cell, directions: Int, sequenceLength: Int, batchSize: Int, inputSize: Int, hiddenSize: Int,
    batchFirst: Bool = false, hasBias: Bool = false, hasPeepholes: Bool = false, linearBeforeReset: Bool = false,
    inputForget: Bool = false, clips: Bool = false, activations: [String] = [], steps: Int? = nil
  ) throws(OpError) {
    self.cell = cell
    self.directions = directions
    self.sequenceLength = sequenceLength
    self.batchSize = batchSize
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.batchFirst = batchFirst
    self.hasBias = hasBias
    self.hasPeepholes = hasPeepholes
    self.linearBeforeReset = linearBeforeReset
    self.inputForget = inputForget
    self.clips = clips
    let perDirection = cell.defaultActivations
    guard activations.isEmpty || activations.count >= perDirection.count * directions else {
      throw OpError(
        field: "activations", "\(activations.count) activations given, \(perDirection.count * directions) needed")
    }
    self.activations =
      activations.isEmpty ? Array(Array(repeating: perDirection, count: directions).joined()) : activations
    if let steps {
      self.steps = steps
    } else {
      self.steps = try Checked.multiply(sequenceLength, batchSize)
    }
  }

  /// Reads a node with ONNX's recurrent inputs (`X`, `W`, `R`, `B`, `sequence_lens`,
  /// `initial_h`, `initial_c`, `P`) and attributes; `gateRows` is `G*H` as `W` stores it,
  /// which gives `H` when `hidden_size` is absent.
  public init(_ context: NodeContext, cell: Cell, gateRows: Int) throws(OpError) {
    let direction = try context.string("direction", default: "forward")
    guard ["forward", "reverse", "bidirectional"].contains(direction) else {
      throw OpError(field: "direction", "expected forward, reverse or bidirectional, found \"\(direction)\"")
    }
    let layout = try context.int("layout", default: 0)
    guard layout == 0 || layout == 1 else { throw OpError(field: "layout", "expected 0 or 1, found \(layout)") }
    let x = try context.sizes(0)
    guard x.count == 3 else { throw OpError(field: "inputs[0]", "X \(Shape(x)) must be 3-D") }
    let hidden = try context.int("hidden_size", default: gateRows / cell.gates)
    guard hidden > 0, gateRows % cell.gates == 0, gateRows / cell.gates == hidden else {
      throw OpError(field: "hidden_size", "W has \(gateRows) gate rows, not \(cell.gates) gates x \(hidden) units")
    }
    let directions = direction == "bidirectional" ? 2 : 1
    let (sequence, batch) = layout == 1 ? (x[1], x[0]) : (x[0], x[1])
    var steps: Int?
    if context.has(4), let lengths = context.constantInts(4) {
      steps = try Checked.sum(lengths.map { min(max($0, 0), sequence) })
    }
    var names: [String] = []
    switch context.node.attributes["activations"] {
    case nil: break
    case .strings(let given)?: names = given
    case let other?: throw OpError(field: "activations", "expected a list of strings, found \(other.kindName)")
    }
    let needed = cell.defaultActivations.count * directions
    let linearBeforeReset = try context.int("linear_before_reset", default: 0) != 0
    let inputForget = try context.int("input_forget", default: 0) != 0
    try self.init(
      cell: cell, directions: directions, sequenceLength: sequence, batchSize: batch, inputSize: x[2],
      hiddenSize: hidden, batchFirst: layout == 1, hasBias: context.has(3),
      hasPeepholes: cell == .lstm && context.has(7),
      linearBeforeReset: cell == .gru && linearBeforeReset, inputForget: cell == .lstm && inputForget,
      clips: context.node.attributes["clip"] != nil, activations: Array(names.prefix(needed)), steps: steps)
  }

  /// `initial_h`, `Y_h` (and `initial_c`, `Y_c`): `[D, N, H]`, or `[N, D, H]` batch first.
  public var stateShape: [Int] {
    batchFirst ? [batchSize, directions, hiddenSize] : [directions, batchSize, hiddenSize]
  }

  /// `Y`, `Y_h` and, for LSTM, `Y_c`.
  public var outputShapes: [[Int]] {
    let y =
      batchFirst
      ? [batchSize, sequenceLength, directions, hiddenSize] : [sequenceLength, directions, batchSize, hiddenSize]
    return cell == .lstm ? [y, stateShape, stateShape] : [y, stateShape]
  }

  /// The whole layer's work: each direction's ``stepCost(direction:)`` times ``steps``.
  public func cost() throws(OpError) -> Cost {
    var total = Cost.zero
    for direction in 0..<directions {
      total = try total.adding(try stepCost(direction: direction).scaled(by: steps))
    }
    return total
  }

  /// The work of one time step of one sequence in `direction` (0 forward, 1 backward), as the
  /// type's documentation derives it.
  public func stepCost(direction: Int) throws(OpError) -> Cost {
    let h = hiddenSize
    let gateUnits = try Checked.multiply(cell.gates, h)
    var cost = Cost(macs: try Checked.multiply(gateUnits, try Checked.add(inputSize, h)))
    if hasBias { cost.adds = try Checked.multiply(2, gateUnits) }
    let perDirection = cell.defaultActivations.count
    let first = direction * perDirection
    guard direction >= 0, direction < directions, activations.count >= first + perDirection else {
      throw OpError(field: "activations", "no activations for direction \(direction) in \(activations)")
    }
    // Per hidden unit: the evaluations of each activation function and the other arithmetic.
    let evaluations: [Int]
    let perUnit: Cost
    switch cell {
    case .lstm:
      let sigmoidGates = inputForget ? 2 : 3
      evaluations = [sigmoidGates, 1, 1]
      perUnit = Cost(macs: hasPeepholes ? sigmoidGates : 0, adds: inputForget ? 2 : 1, multiplies: 3)
    case .gru:
      evaluations = [2, 1]
      perUnit = Cost(adds: linearBeforeReset ? 3 : 2, multiplies: 3)
    case .rnn:
      evaluations = [1]
      perUnit = .zero
    }
    var unit = perUnit
    for (name, count) in zip(activations[first..<(first + perDirection)], evaluations) {
      var each = try Self.activationCost(name)
      if clips { each.compares += 2 }
      unit = try unit.adding(try each.scaled(by: count))
    }
    return try cost.adding(try unit.scaled(by: h))
  }

  /// The arithmetic of one evaluation of a recurrent activation function, named as the spec
  /// lists them (any letter case, as ONNX Runtime reads them).
  public static func activationCost(_ name: String) throws(OpError) -> Cost {
    let shared = [
      "Relu", "Tanh", "Sigmoid", "LeakyRelu", "ThresholdedRelu", "HardSigmoid", "Elu", "Softsign", "Softplus",
    ]
    if let op = shared.first(where: { $0.lowercased() == name.lowercased() }), let cost = ActivationRule.perElement[op]
    {
      return cost
    }
    switch name.lowercased() {
    case "affine": return Cost(adds: 1, multiplies: 1)  // alpha*x + beta
    case "scaledtanh":  // alpha*Tanh(beta*x)
      return try (ActivationRule.perElement["Tanh"] ?? .zero).adding(Cost(multiplies: 2))
    default: throw OpError(field: "activations", "\"\(name)\" is not one of the recurrent activation functions")
    }
  }
}
