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
  /// The memory summary of `rows` (in execution order) with `inputs` and `outputs` of the graph.
  static func summarize(
    rows: [LayerRow], inputs: [TensorSummary], outputs: [String], weightBytes: Int
  ) throws(OpError) -> MemorySummary {
    var bytes: [String: Int] = [:]
    for input in inputs { bytes[input.name] = try byteCount(input) }
    for row in rows where !row.folded {
      for output in row.outputs { bytes[output.name] = try byteCount(output) }
    }
    var lastUse: [String: Int] = [:]
    for (step, row) in rows.enumerated() where !row.folded {
      for input in row.inputs where bytes[input] != nil { lastUse[input] = step }
    }
    let kept = Set(outputs)

    var live = try Checked.sum(inputs.map { bytes[$0.name] ?? 0 })
    var peak = live
    var peakNode: String? = nil
    var timeline: [MemorySummary.LiveBytes] = []
    for (step, row) in rows.enumerated() where !row.folded {
      for output in row.outputs { live = try Checked.add(live, bytes[output.name] ?? 0) }
      timeline.append(.init(node: row.name, liveBytes: live))
      if live > peak || peakNode == nil && live == peak {
        peak = live
        peakNode = row.name
      }
      // Each tensor this step read or wrote for the last time is freed once (a row may name
      // one twice); no set is built for the usual handful of names.
      let names = row.inputs.count + row.outputs.count
      var freed: [String] = []
      var freedSet = Set<String>()
      for slot in 0..<names {
        let name = slot < row.inputs.count ? row.inputs[slot] : row.outputs[slot - row.inputs.count].name
        guard !kept.contains(name), (lastUse[name] ?? step) <= step else { continue }
        if names <= 16 {
          guard !freed.contains(name) else { continue }
          freed.append(name)
        } else {
          guard freedSet.insert(name).inserted else { continue }
        }
        live -= bytes[name] ?? 0
      }
    }
    return MemorySummary(weightBytes: weightBytes, peakActivationBytes: peak, peakNode: peakNode, timeline: timeline)
  }

  private static func byteCount(_ tensor: TensorSummary) throws(OpError) -> Int {
    try tensor.dtype.bytes(for: try Checked.product(tensor.shape.sizes ?? [0]))
  }
}
