import ConvScopeCore
import ConvScopeReport

/// Peak activation memory of one inference pass, by tensor liveness.
///
/// Walk the nodes in execution order. Graph inputs are alive from the start;
/// each node's outputs are allocated when it runs and freed once their last
/// consumer has run; graph outputs stay alive to the end. Weights and folded
/// constants are not activations. While a node runs, its inputs and outputs
/// are both alive, so the live bytes at that step are everything allocated
/// and not yet freed, this node's outputs included.
///
/// Example: LeNet-5 at batch 1 peaks in the first ReLU: its input and output,
/// 6x28x28 float32 each, `2 * 4704 * 4 = 37_632` bytes (the input image was freed after conv1).
enum Liveness {
  /// The memory summary of `rows` (in execution order, their tensors numbered by `tensors`,
  /// which knows the graph's outputs) with `inputs` of the graph.
  static func summarize(
    rows: [LayerRow], tensors: RowTensors, inputs: [TensorSummary], weightBytes: Int
  ) throws(OpError) -> MemorySummary {
    var bytes = [Int?](repeating: nil, count: tensors.count)
    for (input, number) in zip(inputs, tensors.graphInputs) { bytes[number] = try byteCount(input) }
    for index in rows.indices where !rows[index].folded {
      for (output, number) in zip(rows[index].outputs, tensors.writes(of: index)) {
        bytes[number] = try byteCount(output)
      }
    }
    // The last step that reads each activation; -1 for one no step reads.
    var lastUse = [Int](repeating: -1, count: tensors.count)
    for index in rows.indices where !rows[index].folded {
      for number in tensors.reads(of: index) where number >= 0 && bytes[number] != nil { lastUse[number] = index }
    }
    var kept = [Bool](repeating: false, count: tensors.count)
    for number in tensors.graphOutputs { kept[number] = true }

    var live = try Checked.sum(tensors.graphInputs.map { bytes[$0] ?? 0 })
    var peak = live
    var peakNode: String? = nil
    var timeline: [MemorySummary.LiveBytes] = []
    timeline.reserveCapacity(rows.count)
    // The step that last freed each tensor, so that a row naming one twice frees it once.
    var freedAt = [Int](repeating: -1, count: tensors.count)
    for index in rows.indices where !rows[index].folded {
      let writes = tensors.writes(of: index)
      for number in writes { live = try Checked.add(live, bytes[number] ?? 0) }
      timeline.append(.init(node: rows[index].name, liveBytes: live))
      if live > peak || peakNode == nil && live == peak {
        peak = live
        peakNode = rows[index].name
      }
      // Each tensor this step read or wrote for the last time is freed.
      for pass in 0..<2 {
        for number in pass == 0 ? tensors.reads(of: index) : writes
        where number >= 0 && !kept[number] && lastUse[number] <= index && freedAt[number] != index {
          freedAt[number] = index
          live -= bytes[number] ?? 0
        }
      }
    }
    return MemorySummary(weightBytes: weightBytes, peakActivationBytes: peak, peakNode: peakNode, timeline: timeline)
  }

  private static func byteCount(_ tensor: TensorSummary) throws(OpError) -> Int {
    try tensor.dtype.bytes(for: try tensor.shape.checkedElementCount() ?? 0)
  }
}
