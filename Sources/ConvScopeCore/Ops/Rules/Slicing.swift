/// `Slice`: a strided window of the input. <https://onnx.ai/onnx/operators/onnx__Slice.html>
///
/// Shape: per sliced axis of size `d` (starts, ends and axes are attributes before opset 10,
/// inputs 1-4 with steps since): a negative start or end adds `d`; then for `step > 0`
/// start and end clamp to `[0, d]`, for `step < 0` start clamps to `[0, d-1]` and end to
/// `[-1, d-1]`; the length is `max(0, ceil((end - start) / step))`. Ends like `INT64_MAX`
/// therefore mean "to the end".
///
/// Cost: none (a copy). Folds known values.
/// Example: `X 20x10x5`, starts `[0, 0]`, ends `[3, 10]`, axes `[0, 1]` → `3x10x5`;
/// `X 20x10x5`, starts `[20, 10, 4]`, ends `[0, 0, 1]`, steps `[-1, -3, -2]` → `19x3x2`.
public struct SliceRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Slice"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.slice) }
  public var summary: String { "Y[a] = ceil((end-start)/step) per sliced axis after ONNX clamping; no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    guard let starts = try ShapeOps.integers(context, attribute: "starts", input: 1),
      let ends = try ShapeOps.integers(context, attribute: "ends", input: 2)
    else { throw OpError(field: "starts", "Slice needs starts and ends") }
    let rank = x.shape.rank
    let axes = try ShapeOps.axes(
      try ShapeOps.integers(context, attribute: "axes", input: 3) ?? Array(0..<starts.count), rank: rank, field: "axes")
    let steps = try ShapeOps.integers(context, attribute: "steps", input: 4) ?? Array(repeating: 1, count: starts.count)
    guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
      throw OpError(
        field: "ends",
        "starts (\(starts.count)), ends (\(ends.count)), axes (\(axes.count)) and steps (\(steps.count)) "
          + "must have equal lengths")
    }
    var dims = x.shape.dims
    var first = Array(repeating: 0, count: rank)
    var stride = Array(repeating: 1, count: rank)
    var formulas: [String] = []
    for (i, axis) in axes.enumerated() {
      guard steps[i] != 0 else { throw OpError(field: "steps", "steps must not be 0") }
      guard let size = dims[axis].value else {
        let whole = starts[i] == 0 && steps[i] == 1 && ends[i] >= Int(Int32.max)
        dims[axis] = whole ? dims[axis] : .unknown
        continue
      }
      let range = Self.range(start: starts[i], end: ends[i], step: steps[i], size: size)
      dims[axis] = .fixed(range.count)
      (first[axis], stride[axis]) = (range.first, steps[i])
      formulas.append("ceil((\(range.end)-\(range.first))/\(steps[i])) = \(range.count)")
    }
    let shape = Shape(dims)
    var folded: ConstantTensor.Values?
    if let outSizes = shape.sizes, let inSizes = x.shape.sizes {
      let strides = ShapeOps.strides(inSizes)
      folded = ShapeOps.remap(ShapeOps.values(context, 0), outDims: outSizes) { out in
        out.indices.reduce(0) { $0 + (first[$1] + out[$1] * stride[$1]) * strides[$1] }
      }
    }
    return OpOutcome(
      outputs: [ShapeOps.output(x.dataType, shape, folded)],
      inputRoles: [1: .configuration, 2: .configuration, 3: .configuration, 4: .configuration],
      shapeFormulas: formulas)
  }

  /// The first index, the clamped end and the length of `start..<end` by `step` on an axis
  /// of `size`, after ONNX's clamping.
  static func range(start: Int, end: Int, step: Int, size: Int) -> (first: Int, end: Int, count: Int) {
    var (s, e) = (start, end)
    if s < 0 { s += size }
    if e < 0 { e += size }
    if step > 0 {
      s = min(max(s, 0), size)
      e = min(max(e, 0), size)
      return (s, e, e > s ? (e - s - 1) / step + 1 : 0)
    }
    s = min(max(s, 0), size - 1)
    e = min(max(e, -1), size - 1)
    let stride = step == Int.min ? Int.max : -step  // -Int.min overflows; either leaves one element
    return (s, e, s > e ? (s - e - 1) / stride + 1 : 0)
  }
}

