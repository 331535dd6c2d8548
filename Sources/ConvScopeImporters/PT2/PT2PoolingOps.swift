import ConvScopeCore

/// Pooling and resizing: `aten.max_pool1d/2d/3d` (and `_with_indices`) → `MaxPool`,
/// `aten.avg_pool1d/2d/3d` → `AveragePool` (an empty `stride` means the kernel, as in torch;
/// `count_include_pad` defaults to true in torch, 0 in ONNX), `aten.adaptive_avg_pool*d` /
/// `adaptive_max_pool*d` → `GlobalAveragePool` / `GlobalMaxPool` for an output of ones, else
/// the pool whose kernel equals its stride (`in / out`) where the sizes divide, as
/// `torch.onnx` exports them (an average pool says which it was: ConvScope's `adaptive`
/// attribute, for the conventions that count only adaptive pooling); `aten.upsample_nearest*d` / `upsample_bilinear2d` (and `.vec`)
/// → `Resize` of the spatial axes (`axes`) to the declared output sizes.
enum PT2PoolingOps {
  static let mappings: [String: PT2Mapping] = [
    "aten.max_pool1d": { e throws(ConvScopeError) in try pool(&e, op: "MaxPool") },
    "aten.max_pool2d": { e throws(ConvScopeError) in try pool(&e, op: "MaxPool") },
    "aten.max_pool3d": { e throws(ConvScopeError) in try pool(&e, op: "MaxPool") },
    "aten.max_pool2d_with_indices": { e throws(ConvScopeError) in try pool(&e, op: "MaxPool") },
    "aten.max_pool3d_with_indices": { e throws(ConvScopeError) in try pool(&e, op: "MaxPool") },
    "aten.avg_pool1d": { e throws(ConvScopeError) in try pool(&e, op: "AveragePool") },
    "aten.avg_pool2d": { e throws(ConvScopeError) in try pool(&e, op: "AveragePool") },
    "aten.avg_pool3d": { e throws(ConvScopeError) in try pool(&e, op: "AveragePool") },
    "aten.adaptive_avg_pool1d": { e throws(ConvScopeError) in try adaptive(&e, average: true) },
    "aten.adaptive_avg_pool2d": { e throws(ConvScopeError) in try adaptive(&e, average: true) },
    "aten.adaptive_avg_pool3d": { e throws(ConvScopeError) in try adaptive(&e, average: true) },
    "aten._adaptive_avg_pool2d": { e throws(ConvScopeError) in try adaptive(&e, average: true) },
    "aten._adaptive_avg_pool3d": { e throws(ConvScopeError) in try adaptive(&e, average: true) },
    "aten.adaptive_max_pool1d": { e throws(ConvScopeError) in try adaptive(&e, average: false) },
    "aten.adaptive_max_pool2d": { e throws(ConvScopeError) in try adaptive(&e, average: false) },
    "aten.adaptive_max_pool3d": { e throws(ConvScopeError) in try adaptive(&e, average: false) },
    "aten.upsample_nearest1d": { e throws(ConvScopeError) in try resize(&e, mode: "nearest") },
    "aten.upsample_nearest2d": { e throws(ConvScopeError) in try resize(&e, mode: "nearest") },
    "aten.upsample_nearest3d": { e throws(ConvScopeError) in try resize(&e, mode: "nearest") },
    "aten.upsample_bilinear2d": { e throws(ConvScopeError) in try resize(&e, mode: "linear") },
    "aten.upsample_trilinear3d": { e throws(ConvScopeError) in try resize(&e, mode: "linear") },
    "aten.upsample_bicubic2d": { e throws(ConvScopeError) in try resize(&e, mode: "cubic") },
  ]

  static func pool(_ e: inout PT2Emitter, op: String) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let spatial = try e.rank(of: input) - 2
    guard spatial >= 1 else { throw e.error("expected a batch, channel and spatial axes", argument: "self") }
    let kernel = try e.ints("kernel_size", count: spatial)
    var strides = try e.ints("stride", default: [], count: spatial)
    if strides.isEmpty { strides = kernel }
    let pads = try e.ints("padding", default: [0], count: spatial)
    var attributes: [String: AttributeValue] = [
      "kernel_shape": .ints(kernel), "strides": .ints(strides), "pads": .ints(pads + pads),
      "ceil_mode": .int(try e.bool("ceil_mode", default: false) ? 1 : 0),
    ]
    if op == "MaxPool" {
      attributes["dilations"] = .ints(try e.ints("dilation", default: [1], count: spatial))
    } else {
      attributes["count_include_pad"] = .int(try e.bool("count_include_pad", default: true) ? 1 : 0)
      attributes["adaptive"] = .int(0)
    }
    e.finish(op, [input], attributes)
  }

  static func adaptive(_ e: inout PT2Emitter, average: Bool) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let shape = try e.shape(of: input)
    let output = try e.ints("output_size")
    guard shape.rank >= output.count + 1 else { throw e.error("output_size has more axes than the input") }
    if output.allSatisfy({ $0 == 1 }) {
      e.finish(average ? "GlobalAveragePool" : "GlobalMaxPool", [input])
      return
    }
    let sizes = shape.dims.suffix(output.count).map(\.value)
    var kernel: [Int] = []
    for (size, out) in zip(sizes, output) {
      guard let size, out > 0, size % out == 0 else {
        throw e.error(
          "an adaptive pool from \(shape) to \(output) has windows of different sizes; only divisible sizes are read")
      }
      kernel.append(size / out)
    }
    let attributes: [String: AttributeValue] = [
      "kernel_shape": .ints(kernel), "strides": .ints(kernel),
      "pads": .ints(Array(repeating: 0, count: 2 * kernel.count)),
    ]
    e.finish(average ? "AveragePool" : "MaxPool", [input], attributes)
  }

  static func resize(_ e: inout PT2Emitter, mode: String) throws(ConvScopeError) {
    let input = try e.tensor(e.argument("input") == nil ? "self" : "input")
    let output = try e.outputShape()
    let spatial = Array(2..<max(2, output.rank))
    var sizes: [Int] = []
    for axis in spatial {
      guard let size = output.dims[axis].value else { throw e.error("the output's spatial sizes must be known") }
      sizes.append(size)
    }
    var attributes: [String: AttributeValue] = ["mode": .string(mode), "axes": .ints(spatial)]
    if mode != "nearest" {
      let aligned = try e.bool("align_corners", default: false)
      attributes["coordinate_transformation_mode"] = .string(aligned ? "align_corners" : "half_pixel")
    }
    let target = e.ints(constant: "sizes", sizes)
    e.finish("Resize", [input, "", "", target], attributes)
  }
}
