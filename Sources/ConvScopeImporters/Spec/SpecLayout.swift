import ConvScopeCore

/// Converts what a spec author writes (shapes and axes in the spec's
/// `layout:`) to ONNX order (`N x C x spatial...`), which the graph uses.
///
/// The rules mirror ``TensorLayout/display(_:)``: channels-last layouts write
/// the channel axis last when the tensor has spatial axes (rank >= 3 with the
/// batch); batch-less layouts (`CHW`, `HWC`) leave the batch out.
struct SpecLayout {
  let layout: TensorLayout

  /// The ONNX-order shape of a shape written in the layout; `batch` is what
  /// batch-less layouts insert (1 for inputs, 0 = "copy" for Reshape targets).
  func onnxShape(_ written: [Dim], batch: Dim = 1) -> [Dim] {
    var dims = written
    if !layout.showsBatch { dims.insert(batch, at: 0) }
    if layout.channelsLast && dims.count >= 3 {
      let channels = dims.removeLast()
      dims.insert(channels, at: 1)
    }
    return dims
  }

  /// An ONNX-order shape as the layout writes it (for messages).
  func written(_ dims: [Dim]) -> Shape { layout.display(Shape(dims)) }

  /// For a tensor of ONNX rank `rank`, the ONNX axis of each axis as written.
  func onnxAxes(rank: Int) -> [Int] {
    var order = Array(0..<rank)
    if layout.channelsLast && rank >= 3 { order = [0] + Array(2..<rank) + [1] }
    if !layout.showsBatch && rank >= 2 { order.removeFirst() }
    return order
  }

  /// The ONNX axis of written axis `axis` (negative counts from the end), or
  /// nil when the tensor has no such axis.
  func onnxAxis(_ axis: Int, rank: Int) -> Int? {
    let order = onnxAxes(rank: rank)
    let index = axis < 0 ? axis + order.count : axis
    return order.indices.contains(index) ? order[index] : nil
  }

  /// The ONNX permutation of a transpose whose `perm` is written in the layout:
  /// written output axis `i` takes written input axis `perm[i]`, so ONNX output
  /// axis `A[i]` takes ONNX input axis `A[perm[i]]` (`A` = ``onnxAxes(rank:)``).
  /// A batch the layout leaves out stays in place. Nil when `perm` is not a
  /// permutation of the written axes.
  func onnxPermutation(_ perm: [Int], rank: Int) -> [Int]? {
    let order = onnxAxes(rank: rank)
    guard perm.count == order.count, Set(perm) == Set(0..<order.count) else { return nil }
    var result = Array(0..<rank)
    for (i, source) in perm.enumerated() { result[order[i]] = order[source] }
    return result
  }
}
