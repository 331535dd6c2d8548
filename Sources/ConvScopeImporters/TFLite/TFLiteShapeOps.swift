import ConvScopeCore

/// Reshaping, slicing, padding, reductions, concatenation and resizing. Axis-valued operands
/// (a constant `axes`, `perm` or `paddings` tensor, read from its buffer) are in the file's
/// order: they are mapped onto graph axes, or the op runs in the file's order between Transposes
/// when it changes the rank.
enum TFLiteShapeOps {
  /// RESHAPE(input, shape?) → Reshape to the stored output shape (its `shape_signature`, with
  /// -1 for a dynamic dim, when it has at most one), in the file's order. A leading dim equal to
  /// the input's (the batch) is written 0, ONNX's "copy it", so that `--batch` carries through.
  /// With more than one dynamic dim (a converter's reshape of a dynamic batch) the target is the
  /// shape input, computed by the graph (SHAPE, GATHER, PACK...), which the analyzer folds.
  static func reshape(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let output = try c.output()
    let signature = output.signature ?? output.shape
    if signature.filter({ $0 < 0 }).count > 1, c.has(1) {
      let computed = try c.data(1)
      return try c.inFileOrder { c, x throws(FlatBufferError) in c.node("Reshape", [x, computed]) }
    }
    var target = signature
    if let first = target.first, first > 0, first == (try c.shape(0)).first { target[0] = 0 }
    let shape = c.ints("shape", target)
    return try c.inFileOrder { c, x throws(FlatBufferError) in c.node("Reshape", [x, shape]) }
  }

  /// TRANSPOSE(input, perm) → Transpose, `perm` composed with the layouts of input and output.
  static func transpose(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let perm = try c.values(1)
    let rank = try c.rank(0)
    guard perm.sorted() == Array(0..<rank) else {
      throw c.error("inputs[1]", "perm \(perm) is not a permutation of \(rank) axes")
    }
    let toFile = c.builder.axes.graphToKeras(rank: rank)
    let graphPerm = c.builder.axes.kerasToGraph(rank: rank).map { toFile[perm[$0]] }
    return [c.node("Transpose", [try c.data(0)], ["perm": .ints(graphPerm)])]
  }

  /// SQUEEZE → Squeeze of `SqueezeOptions.squeeze_dims` (every size-1 axis when empty).
  static func squeeze(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let shape = try c.shape(0)
    var axes = try c.op.options?.ints(0, "squeeze_dims", Int32.self) ?? []
    if axes.isEmpty { axes = shape.indices.filter { shape[$0] == 1 } }
    if let graphAxes = c.graphAxes(removing: axes, rank: shape.count) {
      return [c.node("Squeeze", [try c.data(0), c.ints("axes", graphAxes)])]
    }
    let constant = c.ints("axes", axes)
    return try c.inFileOrder { c, x throws(FlatBufferError) in c.node("Squeeze", [x, constant]) }
  }

  /// EXPAND_DIMS(input, axis) → Unsqueeze.
  static func expandDims(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let constant = c.ints("axes", Array(try c.values(1).prefix(1)))
    return try c.inFileOrder { c, x throws(FlatBufferError) in c.node("Unsqueeze", [x, constant]) }
  }

  /// CONCATENATION → Concat on the graph axis; `ConcatenationOptions` 0 axis, 1 fused activation.
  static func concatenation(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let axis = try c.graphAxis(try c.option(0, "axis", Int32.self), rank: try c.output().shape.count)
    var inputs: [String] = []
    for index in c.op.inputs.indices { inputs.append(try c.data(index)) }
    let y = c.node("Concat", inputs, ["axis": .int(axis)])
    return [try c.activated(y, code: try c.option(1, "fused_activation_function", Int8.self))]
  }

