/// `Reshape`: the same elements under a new shape. <https://onnx.ai/onnx/operators/onnx__Reshape.html>
///
/// Shape: `X [d..]`, target `T` (input 1 since opset 5, attribute `shape` before) → `Y [T..]`,
/// where `0` copies the input dim at that position (unless `allowzero=1`, opset 14) and one
/// `-1` takes whatever the element count leaves. The target must be a known constant.
///
/// Cost: none (no arithmetic; the bytes moved are the output's). Folds known values.
///
/// Example: `X 2x3x4`, `T [0, -1]` → `Y 2x12` (`24 / 2 = 12`).
public struct ReshapeRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Reshape"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.reshape) }
  public var summary: String { "Y = X under target shape T (0 copies a dim, -1 infers); no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    guard let target = try ShapeOps.integers(context, attribute: "shape", input: 1) else {
      throw OpError(field: "inputs[1]", "Reshape needs a target shape (input 1, or attribute shape before opset 5)")
    }
    let allowZero = try context.int("allowzero", default: 0) != 0
    var dims: [Dim] = []
    var inferredAxis: Int?
    for (i, size) in target.enumerated() {
      switch size {
      case -1:
        guard inferredAxis == nil else { throw OpError(field: "shape", "target \(target) has more than one -1") }
        inferredAxis = i
        dims.append(1)
      case 0 where !allowZero:
        guard i < x.shape.rank else {
          throw OpError(
            field: "shape", "target \(target) copies dim \(i) with 0, but the input \(x.shape) has rank \(x.shape.rank)"
          )
        }
        dims.append(x.shape.dims[i])
      case 0...: dims.append(.fixed(size))
      default: throw OpError(field: "shape", "target \(target) holds the negative size \(size)")
      }
    }
    var formulas: [String] = []
    if let axis = inferredAxis {
      let partial = Shape(dims)
      dims[axis] = try inferredDim(from: x.shape, into: partial, target: target)
      if let total = x.shape.elementCount, let known = partial.elementCount, let inferred = dims[axis].value {
        formulas.append("-1 = \(total)/\(known) = \(inferred)")
      }
    } else {
      try checkCounts(x.shape, Shape(dims))
    }
    let shape = Shape(dims)
    return OpOutcome(
      outputs: [ShapeOps.output(x.dataType, shape, ShapeOps.values(context, 0))],
      inputRoles: [1: .configuration], shapeFormulas: formulas)
  }

  /// The `-1` dim: the input's elements over the known output dims, with symbolic dims
  /// the output copies from the input cancelled out.
  private func inferredDim(from input: Shape, into partial: Shape, target: [Int]) throws(OpError) -> Dim {
    let (inKnown, inSymbols) = split(input)
    let (outKnown, outSymbols) = split(partial)
    let leftover = Self.removing(outSymbols, from: inSymbols)
    guard outKnown > 0 else {
      throw OpError(field: "shape", "target \(target) has a zero dim, so its -1 cannot be inferred")
    }
    guard leftover.isEmpty else {
      if leftover.count == 1, inKnown == outKnown, let only = leftover.first { return .symbolic(only) }
      return .unknown
    }
    guard inKnown % outKnown == 0 else {
      throw OpError(
        field: "shape",
        "cannot reshape \(input) (\(inKnown) elements) into \(target): \(inKnown) is not a multiple of \(outKnown)")
    }
    return .fixed(inKnown / outKnown)
  }

  private func checkCounts(_ input: Shape, _ output: Shape) throws(OpError) {
    let (inKnown, inSymbols) = split(input)
    let (outKnown, outSymbols) = split(output)
    guard inSymbols.sorted() == outSymbols.sorted(), inKnown != outKnown else { return }
    throw OpError(
      field: "shape",
      "cannot reshape \(input) (\(inKnown) elements) into \(output) (\(outKnown) elements)")
  }

  /// The product of the known dims (saturating at `Int.max`) and the names of the others.
  private func split(_ shape: Shape) -> (Int, [String]) {
    var known = 1
    var symbols: [String] = []
    for dim in shape.dims {
      switch dim {
      case .fixed(let v): known = (try? Checked.multiply(known, v)) ?? Int.max
      case .symbolic(let name): symbols.append(name)
      }
    }
    return (known, symbols)
  }

  private static func removing(_ names: [String], from pool: [String]) -> [String] {
    var rest = pool
    for name in names {
      if let i = rest.firstIndex(of: name) { rest.remove(at: i) }
    }
    return rest
  }
}

