/// `Pad`: borders added to (or, when negative, removed from) each axis.
/// <https://onnx.ai/onnx/operators/onnx__Pad.html>
///
/// Shape: `pads = [b1..bn, e1..en]` (attribute `pads` before opset 11, `paddings` in opset 1;
/// input 1 since 11) over all axes, or over the `axes` input (opset 18) → `Y[a] = X[a] + b + e`.
/// `mode` (constant, reflect, edge, wrap) and `constant_value` do not change the shape.
///
/// Cost: none (a copy plus fill). Example: `X 1x3x4x5`, pads `[0, 0, 1, 2, 0, 0, 3, 4]` → `1x3x8x11`.
public struct PadRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Pad"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.pad) }
  public var summary: String { "Y[a] = X[a] + pad_begin[a] + pad_end[a]; no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let rank = x.shape.rank
    let legacyPads = try context.ints("paddings")
    guard let pads = try ShapeOps.integers(context, attribute: "pads", input: 1) ?? legacyPads else {
      throw OpError(field: "pads", "Pad needs pads (attribute before opset 11, input 1 since)")
    }
    let axes = try ShapeOps.axes(
      try ShapeOps.integers(context, attribute: "axes", input: 3) ?? Array(0..<rank), rank: rank, field: "axes")
    guard pads.count == 2 * axes.count else {
      throw OpError(
        field: "pads", "pads \(pads) must hold a begin and an end for each of the \(axes.count) padded axes")
    }
    var dims = x.shape.dims
    var formulas: [String] = []
    for (i, axis) in axes.enumerated() {
      let (begin, end) = (pads[i], pads[axes.count + i])
      guard let size = dims[axis].value else {
        if begin != 0 || end != 0 { dims[axis] = .unknown }
        continue
      }
      let padded = try Checked.sum([size, begin, end])
      guard padded >= 0 else {
        throw OpError(field: "pads", "pads \(begin) and \(end) remove more than the \(size) elements of axis \(axis)")
      }
      dims[axis] = .fixed(padded)
      if begin != 0 || end != 0 { formulas.append("\(size)+\(begin)+\(end) = \(padded)") }
    }
    return OpOutcome(
      outputs: [.init(dataType: x.dataType, shape: Shape(dims))],
      inputRoles: [1: .configuration, 2: .configuration, 3: .configuration], shapeFormulas: formulas)
  }
}

/// `Tile`: the input repeated along each axis. <https://onnx.ai/onnx/operators/onnx__Tile.html>
///
/// Shape: `repeats` (input 1, a known constant, one per axis) → `Y[a] = X[a] * repeats[a]`.
/// Cost: none (a copy). Folds known values. Example: `X 2x3`, repeats `[2, 2]` → `4x6`.
public struct TileRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Tile"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.tile) }
  public var summary: String { "Y[a] = X[a] * repeats[a]; no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    guard let repeats = try ShapeOps.integers(context, attribute: "repeats", input: 1) else {
      throw OpError(field: "inputs[1]", "Tile needs repeats")
    }
    guard repeats.count == x.shape.rank, repeats.allSatisfy({ $0 >= 0 }) else {
      throw OpError(field: "inputs[1]", "repeats \(repeats) must hold one non-negative count per axis of \(x.shape)")
    }
    var dims = x.shape.dims
    for (axis, count) in repeats.enumerated() {
      if let size = dims[axis].value {
        dims[axis] = .fixed(try Checked.multiply(size, count))
      } else if count != 1 {
        dims[axis] = .unknown
      }
    }
    let shape = Shape(dims)
    var folded: ConstantTensor.Values?
    if let outSizes = shape.sizes, let inSizes = x.shape.sizes, !inSizes.contains(0) {
      let strides = ShapeOps.strides(inSizes)
      folded = ShapeOps.remap(ShapeOps.values(context, 0), outDims: outSizes) { out in
        out.indices.reduce(0) { $0 + (out[$1] % inSizes[$1]) * strides[$1] }
      }
    }
    return OpOutcome(outputs: [ShapeOps.output(x.dataType, shape, folded)], inputRoles: [1: .configuration])
  }
}

