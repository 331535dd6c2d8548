import ConvScopeCore

/// Keras pooling, padding, cropping and resampling layers.
enum KerasSpatialLayers {
  static func maxPool(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    try pool("MaxPool", &c)
  }

  static func averagePool(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    try pool("AveragePool", &c)
  }

  /// `MaxPoolingND` / `AveragePoolingND(pool_size, strides, padding)`; TensorFlow's
  /// "same" average leaves the padding out of the mean, as ONNX's default does.
  private static func pool(_ op: String, _ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let spatial = try c.spatialRank()
    let window = try KerasWindow(
      c.layer, spatial: spatial, kernelKey: "pool_size", defaultKernel: Array(repeating: 2, count: max(spatial, 0)))
    return [c.node(op, [try c.input().name], window.poolAttributes)]
  }

  static func globalMaxPool(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    try globalPool("GlobalMaxPool", &c)
  }

  static func globalAveragePool(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    try globalPool("GlobalAveragePool", &c)
  }

  /// `Global*PoolingND(keepdims)`: the global pool, flattened to `[N, C]` unless `keepdims`.
  private static func globalPool(_ op: String, _ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let pooled = c.node(op, [try c.input().name])
    guard !(try c.layer.bool("keepdims", default: false)) else { return [pooled] }
    let channels = try c.shape()[c.layer.channelsLast ? try c.rank() - 1 : 1]
    c.produces([try c.shape()[0], channels])
    return [c.node("Flatten", [pooled], ["axis": .int(1)], helper: true)]
  }

  /// `ZeroPaddingND(padding)` → Pad with constant zeros.
  static func zeroPadding(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let (begins, ends) = try spatialAmounts("padding", &c)
    return [c.node("Pad", [try c.input().name, c.ints("pads", begins + ends)], ["mode": .string("constant")])]
  }

  /// `CroppingND(cropping)` → Slice of the spatial axes.
  static func cropping(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let (begins, ends) = try spatialAmounts("cropping", &c)
    let axes = Array(0..<begins.count).filter { begins[$0] != 0 || ends[$0] != 0 }
    guard !axes.isEmpty else { return [c.node("Identity", [try c.input().name])] }
    let inputs = [
      try c.input().name, c.ints("starts", axes.map { begins[$0] }),
      c.ints("ends", axes.map { ends[$0] == 0 ? Int.max : -ends[$0] }), c.ints("axes", axes),
    ]
    return [c.node("Slice", inputs)]
  }

  /// `UpSamplingND(size, interpolation)` → Resize by integer scales.
  static func upSampling(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let rank = try c.spatialRank() + 2
    let spatialAxes = kerasSpatialAxes(c.layer, rank: rank)
    let sizes = try c.layer.tuple(
      "size", count: spatialAxes.count, default: Array(repeating: 2, count: spatialAxes.count))
    var scales = Array(repeating: 1.0, count: rank)
    for (axis, size) in zip(spatialAxes, sizes) { scales[axis] = Double(size) }
    let mode = try c.layer.string("interpolation", default: "nearest") == "nearest" ? "nearest" : "linear"
    let inputs = [try c.input().name, "", c.floats("scales", c.axes.toGraph(scales), dims: [rank])]
    return [c.node("Resize", inputs, ["mode": .string(mode)])]
  }

  /// `Resizing(height, width, interpolation)` → Resize to sizes on the two spatial axes.
  static func resizing(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let rank = try c.rank()
    guard rank == 4 else {
      throw c.layer.error("inbound_nodes", "Resizing needs a rank-4 image batch, got rank \(rank)")
    }
    let spatialAxes = kerasSpatialAxes(c.layer, rank: rank)
    let graphAxes = try spatialAxes.map { (axis) throws(ConvScopeError) in try c.graphAxis(axis, rank: rank) }
    let sizes = [try c.layer.count("height"), try c.layer.count("width")]
    let mode = try c.layer.string("interpolation", default: "bilinear") == "nearest" ? "nearest" : "linear"
    let inputs = [try c.input().name, "", "", c.ints("sizes", sizes)]
    return [c.node("Resize", inputs, ["mode": .string(mode), "axes": .ints(graphAxes)])]
  }

  /// The Keras axes that are spatial under the layer's `data_format`.
  private static func kerasSpatialAxes(_ layer: KerasLayer, rank: Int) -> [Int] {
    layer.channelsLast ? Array(1..<max(rank - 1, 1)) : Array(2..<max(rank, 2))
  }

  /// Per-axis begin and end amounts in graph axis order (zero on batch and channels), from
  /// `padding: 1`, `(1, 2)` (symmetric per axis) or `((top, bottom), (left, right))`.
  private static func spatialAmounts(_ key: String, _ c: inout KerasLayerContext) throws(ConvScopeError) -> (
    [Int], [Int]
  ) {
    let rank = try c.spatialRank() + 2
    let spatialAxes = kerasSpatialAxes(c.layer, rank: rank)
    var pairs: [(Int, Int)] = []
    let value = c.layer.config[key] ?? .int(1)
    if let single = value.int {
      pairs = Array(repeating: (single, single), count: spatialAxes.count)
    } else if let list = value.array, list.count == spatialAxes.count || spatialAxes.count == 1 {
      for element in list {
        if let amount = element.int {
          pairs.append((amount, amount))
        } else if let pair = element.array?.compactMap(\.int), pair.count == 2 {
          pairs.append((pair[0], pair[1]))
        }
      }
      if spatialAxes.count == 1, list.count == 2, let first = list[0].int, let second = list[1].int {
        pairs = [(first, second)]
      }
    }
    guard pairs.count == spatialAxes.count, pairs.allSatisfy({ $0.0 >= 0 && $0.1 >= 0 }) else {
      throw c.layer.error(key, "expected an integer, one per spatial axis, or a (begin, end) pair per spatial axis")
    }
    var begins = Array(repeating: 0, count: rank)
    var ends = Array(repeating: 0, count: rank)
    for (axis, pair) in zip(spatialAxes, pairs) {
      begins[axis] = pair.0
      ends[axis] = pair.1
    }
    return (c.axes.toGraph(begins), c.axes.toGraph(ends))
  }
}