/// `Flatten`: a 2-D view of the input. <https://onnx.ai/onnx/operators/onnx__Flatten.html>
///
/// Shape: `X [d0..d(r-1)]`, `axis` in `[-r, r]` (default 1) →
/// `Y [d0*..*d(axis-1), d(axis)*..*d(r-1)]` (an empty product is 1).
///
/// Cost: none. Example: `X 2x3x4x5`, axis 2 → `Y 6x20`.
public struct FlattenRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Flatten"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.flatten) }
  public var summary: String { "Y[prod(d[..<axis]), prod(d[axis...])]; no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let rank = x.shape.rank
    let requested = try context.int("axis", default: 1)
    guard requested >= -rank, requested <= rank else {
      throw OpError(field: "axis", "axis \(requested) is out of range for rank \(rank); expected [\(-rank), \(rank)]")
    }
    let axis = requested < 0 ? requested + rank : requested
    let sides = [x.shape.dims[..<axis], x.shape.dims[axis...]]
    let shape = Shape(sides.map(ShapeOps.product))
    let formulas = zip(sides, shape.dims).map { side, dim in
      side.count > 1 ? "\(side.map(\.description).joined(separator: "*")) = \(dim)" : "\(dim)"
    }
    return OpOutcome(
      outputs: [ShapeOps.output(x.dataType, shape, ShapeOps.values(context, 0))], shapeFormulas: formulas)
  }
}

/// `Squeeze`: removes dims of size 1. <https://onnx.ai/onnx/operators/onnx__Squeeze.html>
///
/// Shape: `axes` (attribute before opset 13, input 1 since) name dims that must be 1; without
/// axes every dim of size 1 goes. Cost: none. Example: `X 1x3x1x5`, axes `[0, -2]` → `Y 3x5`.
public struct SqueezeRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Squeeze"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.squeeze) }
  public var summary: String { "Y = X without the size-1 dims named by axes (all of them by default)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let dims: [Dim]
    if let requested = try ShapeOps.integers(context, attribute: "axes", input: 1) {
      let axes = Set(try ShapeOps.axes(requested, rank: x.shape.rank, field: "axes"))
      for axis in axes.sorted() where x.shape.dims[axis].value.map({ $0 != 1 }) ?? false {
        throw OpError(field: "axes", "cannot squeeze axis \(axis) of \(x.shape): its size is not 1")
      }
      dims = x.shape.dims.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    } else {
      dims = x.shape.dims.filter { $0 != .fixed(1) }
    }
    return OpOutcome(
      outputs: [ShapeOps.output(x.dataType, Shape(dims), ShapeOps.values(context, 0))],
      inputRoles: [1: .configuration])
  }
}

/// `Unsqueeze`: inserts dims of size 1. <https://onnx.ai/onnx/operators/onnx__Unsqueeze.html>
///
/// Shape: `axes` (attribute before opset 13, input 1 since), each in the output's rank
/// `r + len(axes)`, become 1; the input dims fill the rest in order.
/// Cost: none. Example: `X 3x4`, axes `[0, 3]` → `Y 1x3x4x1`.
public struct UnsqueezeRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Unsqueeze"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.unsqueeze) }
  public var summary: String { "Y = X with size-1 dims inserted at axes (of the output rank)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    guard let requested = try ShapeOps.integers(context, attribute: "axes", input: 1) else {
      throw OpError(field: "axes", "Unsqueeze needs axes (attribute before opset 13, input 1 since)")
    }
    let outRank = x.shape.rank + requested.count
    let axes = Set(try ShapeOps.axes(requested, rank: outRank, field: "axes"))
    var rest = x.shape.dims.makeIterator()
    var dims: [Dim] = []
    for axis in 0..<outRank {
      if axes.contains(axis) {
        dims.append(1)
      } else if let next = rest.next() {
        dims.append(next)
      }
    }
    return OpOutcome(
      outputs: [ShapeOps.output(x.dataType, Shape(dims), ShapeOps.values(context, 0))],
      inputRoles: [1: .configuration])
  }
}

