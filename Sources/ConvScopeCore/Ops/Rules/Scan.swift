/// `Scan`: runs `body` once per element of a sequence axis, carrying N state values and
/// stacking K per-step outputs. <https://onnx.ai/onnx/operators/onnx__Scan.html>
///
/// Shape (opset 9+): inputs are N initial states then M scan inputs (`num_scan_inputs`); the
/// body takes the N states and one slice of each scan input (its `scan_input_axes` axis,
/// default 0, removed) and returns N states and K per-step outputs; the node outputs the
/// final states and each per-step output stacked along its `scan_output_axes` axis (default
/// 0) with the sequence length. Opset 8 has a leading optional `sequence_lens` input and a
/// batch axis 0 on every state and scan value (the scan axis is then 1); the body sees
/// neither.
///
/// Cost: the body's × the sequence length (× the batch at opset 8).
///
/// Example: states `[2]`, scan input `x [3, 2]`, body `sum = sum + x_t`: outputs `[2]` and
/// `[3, 2]`, cost `3 * 2` adds.
public struct ScanRule: SubgraphRule {
  public init() {}
  public func family(of opType: String) -> OpFamily { .controlFlow }
  public var opTypes: [String] { ["Scan"] }
  public var summary: String { "final states and per-step outputs stacked along the scan axis; cost = body x length" }

  /// The layout of one Scan node's inputs and outputs.
  private struct Layout {
    /// Index of the first state input (1 at opset 8, after `sequence_lens`).
    var first: Int
    var states: Int
    var scans: Int
    /// Opset 8's batch axis 0.
    var batched: Bool
    var inputAxes: [Int]
    var outputAxes: [Int]
  }

  private func layout(_ context: NodeContext) throws(OpError) -> Layout {
    let batched = context.opset < 9
    let first = batched ? 1 : 0
    let scans = try context.int("num_scan_inputs", default: -1)
    let given = context.inputCount - first
    guard scans >= 1, scans <= given else {
      throw OpError(field: "num_scan_inputs", "needs between 1 and \(given) scan inputs, got \(scans)")
    }
    let outputs = context.node.outputs.count - (given - scans)
    let inputAxes = try context.ints("scan_input_axes") ?? Array(repeating: 0, count: scans)
    let outputAxes = try context.ints("scan_output_axes") ?? Array(repeating: 0, count: max(0, outputs))
    guard inputAxes.count == scans, outputAxes.count == max(0, outputs) else {
      throw OpError(field: "scan_input_axes", "one axis per scan input and per scan output is needed")
    }
    return Layout(
      first: first, states: given - scans, scans: scans, batched: batched, inputAxes: inputAxes,
      outputAxes: outputAxes)
  }

  /// The sequence length and (opset 8) batch of the first scan input.
  private func extent(_ context: NodeContext, _ layout: Layout) throws(OpError) -> (length: Dim, batch: Dim?) {
    let input = try context.input(layout.first + layout.states).shape
    let axis = layout.batched ? 1 : try ShapeOps.axis(layout.inputAxes[0], rank: input.rank, field: "scan_input_axes")
    guard axis < input.rank else { throw OpError(field: "inputs", "the scan input \(input) has no axis \(axis)") }
    return (input.dims[axis], layout.batched ? input.dims.first : nil)
  }

  public func bodies(_ context: NodeContext) throws(OpError) -> [SubgraphCall] {
    let body = try LoopRule.body(context)
    let layout = try layout(context)
    guard body.inputs.count == layout.states + layout.scans else {
      throw OpError(
        field: "body", "the body takes \(body.inputs.count) inputs, the node gives \(layout.states + layout.scans)")
    }
    var inputs: [TensorInfo] = []
    for k in 0..<(layout.states + layout.scans) {
      let given = try context.input(layout.first + k)
      var dims = given.shape.dims
      if layout.batched { dims.removeFirst(min(1, dims.count)) }
      if k >= layout.states {
        let axis =
          layout.batched
          ? 0 : try ShapeOps.axis(layout.inputAxes[k - layout.states], rank: dims.count, field: "scan_input_axes")
        guard axis < dims.count else { throw OpError(field: "scan_input_axes", "axis \(axis) is out of range") }
        dims.remove(at: axis)
      }
      inputs.append(TensorInfo(name: body.inputs[k].name, dataType: given.dataType, shape: Shape(dims)))
    }
    return [SubgraphCall(attribute: "body", graph: body, inputs: inputs)]
  }

  public func combine(_ context: NodeContext, results: [SubgraphResult]) throws(OpError) -> SubgraphOutcome {
    guard let result = results.first, result.failure == nil else {
      throw OpError(field: "body", results.first?.failure ?? "the body was not analysed", isUnknownShape: true)
    }
    let layout = try layout(context)
    let (length, batch) = try extent(context, layout)
    var outputs: [OpOutcome.Output] = []
    for slot in context.node.outputs.indices {
      guard slot < result.outputs.count, let info = result.outputs[slot] else {
        throw OpError(field: "outputs[\(slot)]", "the body's output \(slot) has no known shape", isUnknownShape: true)
      }
      var dims = info.shape.dims
      if slot >= layout.states {
        let axis = layout.batched ? 0 : layout.outputAxes[slot - layout.states]
        let at = axis < 0 ? axis + dims.count + 1 : axis
        guard at >= 0, at <= dims.count else {
          throw OpError(field: "scan_output_axes", "axis \(axis) is out of range")
        }
        dims.insert(length, at: at)
      }
      if let batch { dims.insert(batch, at: 0) }
      outputs.append(OpOutcome.Output(dataType: info.dataType, shape: Shape(dims)))
    }
    let batchSize: Int? = batch == nil ? 1 : batch?.value
    let known = length.value != nil && batchSize != nil
    let steps = try Checked.multiply(length.value ?? 1, batchSize ?? 1)
    let warnings = known ? [] : ["the sequence length is not known before running: the body's cost counts once"]
    return SubgraphOutcome(outputs: outputs, runs: [steps], warnings: warnings)
  }
}