/// `Split`: cuts the input into parts along `axis`. <https://onnx.ai/onnx/operators/onnx__Split.html>
///
/// Shape: part sizes from `split` (attribute before opset 13, input 1 since), which must sum
/// to the axis size; otherwise equal parts, one per output. With `num_outputs` (opset 18) an
/// axis that does not divide evenly gives parts of `ceil(d / n)` and a smaller last part.
///
/// Cost: none (a copy). Folds known values.
/// Example: `X 7`, num_outputs 4 → parts `2, 2, 2, 1`; `X 2x6`, axis 1, split `[2, 4]` → `2x2`, `2x4`.
public struct SplitRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Split"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.split) }
  public var summary: String { "Y_i = X with axis cut to split[i] (equal parts by default); no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let axis = try ShapeOps.axis(try context.int("axis", default: 0), rank: x.shape.rank, field: "axis")
    let dim = x.shape.dims[axis]
    let parts: [Dim]
    if let split = try ShapeOps.integers(context, attribute: "split", input: 1) {
      guard split.allSatisfy({ $0 >= 0 }) else { throw OpError(field: "split", "split \(split) holds a negative size") }
      guard let total = try? Checked.sum(split) else {
        throw OpError(field: "split", "split \(split) sums past a 64-bit integer")
      }
      if let size = dim.value, total != size {
        throw OpError(
          field: "split", "split \(split) sums to \(total), but axis \(axis) of \(x.shape) has size \(size)")
      }
      parts = split.map(Dim.fixed)
    } else {
      parts = try equalParts(context, dim: dim, axis: axis)
    }
    var outputs: [OpOutcome.Output] = []
    var offset = 0
    for part in parts {
      var dims = x.shape.dims
      dims[axis] = part
      let shape = Shape(dims)
      var folded: ConstantTensor.Values?
      if let outSizes = shape.sizes, let inSizes = x.shape.sizes {
        let strides = ShapeOps.strides(inSizes)
        let start = offset
        folded = ShapeOps.remap(ShapeOps.values(context, 0), outDims: outSizes) { out in
          out.indices.reduce(0) { $0 + (out[$1] + ($1 == axis ? start : 0)) * strides[$1] }
        }
      }
      outputs.append(ShapeOps.output(x.dataType, shape, folded))
      offset += part.value ?? 0
    }
    return OpOutcome(outputs: outputs, inputRoles: [1: .configuration])
  }

  /// Parts for a Split without `split`: `num_outputs` parts (opset 18) or one per node output.
  private func equalParts(_ context: NodeContext, dim: Dim, axis: Int) throws(OpError) -> [Dim] {
    let numOutputs = try context.int("num_outputs", default: 0)
    // One part per output: a count from the file beyond them would size arrays of billions.
    guard numOutputs <= 0 || numOutputs == context.node.outputs.count else {
      throw OpError(
        field: "num_outputs",
        "\(numOutputs) parts for the node's \(context.node.outputs.count) outputs: they must match")
    }
    let n = context.node.outputs.count
    guard n > 0 else { throw OpError(field: "num_outputs", "Split needs at least one output") }
    guard let size = dim.value else { return Array(repeating: .unknown, count: n) }
    if size % n == 0 { return Array(repeating: .fixed(size / n), count: n) }
    guard numOutputs > 0 else {
      throw OpError(field: "split", "axis \(axis) of size \(size) does not split into \(n) equal parts")
    }
    let chunk = size / n + 1  // ceil(size / n), size not a multiple of n
    let last = size - chunk * (n - 1)
    guard last > 0 else {
      throw OpError(field: "num_outputs", "axis \(axis) of size \(size) cannot make \(n) parts of \(chunk)")
    }
    return Array(repeating: .fixed(chunk), count: n - 1) + [.fixed(last)]
  }
}