/// `Transpose`: permutes the axes. <https://onnx.ai/onnx/operators/onnx__Transpose.html>
///
/// Shape: `Y[i] = X[perm[i]]`; `perm` defaults to the reversed axes.
/// Cost: none (a copy). Example: `X 1x3x224x224`, perm `[0, 2, 3, 1]` → `Y 1x224x224x3`.
public struct TransposeRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Transpose"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.transpose) }
  public var summary: String { "Y[i] = X[perm[i]] (perm reversed by default); no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let rank = x.shape.rank
    let perm = try ShapeOps.axes(try context.ints("perm") ?? Array((0..<rank).reversed()), rank: rank, field: "perm")
    guard perm.count == rank else {
      throw OpError(field: "perm", "perm has \(perm.count) entries for an input of rank \(rank)")
    }
    let shape = Shape(perm.map { x.shape.dims[$0] })
    var folded: ConstantTensor.Values?
    if let sizes = shape.sizes, let inSizes = x.shape.sizes {
      let inStrides = ShapeOps.strides(inSizes)
      folded = ShapeOps.remap(ShapeOps.values(context, 0), outDims: sizes) { index in
        zip(index, perm).reduce(0) { $0 + $1.0 * inStrides[$1.1] }
      }
    }
    return OpOutcome(outputs: [ShapeOps.output(x.dataType, shape, folded)])
  }
}

/// `Concat`: joins tensors along one axis. <https://onnx.ai/onnx/operators/onnx__Concat.html>
///
/// Shape: inputs of equal rank that agree on every dim but `axis` (negative counts from the
/// end; default 1 before opset 4) → the same dims with `axis` summed.
///
/// Cost: none (a copy). Folds known values (the `[batch, -1]` of an exported flatten).
/// Example: `2x3` and `2x5` on axis 1 (or -1) → `2x8`.
public struct ConcatRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Concat"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.concat) }
  public var summary: String { "Y = inputs joined along axis (that dim summed, others equal); no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    var shapes: [Shape] = []
    for i in 0..<context.inputCount where context.has(i) { shapes.append(try context.input(i).shape) }
    guard let first = shapes.first else { throw OpError(field: "inputs", "Concat needs at least one input") }
    guard context.node.attributes["axis"] != nil || context.opset < 4 else {
      throw OpError(field: "axis", "Concat needs attribute axis (required since opset 4)")
    }
    let axis = try ShapeOps.axis(try context.int("axis", default: 1), rank: first.rank, field: "axis")
    var dims = first.dims
    var axisSizes: [Dim] = [first.dims[axis]]
    for (i, shape) in shapes.enumerated().dropFirst() {
      guard shape.rank == first.rank else {
        throw OpError(field: "inputs[\(i)]", "cannot concatenate \(first) and \(shape): ranks differ")
      }
      for d in shape.dims.indices where d != axis {
        switch (dims[d], shape.dims[d]) {
        case (let a, let b) where a == b: continue
        case (.symbolic, .fixed(let v)): dims[d] = .fixed(v)
        case (.fixed, .symbolic): continue
        default:
          throw OpError(
            field: "inputs[\(i)]",
            "cannot concatenate \(first) and \(shape) on axis \(axis): "
              + "dim \(d) differs (\(dims[d]) vs \(shape.dims[d]))")
        }
      }
      axisSizes.append(shape.dims[axis])
    }
    dims[axis] = ShapeOps.sum(axisSizes)
    let shape = Shape(dims)
    return OpOutcome(
      outputs: [ShapeOps.output(try context.input(0).dataType, shape, folded(context, shapes, axis))],
      shapeFormulas: ["\(axisSizes.map(\.description).joined(separator: "+")) = \(dims[axis])"])
  }

  /// The joined values when every input's are known: for each outer index, each input's block in turn.
  private func folded(_ context: NodeContext, _ shapes: [Shape], _ axis: Int) -> ConstantTensor.Values? {
    var parts: [ConstantTensor.Values] = []
    var blocks: [Int] = []
    for i in 0..<context.inputCount where context.has(i) {
      guard let values = ShapeOps.values(context, i), let sizes = context.inputs[i]?.shape.sizes,
        let block = try? Checked.product(sizes[axis...])
      else { return nil }
      parts.append(values)
      blocks.append(block)
    }
    guard let outer = shapes.first?.sizes.flatMap({ try? Checked.product($0[..<axis]) }),
      let total = try? Checked.sum(parts.map(ShapeOps.count)), total <= ShapeOps.foldLimit
    else { return nil }
    let all = ShapeOps.join(parts)
    var starts: [Int] = []
    var offset = 0
    for part in parts {
      starts.append(offset)
      offset += ShapeOps.count(part)
    }
    var picks: [Int] = []
    for o in 0..<outer {
      for (k, block) in blocks.enumerated() { picks += (0..<block).map { starts[k] + o * block + $0 } }
    }
    return picks.count == total ? ShapeOps.pick(all, picks) : nil
  }
}
