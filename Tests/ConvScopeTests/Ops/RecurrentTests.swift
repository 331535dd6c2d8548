import ConvScope
import Testing

@Suite struct RecurrentTests {
  /// One recurrent node's sizes and options, as a test draws them.
  struct Config: CustomStringConvertible {
    var op = "LSTM"
    var sequence = 3
    var batch = 2
    var input = 4
    var hidden = 5
    var direction = "forward"
    var layout = 0
    var bias = false
    var peepholes = false
    var initialStates = false
    var linearBeforeReset = false
    var inputForget = false
    var clip = false
    var activations: [String]?
    var lengths: [Int]?

    var gates: Int { op == "LSTM" ? 4 : op == "GRU" ? 3 : 1 }
    var directions: Int { direction == "bidirectional" ? 2 : 1 }
    var description: String {
      "\(op) S\(sequence) N\(batch) I\(input) H\(hidden) \(direction) layout \(layout) bias \(bias) P \(peepholes)"
        + " lbr \(linearBeforeReset) if \(inputForget) clip \(clip) \(activations ?? []) lengths \(lengths ?? [])"
    }

    /// The node's input shapes: X, W, R, B, sequence_lens, initial_h, initial_c, P.
    var shapes: [Shape?] {
      let (d, rows) = (directions, gates * hidden)
      let x = layout == 0 ? [sequence, batch, input] : [batch, sequence, input]
      let state = layout == 0 ? [d, batch, hidden] : [batch, d, hidden]
      var shapes: [Shape?] = [Shape(x), Shape([d, rows, input]), Shape([d, rows, hidden])]
      shapes.append(bias ? Shape([d, 2 * rows]) : nil)
      shapes.append(lengths == nil ? nil : Shape([batch]))
      shapes.append(initialStates ? Shape(state) : nil)
      if op == "LSTM" {
        shapes.append(initialStates ? Shape(state) : nil)
        shapes.append(peepholes ? Shape([d, 3 * hidden]) : nil)
      }
      return shapes
    }

    var attributes: [String: AttributeValue] {
      var attributes: [String: AttributeValue] = ["direction": .string(direction), "layout": .int(layout)]
      if linearBeforeReset { attributes["linear_before_reset"] = .int(1) }
      if inputForget { attributes["input_forget"] = .int(1) }
      if clip { attributes["clip"] = .float(3) }
      if let activations { attributes["activations"] = .strings(activations) }
      return attributes
    }

    func infer(hiddenSizeAttribute: Bool = false) throws -> OpOutcome {
      var attributes = self.attributes
      if hiddenSizeAttribute { attributes["hidden_size"] = .int(hidden) }
      let constants = lengths.map { [4: ConstantTensor(dataType: .int32, dims: [batch], values: .ints($0))] } ?? [:]
      var types: [DataType] = Array(repeating: .float32, count: shapes.count)
      types[4] = .int32
      return try OpTesting.infer(op, shapes, attributes, types: types, constants: constants)
    }
  }

  // MARK: Shapes

  @Test func shapesFollowTheSpecForEveryLayoutAndDirection() throws {
    for op in ["LSTM", "GRU", "RNN"] {
      for layout in [0, 1] {
        for direction in ["forward", "reverse", "bidirectional"] {
          let c = Config(op: op, sequence: 7, batch: 3, input: 5, hidden: 4, direction: direction, layout: layout)
          let out = try c.infer(hiddenSizeAttribute: layout == 1)
          let d = direction == "bidirectional" ? 2 : 1
          // layout 0: Y [seq_length, num_directions, batch_size, hidden_size], Y_h [num_directions, batch_size, hidden_size];
          // layout 1: Y [batch_size, seq_length, num_directions, hidden_size], Y_h [batch_size, num_directions, hidden_size].
          let y: Shape = layout == 0 ? [7, Dim.fixed(d), 3, 4] : [3, 7, Dim.fixed(d), 4]
          let state: Shape = layout == 0 ? [Dim.fixed(d), 3, 4] : [3, Dim.fixed(d), 4]
          let expected = op == "LSTM" ? [y, state, state] : [y, state]
          #expect(out.outputs.map(\.shape) == expected, "\(op) layout \(layout) \(direction)")
        }
      }
    }
  }

