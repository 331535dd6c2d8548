import ConvScopeCore
import ConvScopeReport

/// Roofline bounds (Williams, Waterman and Patterson, 2009) per node and in total.
///
/// For each node: bytes moved = data inputs read + weights read + outputs written;
/// arithmetic intensity = FLOPs / bytes; time ≥ max(FLOPs / peak, bytes / bandwidth),
/// and the node is `compute`-bound when the first term wins. The model's latency bound
/// is the sum over nodes (they run one after another); throughput ≤ batch / latency.
/// Caches are ignored: every tensor is assumed to cross memory once, which is the
/// classic roofline assumption and makes the bound optimistic for large tensors only
/// when fusion would keep them on chip.
///
/// Example: a 3x3 conv 64→64 on 56x56 at fp32 does `2 * 56*56*64 * 3*3*64 = 231_211_008`
/// FLOPs and moves `(2 * 56*56*64 + 3*3*64*64) * 4 = 3_358_720` bytes: intensity 68.8 FLOP/B.
public enum Roofline {
  /// The bounds of `report` on `device`, at the peak rate of `dataType` (the element type the
  /// report was analysed at, `--dtype`), else of the model's floating-point activation type.
  public static func analyze(_ report: Report, on device: DeviceProfile, dataType: DataType? = nil)
    throws(ConvScopeError) -> RooflineSummary
  {
    let asked = dataType ?? report.inputs.first(where: { $0.dtype.isFloatingPoint })?.dtype ?? .float32
    // A profile without a rate for the type is bounded at its float32 rate, and says so.
    let dtype = device.peakFlops[asked.rawValue] != nil ? asked : .float32
    guard let peak = device.peak(for: dtype), peak > 0, device.memoryBandwidth > 0 else {
      throw ConvScopeError(
        field: RequestField.device.rawValue, message: "device '\(device.name)' has no positive peak rate or bandwidth")
    }
    var layers: [RooflineSummary.Layer] = []
    for row in report.layers where !row.folded && row.supported {
      let bytes: Int
      do {
        bytes = try Checked.sum(
          [row.weightBytes, row.activationBytes]
            + row.inputShapes.map { input throws(OpError) in
              try input.dtype.bytes(for: try Checked.product(input.shape.sizes ?? [0]))
            })
      } catch {
        throw ConvScopeError(
          file: report.model.source, layer: row.name, op: row.op, field: "bytes", message: error.message)
      }
      let computeTime = Double(row.flops) / peak
      let memoryTime = Double(bytes) / device.memoryBandwidth
      let intensity = bytes == 0 ? 0 : Double(row.flops) / Double(bytes)
      layers.append(
        .init(
          name: row.name, flops: row.flops, bytes: bytes, arithmeticIntensity: intensity,
          attainableFlopsPerSecond: min(peak, intensity * device.memoryBandwidth),
          timeLowerBoundSeconds: max(computeTime, memoryTime),
          bound: computeTime >= memoryTime ? .compute : .memory))
    }
    let latency = layers.reduce(0) { $0 + $1.timeLowerBoundSeconds }
    let batch = report.inputs.first?.shape.dims.first?.value ?? 1
    let dominant = layers.sorted { $0.timeLowerBoundSeconds > $1.timeLowerBoundSeconds }.prefix(10).map(\.name)
    return RooflineSummary(
      device: device.name, dtype: dtype, peakFlopsPerSecond: peak, memoryBytesPerSecond: device.memoryBandwidth,
      latencyLowerBoundSeconds: latency, throughputBoundPerSecond: latency > 0 ? Double(batch) / latency : 0,
      batch: batch, layers: layers, dominantLayers: Array(dominant),
      computeBoundLayers: layers.filter { $0.bound == .compute }.count)
  }
}
