import ConvScopeCore
import ConvScopeReport

/// Roofline bounds of prefill and decode on one device: a step takes at least
/// `max(flops / peak, bytes / bandwidth)` (Williams, Waterman and Patterson, "Roofline",
/// CACM 2009), with the weights read once per step for the whole batch and each sequence's
/// KV cache read (decode) or written (prefill) once.
struct LanguageModelRooflinePass {
  var cost: LanguageModelCost
  var device: DeviceProfile
  var weights: StorageFormat?
  var cache: StorageFormat
  var causal: CausalConvention
  /// An encoder-decoder model's source tokens: its cross-attention cache is written in
  /// prefill and read by every decode step.
  var source: Int?

  func run(prompt: Int, contexts: [Int], batches: [Int]) throws(OpError) -> LanguageModelRoofline? {
    let computeType = weights?.computeType ?? "float16"
    guard let peak = device.peakFlops[computeType] ?? device.peakFlops["float32"], peak > 0,
      device.memoryBandwidth > 0
    else { return nil }
    let bandwidth = device.memoryBandwidth
    let size = try cost.weightSize(format: weights)
    let expertBytes = try cost.expertBytes(format: weights)
    func bound(batch: Int, context: Int, flops: Int, bytes: Int, tokens: Int) -> LanguageModelRoofline.Bound {
      let compute = Double(flops) / peak
      let memory = Double(bytes) / bandwidth
      let seconds = max(compute, memory)
      return LanguageModelRoofline.Bound(
        batch: batch, context: context, flops: flops, bytes: bytes, seconds: seconds,
        tokensPerSecond: seconds > 0 ? Double(tokens) / seconds : 0, bound: compute >= memory ? .compute : .memory)
    }
    var prefillRows: [LanguageModelRoofline.Bound] = []
    if let prefill = try cost.prefill(tokens: prompt, source: source, causal: causal) {
      let written = try cost.kvCache(format: cache, contexts: [prompt], source: source)
      let kvWritten = try Checked.add(
        written?.contexts.first?.totalBytes ?? 0, written?.crossAttention?.totalBytes ?? 0)
      for batch in batches {
        let flops = try Checked.multiply(batch, prefill.totalFlops)
        let bytes = try Checked.add(size.bytes, Checked.multiply(batch, kvWritten))
        prefillRows.append(
          bound(batch: batch, context: prompt, flops: flops, bytes: bytes, tokens: try Checked.multiply(batch, prompt)))
      }
    }
    var decodeRows: [LanguageModelRoofline.Bound] = []
    var crossOvers: [LanguageModelRoofline.CrossOver] = []
    let kv = try cost.kvCache(format: cache, contexts: contexts, source: source)
    for (index, context) in contexts.enumerated() {
      guard let step = try cost.decode(context: context, source: source) else { continue }
      let kvBytes = try Checked.add(kv?.contexts[index].totalBytes ?? 0, kv?.crossAttention?.totalBytes ?? 0)
      for batch in batches {
        let flops = try Checked.multiply(batch, step.totalFlops)
        let bytes = try Checked.add(
          weightBytesRead(batch: batch, total: size.bytes, experts: expertBytes),
          Checked.multiply(batch, kvBytes))
        decodeRows.append(bound(batch: batch, context: context, flops: flops, bytes: bytes, tokens: batch))
      }
      crossOvers.append(
        LanguageModelRoofline.CrossOver(
          context: context,
          batch: computeBoundBatch(
            flopsPerToken: step.totalFlops, weightBytes: size.bytes, kvBytes: kvBytes, peak: peak,
            bandwidth: bandwidth)))
    }
    return LanguageModelRoofline(
      device: device.name, computeType: computeType, peakFlopsPerSecond: peak, memoryBytesPerSecond: bandwidth,
      weightBytes: size.bytes, prefill: prefillRows, decode: decodeRows, computeBoundBatch: crossOvers)
  }

  /// The weight bytes a decode step of `batch` tokens reads: every dense weight, and of a
  /// mixture's experts at most `batch × active` of the `count` per layer (each token routed
  /// to different experts, the bound's worst case).
  private func weightBytesRead(batch: Int, total: Int, experts: Int) throws(OpError) -> Int {
    guard let routing = cost.experts, routing.count > 0 else { return total }
    let used = min(routing.count, try Checked.multiply(batch, routing.active))
    return try Checked.add(total - experts, Checked.multiply(experts / routing.count, used))
  }

  /// The smallest batch `B` with `B·f / peak ≥ (W + B·kv) / bandwidth`:
  /// `B = W / (bandwidth·f/peak − kv)` rounded up, or `nil` when every token's KV traffic
  /// alone takes longer than its arithmetic. A mixture's weights count whole (every expert
  /// read), which batches near the crossover do in practice.
  private func computeBoundBatch(flopsPerToken: Int, weightBytes: Int, kvBytes: Int, peak: Double, bandwidth: Double)
    -> Int?
  {
    let margin = bandwidth * Double(flopsPerToken) / peak - Double(kvBytes)
    guard margin > 0 else { return nil }
    let batch = (Double(weightBytes) / margin).rounded(.up)
    return batch < Double(Int.max / 2) ? max(1, Int(batch)) : nil
  }
}