  @Test func nodeTestShapes() throws {
    // test_lstm_batchwise: layout 1, X [3, 1, 2], hidden 7 → Y [3, 1, 1, 7], Y_h [3, 1, 7].
    let lstm = try OpTesting.infer(
      "LSTM", [[3, 1, 2], [1, 28, 2], [1, 28, 7]], ["layout": .int(1), "hidden_size": .int(7)])
    #expect(lstm.outputs.map(\.shape) == [[3, 1, 1, 7], [3, 1, 7], [3, 1, 7]])
    // test_gru_bidirectional: X [3, 1, 2], W [2, 15, 2] → Y [3, 2, 1, 5], Y_h [2, 1, 5].
    let gru = try OpTesting.infer(
      "GRU", [[3, 1, 2], [2, 15, 2], [2, 15, 5]], ["direction": .string("bidirectional")])
    #expect(gru.outputs.map(\.shape) == [[3, 2, 1, 5], [2, 1, 5]])
  }

  @Test func lstmDefaultsExample() throws {
    // test_lstm_defaults: S 1, N 3, I 2, H 3. Per step 4*3*(2+3) = 60 MACs; 3 sigmoid gates and
    // 2 tanhs of 3 units; Ct: 2 multiplies + 1 add per unit, Ht: 1 multiply per unit.
    let out = try OpTesting.infer("LSTM", [[1, 3, 2], [1, 12, 2], [1, 12, 3]])
    let sigmoid = Cost(adds: 1, divides: 1, exponentials: 1)
    let tanh = Cost(adds: 2, divides: 1, exponentials: 2)
    let step = try Cost(macs: 60, adds: 3, multiplies: 9).adding(sigmoid.scaled(by: 9)).adding(tanh.scaled(by: 6))
    #expect(out.cost == (try step.scaled(by: 3)))
    #expect(out.cost.macs == 180)
    #expect(try out.cost.flops() == 567)
  }

  @Test func parametersRolesAndSequenceLengths() throws {
    let x = [2, 3, 4]
    let w = ConstantTensor(dataType: .float32, dims: [1, 20, 4])
    let r = ConstantTensor(dataType: .float32, dims: [1, 20, 5])
    let b = ConstantTensor(dataType: .float32, dims: [1, 40])
    let lengths = ConstantTensor(dataType: .int32, dims: [3], values: .ints([2, 1, 9]))
    let p = ConstantTensor(dataType: .float32, dims: [1, 15])
    let out = try OpTesting.infer(
      "LSTM", [Shape(x), [1, 20, 4], [1, 20, 5], [1, 40], [3], nil, nil, [1, 15]],
      types: [.float32, .float32, .float32, .float32, .int32, .float32, .float32, .float32],
      constants: [1: w, 2: r, 3: b, 4: lengths, 7: p])
    #expect(out.paramFormula == "1*20*4+1*20*5+1*40+1*15 = 235")
    #expect(out.inputRoles[1] == .weight && out.inputRoles[2] == .weight && out.inputRoles[7] == .weight)
    #expect(out.inputRoles[3] == .bias && out.inputRoles[4] == .configuration && out.inputRoles[5] == nil)
    // Lengths 2, 1 and 9 (clamped to S = 2): 5 steps run of 2x3.
    let layer = try RecurrentLayer(
      cell: .lstm, directions: 1, sequenceLength: 2, batchSize: 3, inputSize: 4, hiddenSize: 5, hasBias: true,
      hasPeepholes: true, steps: 5)
    #expect(out.cost == (try layer.cost()))
    #expect(out.cost.macs == 5 * (4 * 5 * (4 + 5) + 3 * 5))
    #expect(out.warnings == ["sequence_lens: 5 of 2x3 steps run"])
  }

