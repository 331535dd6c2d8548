/// `Gather`: picks slices of `data` along `axis` by index. <https://onnx.ai/onnx/operators/onnx__Gather.html>
///
/// Shape: `data [d0..d(r-1)]`, `indices [q..]` → `data[..<axis] + indices + data[(axis+1)...]`;
/// a scalar index removes the axis. Negative indices count from the end.
///
/// Cost: none (a copy). Folds known values: `Gather(Shape(x), 0)` is the batch size.
/// Example: `data 5x4x3`, `indices 2x2`, axis 1 → `5x2x2x3`.
public struct GatherRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Gather"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.gather) }
  public var summary: String { "Y = data[..<axis] + indices + data[axis+1...]; no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let data = try context.input(0)
    let indices = try context.input(1).shape
    let axis = try ShapeOps.axis(try context.int("axis", default: 0), rank: data.shape.rank, field: "axis")
    let dims = Array(data.shape.dims[..<axis]) + indices.dims + Array(data.shape.dims[(axis + 1)...])
    return OpOutcome(
      outputs: [ShapeOps.output(data.dataType, Shape(dims), try folded(context, axis: axis, outDims: dims))],
      inputRoles: [1: .configuration])
  }

  /// The gathered values when data and indices are known; out-of-range indices are an error.
  private func folded(_ context: NodeContext, axis: Int, outDims: [Dim]) throws(OpError) -> ConstantTensor.Values? {
    guard let values = ShapeOps.values(context, 0), let rawIndices = context.constantInts(1),
      let dataSizes = context.inputs[0]?.shape.sizes, let indexSizes = context.inputs[1]?.shape.sizes,
      let outSizes = Shape(outDims).sizes
    else { return nil }
    let extent = dataSizes[axis]
    var indices: [Int] = []
    for index in rawIndices {
      guard index >= -extent, index < extent else {
        throw OpError(field: "inputs[1]", "index \(index) is out of range for axis \(axis) of size \(extent)")
      }
      indices.append(index < 0 ? index + extent : index)
    }
    let dataStrides = ShapeOps.strides(dataSizes)
    let indexStrides = ShapeOps.strides(indexSizes)
    let q = indexSizes.count
    return ShapeOps.remap(values, outDims: outSizes) { out in
      var source = 0
      for i in 0..<axis { source += out[i] * dataStrides[i] }
      var flatIndex = 0
      for j in 0..<q { flatIndex += out[axis + j] * indexStrides[j] }
      source += (flatIndex < indices.count ? indices[flatIndex] : -1) * dataStrides[axis]
      for i in (axis + 1)..<dataSizes.count { source += out[i - 1 + q] * dataStrides[i] }
      return source
    }
  }
}

/// `GatherElements`: per-element gather along `axis`. <https://onnx.ai/onnx/operators/onnx__GatherElements.html>
///
/// Shape: `data` and `indices` of equal rank → `Y` with the indices' shape. Cost: none.
/// Example: `data 3x3`, `indices 2x3`, axis 0 → `2x3`.
public struct GatherElementsRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["GatherElements"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.gatherElements) }
  public var summary: String { "Y has the indices' shape; no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let data = try context.input(0)
    let indices = try context.input(1).shape
    guard indices.rank == data.shape.rank else {
      throw OpError(field: "inputs[1]", "indices \(indices) must have the rank of data \(data.shape)")
    }
    _ = try ShapeOps.axis(try context.int("axis", default: 0), rank: data.shape.rank, field: "axis")
    return OpOutcome(outputs: [.init(dataType: data.dataType, shape: indices)], inputRoles: [1: .configuration])
  }
}

/// `GatherND`: gathers slices addressed by index tuples. <https://onnx.ai/onnx/operators/onnx__GatherND.html>
///
/// Shape: `data [r dims]`, `indices [.., k]` with `batch_dims = b` (opset 12) →
/// `indices[..<-1] + data[(b+k)...]`; `k` must be known and `1 <= k <= r - b`.
/// Cost: none. Example: `data 2x2x2`, `indices 2x1`, b 0 → `2x2x2`.
public struct GatherNDRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["GatherND"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.gatherND) }
  public var summary: String { "Y = indices[..<-1] + data[b+k...] (k = last index dim); no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let data = try context.input(0)
    let indices = try context.input(1).shape
    let batchDims = try context.int("batch_dims", default: 0)
    guard let last = indices.dims.last else {
      throw OpError(field: "inputs[1]", "GatherND indices must have rank >= 1")
    }
    guard let k = last.value else {
      throw OpError(field: "inputs[1]", "the last dim of indices \(indices) is not known", isUnknownShape: true)
    }
    guard batchDims >= 0, batchDims < min(data.shape.rank, indices.rank) else {
      throw OpError(
        field: "batch_dims",
        "batch_dims \(batchDims) must be in 0..<\(min(data.shape.rank, indices.rank)) (the lower rank)")
    }
    guard k >= 1, k <= data.shape.rank - batchDims else {
      throw OpError(
        field: "inputs[1]",
        "indices \(indices) address \(k) dims of data \(data.shape) after \(batchDims) batch dims; "
          + "expected 1...\(data.shape.rank - batchDims)")
    }
    let dims = Array(indices.dims.dropLast()) + Array(data.shape.dims[(batchDims + k)...])
    return OpOutcome(outputs: [.init(dataType: data.dataType, shape: Shape(dims))], inputRoles: [1: .configuration])
  }
}
