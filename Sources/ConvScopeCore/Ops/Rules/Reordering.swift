/// `ReverseSequence` and `TensorScatter`: the first input's shape and type, its elements
/// reordered or overwritten. <https://onnx.ai/onnx/operators/onnx__ReverseSequence.html>,
/// <https://onnx.ai/onnx/operators/onnx__TensorScatter.html>
///
/// Shape: `Y` = input 0 (`input`; TensorScatter's `past_cache`). TensorScatter's `update` must
/// match the cache on every axis but `axis` (default -2), where it may not be longer.
/// Cost: none (copies).
///
/// Example: TensorScatter of cache 2x1x4x5 with update 2x1x1x5 → 2x1x4x5.
public struct ReorderingRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["ReverseSequence", "TensorScatter"] }
  public func family(of opType: String) -> OpFamily {
    opType == "TensorScatter" ? .dataMovement(.scatter) : .dataMovement(.reverse)
  }
  public var summary: String { "Y shaped as input 0; copies only" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    if context.node.opType == "TensorScatter" {
      let cache = try context.sizes(0)
      let update = try context.sizes(1)
      let axis = try ShapeOps.axis(try context.int("axis", default: -2), rank: cache.count, field: "axis")
      let fits = update.count == cache.count && update.indices.allSatisfy { $0 == axis || update[$0] == cache[$0] }
      guard fits, update[axis] <= cache[axis] else {
        throw OpError(
          field: "inputs[1]", "update \(Shape(update)) does not fit cache \(Shape(cache)) along axis \(axis)")
      }
    }
    return OpOutcome(outputs: [.init(dataType: x.dataType, shape: x.shape)])
  }
}

/// `CenterCropPad`: each axis in `axes` (default all) cropped or zero-padded about its centre to
/// the matching value of `shape` (input 1). <https://onnx.ai/onnx/operators/onnx__CenterCropPad.html>
///
/// Shape: the input's, with `dims[axes[i]] = shape[i]`; unknown on those axes when `shape` is
/// computed at run time. Cost: none (copies and zeros).
///
/// Example: input 20x8x3, shape (10, 9), axes (0, 1) → 10x9x3.
public struct CenterCropPadRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["CenterCropPad"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.pad) }
  public var summary: String { "Y = X with dims[axes] = shape; copies only" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    var dims = x.shape.dims
    let axes = try ShapeOps.axes(try context.ints("axes") ?? Array(dims.indices), rank: dims.count, field: "axes")
    guard let target = try Interpolation.runtimeSizes(context, 1) else {
      throw OpError(field: "inputs[1]", "the length of shape is unknown", isUnknownShape: true)
    }
    guard target.count == axes.count else {
      throw OpError(field: "inputs[1]", "shape has \(target.count) values for \(axes.count) axes")
    }
    for (axis, size) in zip(axes, target) { dims[axis] = size }
    return OpOutcome(outputs: [.init(dataType: x.dataType, shape: Shape(dims))], inputRoles: [1: .configuration])
  }
}

/// `Unique`: the distinct elements (or slices along `axis`) of `X`, with their first indices,
/// the inverse map and the counts. <https://onnx.ai/onnx/operators/onnx__Unique.html>
///
/// Shape: how many are distinct depends on the values, so that dim is unknown (unless there is
/// at most one element or slice): without `axis`, `Y [?]`; with it, `X`'s shape with
/// `dims[axis] = ?`. `indices [?]` and `counts [?]` are int64, `inverse_indices` has one int64
/// per element (per slice with `axis`).
///
/// Cost: a comparison sort of the `n` elements (slices) — `n * ceil(log2 n)` compares, each of
/// a slice's elements with `axis` — and one compare per neighbour pair to find the runs.
///
/// Example: X of 6 elements, no axis → `6 * 3 + 5 = 23` compares.
public struct UniqueRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Unique"] }
  public func family(of opType: String) -> OpFamily { .indexing(.unique) }
  public var summary: String {
    "Y[?] (or dims[axis] = ?), indices/counts [?], inverse [n]; (n*ceil(log2 n)+n-1) compares"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let dims = try context.sizes(0)
    let total = try Checked.product(dims)
    var (items, itemSize) = (total, 1)
    var (out, uniqueAxis) = ([Dim.unknown], 0)
    if let value = try context.ints("axis")?.first {
      uniqueAxis = try ShapeOps.axis(value, rank: dims.count, field: "axis")
      out = dims.map(Dim.fixed)
      items = dims[uniqueAxis]
      itemSize = items == 0 ? 0 : total / items
    }
    out[uniqueAxis] = items <= 1 ? .fixed(items) : .unknown
    let depth = items <= 1 ? 0 : Int.bitWidth - (items - 1).leadingZeroBitCount  // ceil(log2 items)
    let compares =
      items == 0 ? 0 : try Checked.multiply(try Checked.add(try Checked.multiply(items, depth), items - 1), itemSize)
    let unknown = OpOutcome.Output(dataType: .int64, shape: Shape([out[uniqueAxis]]))
    return OpOutcome(
      outputs: [
        .init(dataType: x.dataType, shape: Shape(out)), unknown, .init(dataType: .int64, shape: Shape([items])),
        unknown,
      ],
      cost: Cost(compares: compares))
  }
}
