import ConvScopeCore

/// Recurrent layers: `aten.lstm.input(input, hx, params, has_biases, num_layers, dropout, train,
/// bidirectional, batch_first)` → one ONNX `LSTM` per layer, as `torch.onnx` exports it:
/// a batch-first input is transposed to `[seq, batch, features]`, each layer's `Y [seq, dirs,
/// batch, H]` is transposed and reshaped to `[seq, batch, dirs * H]` for the next, and the
/// layers' final states are concatenated into torch's `[layers * dirs, batch, H]`.
///
/// torch stores each layer and direction's `weight_ih [4H, I]`, `weight_hh [4H, H]`,
/// `bias_ih [4H]`, `bias_hh [4H]`; ONNX stacks the directions into `W [dirs, 4H, I]`,
/// `R [dirs, 4H, H]`, `B [dirs, 8H]`. The stacked tensors are made here (shapes only: the
/// payloads are never read) and hold exactly torch's parameters, so the count is torch's; the
/// initial states are left out (they change no count). A projection (`proj_size`) is not mapped.
enum PT2RecurrentOps {
  static let mappings: [String: PT2Mapping] = ["aten.lstm": lstm]

  static func lstm(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let params = try e.tensors("params")
    let layers = try e.int("num_layers", default: 1)
    let directions = try e.bool("bidirectional", default: false) ? 2 : 1
    let perLayer = try e.bool("has_biases", default: true) ? 4 : 2
    guard layers >= 1, params.count == layers * directions * perLayer else {
      e.keepAsATen()
      return
    }
    let batchFirst = try e.bool("batch_first", default: false)
    var x = try e.tensor("input")
    if batchFirst { x = e.emit("Transpose", [x], ["perm": .ints([1, 0, 2])], helper: true) }
    var finalStates: [[String]] = [[], []]
    for layer in 0..<layers {
      let first = layer * directions * perLayer
      let inputWeight = try e.shape(of: params[first])
      let hiddenWeight = try e.shape(of: params[first + 1])
      guard inputWeight.rank == 2, hiddenWeight.rank == 2, let gates = inputWeight.dims[0].value,
        let features = inputWeight.dims[1].value, let hidden = hiddenWeight.dims[1].value
      else { throw e.error("layer \(layer)'s weights must be 2-D with known sizes", argument: "params") }
      let type = e.program.values[params[first]]?.dataType ?? .float32
      let stacked = { (dims: [Int]) in ConstantTensor(dataType: type, dims: [directions] + dims) }
      var inputs = [
        x, e.constant("W_l\(layer)", stacked([gates, features])), e.constant("R_l\(layer)", stacked([gates, hidden])),
      ]
      if perLayer == 4 { inputs.append(e.constant("B_l\(layer)", stacked([2 * gates]))) }
      let attributes: [String: AttributeValue] = [
        "hidden_size": .int(hidden), "direction": .string(directions == 2 ? "bidirectional" : "forward"),
      ]
      let outputs = e.emit("LSTM", inputs, attributes, count: 3)
      let sequence = e.emit("Transpose", [outputs[0]], ["perm": .ints([0, 2, 1, 3])])
      x = e.emit("Reshape", [sequence, e.ints(constant: "shape_l\(layer)", [0, 0, -1])])
      finalStates[0].append(outputs[1])
      finalStates[1].append(outputs[2])
    }
    if batchFirst { x = e.emit("Transpose", [x], ["perm": .ints([1, 0, 2])]) }
    let states = finalStates.map { list in list.count == 1 ? list[0] : e.emit("Concat", list, ["axis": .int(0)]) }
    e.finish([x] + states)
  }
}