/// `Expand`: the input broadcast to a shape. <https://onnx.ai/onnx/operators/onnx__Expand.html>
///
/// Shape: `Y = broadcast(X, shape)` (numpy rules in both directions, so a 1 in `shape` keeps
/// the input's dim); `shape` (input 1) must be a known constant.
/// Cost: none (a copy). Folds known values. Example: `X 3x1`, shape `[2, 1, 6]` → `2x3x6`.
public struct ExpandRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Expand"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.expand) }
  public var summary: String { "Y = broadcast(X, shape); no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    guard let target = try ShapeOps.integers(context, attribute: "shape", input: 1) else {
      throw OpError(field: "inputs[1]", "Expand needs a shape")
    }
    guard target.allSatisfy({ $0 >= 0 }) else {
      throw OpError(field: "inputs[1]", "shape \(target) holds a negative size")
    }
    let shape = try Shape.broadcast([x.shape, Shape(target)])
    var folded: ConstantTensor.Values?
    if let outSizes = shape.sizes, let inSizes = x.shape.sizes {
      let strides = ShapeOps.strides(inSizes)
      let offset = outSizes.count - inSizes.count
      folded = ShapeOps.remap(ShapeOps.values(context, 0), outDims: outSizes) { out in
        inSizes.indices.reduce(0) { $0 + (inSizes[$1] == 1 ? 0 : out[$1 + offset] * strides[$1]) }
      }
    }
    return OpOutcome(outputs: [ShapeOps.output(x.dataType, shape, folded)], inputRoles: [1: .configuration])
  }
}

/// `DepthToSpace` and `SpaceToDepth`: channels traded for spatial blocks.
/// <https://onnx.ai/onnx/operators/onnx__DepthToSpace.html>, <https://onnx.ai/onnx/operators/onnx__SpaceToDepth.html>
///
/// Shape, with `b = blocksize`: DepthToSpace `[N, C, H, W]` → `[N, C/b², H*b, W*b]` (C divisible
/// by b²; `mode` DCR or CRD only orders the channels); SpaceToDepth `[N, C, H, W]` →
/// `[N, C*b², H/b, W/b]` (H and W divisible by b). Cost: none (a permutation).
/// Example: DepthToSpace `1x8x2x3`, b 2 → `1x2x4x6`.
public struct DepthSpaceRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["DepthToSpace", "SpaceToDepth"] }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "SpaceToDepth": .dataMovement(.spaceToDepth)
    default: .dataMovement(.depthToSpace)
    }
  }
  public var summary: String { "DepthToSpace [N,C/b²,H*b,W*b]; SpaceToDepth [N,C*b²,H/b,W/b]; no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    guard x.shape.rank == 4 else { throw OpError(field: "inputs[0]", "expected N x C x H x W, got \(x.shape)") }
    let block = try context.int("blocksize", default: 0)
    guard block > 0 else { throw OpError(field: "blocksize", "blocksize must be positive, got \(block)") }
    let area = try Checked.multiply(block, block)
    let toSpace = context.node.opType == "DepthToSpace"
    var dims = x.shape.dims
    dims[1] = toSpace ? try divide(dims[1], by: area, what: "channels") : try multiply(dims[1], by: area)
    for axis in 2...3 {
      dims[axis] =
        toSpace ? try multiply(dims[axis], by: block) : try divide(dims[axis], by: block, what: "axis \(axis)")
    }
    return OpOutcome(outputs: [.init(dataType: x.dataType, shape: Shape(dims))])
  }

  private func multiply(_ dim: Dim, by factor: Int) throws(OpError) -> Dim {
    guard let v = dim.value else { return .unknown }
    return .fixed(try Checked.multiply(v, factor))
  }

  private func divide(_ dim: Dim, by divisor: Int, what: String) throws(OpError) -> Dim {
    guard let v = dim.value else { return .unknown }
    guard v % divisor == 0 else { throw OpError(field: "blocksize", "\(what) \(v) is not divisible by \(divisor)") }
    return .fixed(v / divisor)
  }
}
