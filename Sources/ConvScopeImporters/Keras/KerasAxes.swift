import ConvScopeCore

/// How Keras' own axis order maps onto the graph's ONNX (channels-first) order.
///
/// A `channels_last` model keeps Keras' order for ranks 1 and 2 and moves the
/// last (channel) axis to position 1 for rank 3 and up: Keras `[N, H, W, C]` is
/// the graph's `[N, C, H, W]`, and `Graph.layout = .nhwc` shows it back as Keras
/// does. A model with no channels-last layer keeps Keras' order everywhere.
struct KerasAxes: Sendable {
  /// Whether rank >= 3 tensors have their channel axis moved (the model is `channels_last`).
  let channelsLast: Bool

  /// The permutation `p` with `graph[i] = keras[p[i]]`, for a rank-`rank` tensor.
  func kerasToGraph(rank: Int) -> [Int] {
    guard channelsLast && rank >= 3 else { return Array(0..<rank) }
    return [0, rank - 1] + Array(1..<(rank - 1))
  }

  /// The permutation `p` with `keras[i] = graph[p[i]]`.
  func graphToKeras(rank: Int) -> [Int] {
    guard channelsLast && rank >= 3 else { return Array(0..<rank) }
    return [0] + Array(2..<rank) + [1]
  }

  /// Whether tensors of this rank are stored in an order other than Keras'.
  func isPermuted(rank: Int) -> Bool { channelsLast && rank >= 3 }

  /// The graph axis of Keras axis `axis` (negative counts from the end), or `nil` when out of range.
  func graphAxis(_ axis: Int, rank: Int) -> Int? {
    let normalized = axis < 0 ? axis + rank : axis
    guard normalized >= 0 && normalized < rank else { return nil }
    return kerasToGraph(rank: rank).firstIndex(of: normalized)
  }

  /// `shape` (Keras order) in graph order.
  func toGraph<T>(_ shape: [T]) -> [T] { kerasToGraph(rank: shape.count).map { shape[$0] } }

  /// `shape` (graph order) in Keras order.
  func toKeras<T>(_ shape: [T]) -> [T] { graphToKeras(rank: shape.count).map { shape[$0] } }

  /// What translation follows of a Keras-order shape: its rank, batch, and channel or feature dims
  /// (the last axis, and axis 1 in a channels-first model); the spatial sizes become unknown, so
  /// that nothing translated depends on them.
  func translationView(_ shape: [Dim]) -> [Dim] {
    shape.enumerated().map { axis, dim in
      axis == 0 || axis == shape.count - 1 || (axis == 1 && !channelsLast) ? dim : .unknown
    }
  }
}