  /// PAD / PADV2 (constant value input 2) / MIRROR_PAD (`MirrorPadOptions` 0 mode: 0 REFLECT,
  /// 1 SYMMETRIC) → Pad; the `[rank, 2]` paddings become ONNX `[begins..., ends...]` in graph order.
  static func pad(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let rank = try c.rank(0)
    let paddings = try c.values(1)
    guard paddings.count == 2 * rank else { throw c.error("inputs[1]", "paddings \(paddings) must be [\(rank), 2]") }
    let order = c.builder.axes.kerasToGraph(rank: rank)
    let pads = order.map { paddings[2 * $0] } + order.map { paddings[2 * $0 + 1] }
    var inputs = [try c.data(0), c.ints("pads", pads)]
    if c.opName == "PADV2" && c.has(2) { inputs.append(try c.data(2)) }
    var attributes: [String: AttributeValue] = [:]
    if c.opName == "MIRROR_PAD" { attributes["mode"] = .string("reflect") }
    return [c.node("Pad", inputs, attributes)]
  }

  /// MEAN, SUM, REDUCE_MAX/MIN/PROD/ANY(input, axes) → ReduceMean... ; `ReducerOptions` 0 keep_dims.
  static func reduce(_ opType: String) -> TFLiteMapping {
    { (c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] in
      let rank = try c.rank(0)
      let axes = try c.values(1)
      if try c.option(0, "keep_dims", Int8.self) != 0 {
        var graphAxes: [Int] = []
        for axis in axes { graphAxes.append(try c.graphAxis(axis, rank: rank, field: "inputs[1]")) }
        return [c.node(opType, [try c.data(0), c.ints("axes", graphAxes.sorted())], ["keepdims": .int(1)])]
      }
      if let graphAxes = c.graphAxes(removing: axes, rank: rank) {
        return [c.node(opType, [try c.data(0), c.ints("axes", graphAxes)], ["keepdims": .int(0)])]
      }
      let constant = c.ints("axes", axes)
      return try c.inFileOrder { c, x throws(FlatBufferError) in c.node(opType, [x, constant], ["keepdims": .int(0)]) }
    }
  }

  /// STRIDED_SLICE(input, begin, end, strides) → Slice (+ Squeeze of the shrunk axes) in the
  /// file's order; `StridedSliceOptions` 0 begin_mask, 1 end_mask, 2 ellipsis_mask,
  /// 3 new_axis_mask, 4 shrink_axis_mask. Ellipsis and new axes are left to the file's shapes.
  static func stridedSlice(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let masks = try (0..<5).map { id throws(FlatBufferError) in try c.option(id, "mask", Int32.self) }
    guard masks[2] == 0, masks[3] == 0 else { return try c.opaque(c.opName, domain: TFLiteOperatorTable.domain) }
    let (begin, end, strides) = (try c.values(1), try c.values(2), try c.values(3))
    guard begin.count == end.count, begin.count == strides.count, !strides.contains(0) else {
      throw c.error("inputs", "begin \(begin), end \(end) and strides \(strides) must have one nonzero stride per axis")
    }
    var (starts, ends) = ([Int](), [Int]())
    for axis in begin.indices {
      let bit = 1 << axis
      let forward = strides[axis] > 0
      starts.append(masks[0] & bit != 0 ? (forward ? 0 : Int.max) : begin[axis])
      if masks[4] & bit != 0 {
        ends.append(begin[axis] == -1 || begin[axis] == Int.max ? Int.max : begin[axis] + 1)
      } else {
        ends.append(masks[1] & bit != 0 ? (forward ? Int.max : Int.min) : end[axis])
      }
    }
    let shrunk = begin.indices.filter { masks[4] & (1 << $0) != 0 }
    let inputs = [
      c.ints("starts", starts), c.ints("ends", ends), c.ints("axes", Array(begin.indices)), c.ints("steps", strides),
    ]
    let squeezeAxes = shrunk.isEmpty ? nil : c.ints("squeeze", shrunk)
    return try c.inFileOrder { c, x throws(FlatBufferError) in
      let y = c.node("Slice", [x] + inputs)
      guard let squeezeAxes else { return y }
      return c.node("Squeeze", [y, squeezeAxes])
    }
  }