  @Test func malformedNodesAreRefused() {
    let valid: [Shape?] = [[2, 3, 4], [1, 12, 4], [1, 12, 3]]
    #expect(throws: OpError.self) { try OpTesting.infer("LSTM", valid, ["direction": .string("sideways")]) }
    #expect(throws: OpError.self) { try OpTesting.infer("LSTM", valid, ["layout": .int(2)]) }
    #expect(throws: OpError.self) { try OpTesting.infer("LSTM", valid, ["hidden_size": .int(4)]) }
    #expect(throws: OpError.self) { try OpTesting.infer("LSTM", valid, ["activations": .strings(["Sigmoid"])]) }
    #expect(throws: OpError.self) {
      try OpTesting.infer("LSTM", valid, ["activations": .strings(["Sigmoid", "Swirl", "Tanh"])])
    }
    // R's last dim is not H = 12/4 = 3.
    #expect(throws: OpError.self) { try OpTesting.infer("LSTM", [[2, 3, 4], [1, 12, 4], [1, 12, 4]]) }
    // GRU: H = 12/3 = 4, but R is [.., 3].
    #expect(throws: OpError.self) { try OpTesting.infer("GRU", [[2, 3, 4], [1, 12, 4], [1, 12, 3]]) }
    // B must be [D, 2*G*H] = [1, 6].
    #expect(throws: OpError.self) { try OpTesting.infer("RNN", [[2, 3, 4], [1, 3, 4], [1, 3, 3], [1, 3]]) }
  }

  // MARK: Brute force

  /// The arithmetic of one activation evaluation, as ConvScope counts each function of the
  /// spec's list (tanh as `(e^x - e^-x) / (e^x + e^-x)`).
  static let activationOps: [String: Cost] = [
    "Sigmoid": Cost(adds: 1, divides: 1, exponentials: 1),  // 1/(1 + e^-x)
    "Tanh": Cost(adds: 2, divides: 1, exponentials: 2),
    "Relu": Cost(compares: 1),  // max(0, x)
    "Affine": Cost(adds: 1, multiplies: 1),  // alpha*x + beta
    "ScaledTanh": Cost(adds: 2, multiplies: 2, divides: 1, exponentials: 2),  // alpha*Tanh(beta*x)
    "HardSigmoid": Cost(adds: 1, multiplies: 1, compares: 2),  // min(max(alpha*x + beta, 0), 1)
    "Softsign": Cost(adds: 1, divides: 1, compares: 1),  // x/(1 + |x|)
  ]

  /// Runs the spec's equations one scalar operation at a time for every direction, sequence
  /// and time step, and counts what it did.
  static func walk(_ c: Config) -> Cost {
    var cost = Cost()
    let perDirection = c.op == "LSTM" ? 3 : c.op == "GRU" ? 2 : 1
    let defaults = c.op == "LSTM" ? ["Sigmoid", "Tanh", "Tanh"] : c.op == "GRU" ? ["Sigmoid", "Tanh"] : ["Tanh"]
    func activate(_ name: String) {
      let ops = activationOps[name] ?? Cost()
      cost.adds += ops.adds
      cost.multiplies += ops.multiplies
      cost.divides += ops.divides
      cost.exponentials += ops.exponentials
      cost.compares += ops.compares + (c.clip ? 2 : 0)  // clip to [-clip, clip] first
    }
    /// One unit's `Xt*(W^T) + Ht-1*(R^T)` (`inputs` and `hiddens` terms) and `Wb + Rb`.
    func preactivation(inputs: Int, hiddens: Int) {
      for _ in 0..<inputs { cost.macs += 1 }
      for _ in 0..<hiddens { cost.macs += 1 }
      if c.bias { cost.adds += 2 }
    }
    for d in 0..<c.directions {
      let given = c.activations ?? Array(Array(repeating: defaults, count: c.directions).joined())
      let fns = Array(given[(d * perDirection)..<((d + 1) * perDirection)])
      for b in 0..<c.batch {
        let length = min(max(c.lengths?[b] ?? c.sequence, 0), c.sequence)
        for _ in 0..<length {
          switch c.op {
          case "LSTM":
            for gate in ["i", "o", "f", "c"] {
              for _ in 0..<c.hidden {
                preactivation(inputs: c.input, hiddens: c.hidden)
                if c.peepholes && gate != "c" && !(gate == "f" && c.inputForget) { cost.macs += 1 }  // P (.) C
              }
            }
            for _ in 0..<c.hidden {
              activate(fns[0])  // it
              if c.inputForget { cost.adds += 1 } else { activate(fns[0]) }  // ft = 1 - it, or f(...)
              activate(fns[1])  // ct
              cost.multiplies += 2  // Ct = ft (.) Ct-1 + it (.) ct
              cost.adds += 1
              activate(fns[0])  // ot
              activate(fns[2])  // h(Ct)
              cost.multiplies += 1  // Ht = ot (.) h(Ct)
            }
          case "GRU":
            for _ in 0..<(2 * c.hidden) {  // zt, rt
              preactivation(inputs: c.input, hiddens: c.hidden)
              activate(fns[0])
            }
            if !c.linearBeforeReset {
              for _ in 0..<c.hidden { cost.multiplies += 1 }  // rt (.) Ht-1
            }
            for _ in 0..<c.hidden {
              if c.linearBeforeReset {
                preactivation(inputs: 0, hiddens: c.hidden)  // Ht-1*(Rh^T) + Rbh, and Wbh
                for _ in 0..<c.input { cost.macs += 1 }  // Xt*(Wh^T), a separate sum
                cost.multiplies += 1  // rt (.) (...)
                cost.adds += 1  // added to Xt*(Wh^T)
              } else {
                preactivation(inputs: c.input, hiddens: c.hidden)  // Xt*(Wh^T) + (rt (.) Ht-1)*(Rh^T)
              }
              activate(fns[1])  // ht
              cost.adds += 2  // (1 - zt) and the sum
              cost.multiplies += 2  // (1 - zt) (.) ht, zt (.) Ht-1
            }
          default:
            for _ in 0..<c.hidden {
              preactivation(inputs: c.input, hiddens: c.hidden)
              activate(fns[0])
            }
          }
        }
      }
    }
    return cost
  }

  @Test func costMatchesABruteForceWalkOfTheEquationsOn24RandomConfigurations() throws {
    var rng = SeededGenerator(state: 1997)
    let names = Self.activationOps.keys.sorted()
    for _ in 0..<24 {
      var c = Config()
      c.op = ["LSTM", "GRU", "RNN"][Int.random(in: 0..<3, using: &rng)]
      c.sequence = Int.random(in: 1...4, using: &rng)
      c.batch = Int.random(in: 1...3, using: &rng)
      c.input = Int.random(in: 1...5, using: &rng)
      c.hidden = Int.random(in: 1...4, using: &rng)
      c.direction = ["forward", "reverse", "bidirectional"][Int.random(in: 0..<3, using: &rng)]
      c.layout = Int.random(in: 0...1, using: &rng)
      c.bias = Bool.random(using: &rng)
      c.initialStates = Bool.random(using: &rng)
      c.peepholes = c.op == "LSTM" && Bool.random(using: &rng)
      c.inputForget = c.op == "LSTM" && Bool.random(using: &rng)
      c.linearBeforeReset = c.op == "GRU" && Bool.random(using: &rng)
      c.clip = Bool.random(using: &rng)
      if Bool.random(using: &rng) {
        let count = (c.op == "LSTM" ? 3 : c.op == "GRU" ? 2 : 1) * c.directions
        c.activations = (0..<count).map { _ in names[Int.random(in: 0..<names.count, using: &rng)] }
      }
      if Bool.random(using: &rng) {
        c.lengths = (0..<c.batch).map { _ in Int.random(in: 0...(c.sequence + 1), using: &rng) }
      }
      let out = try c.infer(hiddenSizeAttribute: Bool.random(using: &rng))
      #expect(out.cost == Self.walk(c), "\(c)")
    }
  }

  @Test func theLayerHelperServesOtherRules() throws {
    // A rule reading its own weight layout (a contrib LSTM with W [D, I, 4*H]) hands the sizes over.
    let layer = try RecurrentLayer(
      cell: .lstm, directions: 2, sequenceLength: 10, batchSize: 1, inputSize: 8, hiddenSize: 16, batchFirst: true)
    #expect(layer.outputShapes == [[1, 10, 2, 16], [1, 2, 16], [1, 2, 16]])
    let c = Config(op: "LSTM", sequence: 10, batch: 1, input: 8, hidden: 16, direction: "bidirectional", layout: 1)
    #expect(try layer.cost() == Self.walk(c))
  }
}