  /// SLICE(input, begin, size) → Slice (a size of -1 runs to the end).
  static func slice(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let (begin, size) = (try c.values(1), try c.values(2))
    guard begin.count == size.count else { throw c.error("inputs", "begin \(begin) and size \(size) differ in length") }
    let ends = zip(begin, size).map { start, count in
      let (end, overflow) = start.addingReportingOverflow(count)
      return count < 0 || overflow ? Int.max : end
    }
    let inputs = [c.ints("starts", begin), c.ints("ends", ends), c.ints("axes", Array(begin.indices))]
    return try c.inFileOrder { c, x throws(FlatBufferError) in c.node("Slice", [x] + inputs) }
  }

  /// GATHER(params, indices) → Gather in the file's order; `GatherOptions` 0 axis.
  static func gather(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let axis = try c.option(0, "axis", Int32.self)
    let indices = c.toFileOrder(try c.data(1), rank: try c.rank(1))
    return try c.inFileOrder { c, x throws(FlatBufferError) in c.node("Gather", [x, indices], ["axis": .int(axis)]) }
  }

  /// ARG_MAX / ARG_MIN(input, axis) → ArgMax / ArgMin without the reduced axis.
  static func argument(_ opType: String) -> TFLiteMapping {
    { (c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] in
      let axis = try c.values(1).first ?? 0
      return try c.inFileOrder { c, x throws(FlatBufferError) in
        c.node(opType, [x], ["axis": .int(axis), "keepdims": .int(0)])
      }
    }
  }

  /// RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR(input, size) → Resize of axes H, W to the stored
  /// output's size; options align_corners and half_pixel_centers (ids 2, 3 for bilinear, 0, 1
  /// for nearest) choose the coordinate transformation.
  static func resize(_ mode: String) -> TFLiteMapping {
    { (c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] in
      let output = try c.output().shape
      guard output.count == 4 else { throw c.error("outputs", "expects a rank-4 output, got \(output)") }
      let first = mode == "linear" ? 2 : 0
      let alignCorners = try c.option(first, "align_corners", Int8.self) != 0
      let halfPixel = try c.option(first + 1, "half_pixel_centers", Int8.self) != 0
      let transformation = alignCorners ? "align_corners" : halfPixel ? "half_pixel" : "asymmetric"
      let sizes = c.ints("sizes", [output[1], output[2]])
      let attributes: [String: AttributeValue] = [
        "mode": .string(mode), "axes": .ints([2, 3]), "coordinate_transformation_mode": .string(transformation),
      ]
      return [c.node("Resize", [try c.data(0), "", "", sizes], attributes)]
    }
  }

  /// SPACE_TO_DEPTH / DEPTH_TO_SPACE → SpaceToDepth / DepthToSpace; options 0 block_size.
  static func blocks(_ opType: String) -> TFLiteMapping {
    { (c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] in
      let block = try c.option(0, "block_size", Int32.self, default: 1)
      return [c.node(opType, [try c.data(0)], ["blocksize": .int(block)])]
    }
  }

  /// TILE(input, multiples) → Tile with the multiples in graph order.
  static func tile(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let multiples = c.ints("repeats", c.builder.axes.toGraph(try c.values(1)))
    return [c.node("Tile", [try c.data(0), multiples])]
  }

  /// SHAPE → Shape of the input in the file's order (the dims a converter's shape arithmetic
  /// reads).
  static func shapeOf(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let x = c.toFileOrder(try c.data(0), rank: try c.rank(0))
    return [c.node("Shape", [x])]
  }

  /// PACK → each input Unsqueezed at `axis` then Concat, in the file's order; `PackOptions`
  /// 0 values_count, 1 axis.
  static func pack(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let axis = try c.option(1, "axis", Int32.self)
    let axes = c.ints("axes", [axis])
    var inputs: [String] = []
    for index in c.op.inputs.indices {
      let x = c.toFileOrder(try c.data(index), rank: try c.rank(index))
      inputs.append(c.node("Unsqueeze", [x, axes], helper: true))
    }
    let y = c.node("Concat", inputs, ["axis": .int(axis)])
    return [c.fromFileOrder(y, rank: try c.output().shape.count)]
  }
}
