/// `ReduceSum`, `ReduceMean`, `ReduceMax`, `ReduceMin`, `ReduceProd`, `ReduceL1`, `ReduceL2`,
/// `ReduceLogSum`, `ReduceLogSumExp`, `ReduceSumSquare`.
/// <https://onnx.ai/onnx/operators/onnx__ReduceSum.html>
///
/// Shape: the reduced axes become 1 (`keepdims = 1`, the default) or disappear. The axes
/// are an attribute before opset 18 (13 for `ReduceSum`) and optional input 1 from then;
/// no axes means all axes, unless `noop_with_empty_axes = 1`, which makes the op a copy.
///
/// Cost per output element reducing `r` inputs: `r-1` combines (adds; compares for
/// Max/Min; multiplies for Prod), plus per input element a square (L2, SumSquare: a
/// multiply), an absolute value (L1: a compare) or an exponential (LogSumExp), plus once per
/// output a divide (Mean) or a sqrt/log ("other": L2, LogSum, LogSumExp).
///
/// Example: ReduceMean over axes [2, 3] of 1x64x7x7 → 1x64x1x1: `64*48 = 3_072` adds, 64 divides.
public struct ReduceRule: OpRule {
  public init() {}
  public var opTypes: [String] { Self.specs.keys.sorted() }
  public func family(of opType: String) -> OpFamily { Self.families[opType] ?? .other }
  public var summary: String {
    "reduced axes → 1 (keepdims) or removed; per output: r-1 combines (+ per-element and final work)"
  }

  /// The family of each op type.
  static let families: [String: OpFamily] = [
    "ReduceSum": .reduction(.sum), "ReduceMean": .reduction(.mean), "ReduceMax": .reduction(.max),
    "ReduceMin": .reduction(.min), "ReduceProd": .reduction(.product), "ReduceL1": .reduction(.l1),
    "ReduceL2": .reduction(.l2), "ReduceSumSquare": .reduction(.sumSquare), "ReduceLogSum": .reduction(.logSum),
    "ReduceLogSumExp": .reduction(.logSumExp),
  ]

  /// The work of one reduction: per input element, per combine, once per output element.
  private struct Spec: Sendable {
    var perInput: Cost = .zero
    var perCombine: Cost
    var perOutput: Cost = .zero
  }

  private static let specs: [String: Spec] = [
    "ReduceSum": Spec(perCombine: Cost(adds: 1)),
    "ReduceMean": Spec(perCombine: Cost(adds: 1), perOutput: Cost(divides: 1)),
    "ReduceMax": Spec(perCombine: Cost(compares: 1)),
    "ReduceMin": Spec(perCombine: Cost(compares: 1)),
    "ReduceProd": Spec(perCombine: Cost(multiplies: 1)),
    "ReduceL1": Spec(perInput: Cost(compares: 1), perCombine: Cost(adds: 1)),
    "ReduceL2": Spec(perInput: Cost(multiplies: 1), perCombine: Cost(adds: 1), perOutput: Cost(others: 1)),
    "ReduceSumSquare": Spec(perInput: Cost(multiplies: 1), perCombine: Cost(adds: 1)),
    "ReduceLogSum": Spec(perCombine: Cost(adds: 1), perOutput: Cost(others: 1)),
    "ReduceLogSumExp": Spec(perInput: Cost(exponentials: 1), perCombine: Cost(adds: 1), perOutput: Cost(others: 1)),
  ]

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let op = context.node.opType
    guard let spec = Self.specs[op] else { throw OpError("\(op) is not a reduction") }
    let x = try context.input(0)
    let dims = try context.sizes(0)
    let axesAreInput = context.opset >= (op == "ReduceSum" ? 13 : 18)
    let declared: [Int]
    if axesAreInput {
      if context.has(1) {
        guard let values = context.constantInts(1) else {
          throw OpError(field: "inputs[1]", "the axes are computed at run time", isUnknownShape: true)
        }
        declared = values
      } else {
        declared = []
      }
    } else {
      declared = try context.ints("axes") ?? []
    }
    let roles: [Int: InputRole] = [1: .configuration]
    let noopWhenEmpty = try context.int("noop_with_empty_axes", default: 0) != 0
    if declared.isEmpty && noopWhenEmpty {
      let copy = context.constants.first ?? nil
      return OpOutcome(outputs: [.init(dataType: x.dataType, shape: x.shape, constant: copy)], inputRoles: roles)
    }
    var axes = Set<Int>()
    for axis in declared {
      axes.insert(
        try ElementCounting.normalizedAxis(axis, rank: dims.count, field: axesAreInput ? "inputs[1]" : "axes"))
    }
    if declared.isEmpty { axes = Set(dims.indices) }
    let keepdims = try context.int("keepdims", default: 1) != 0
    let outDims = Self.reducedDims(dims, axes: axes, keepdims: keepdims)
    if let folded = Self.fold(op, context.constants.first ?? nil, dims: dims, axes: axes, outDims: outDims) {
      return OpOutcome(outputs: [.init(constant: folded)], inputRoles: roles)
    }
    let reduced = try Checked.product(axes.map { dims[$0] })
    let outputs = try Checked.product(outDims)
    let perOutput = try spec.perInput.scaled(by: reduced)
      .adding(try spec.perCombine.scaled(by: max(reduced - 1, 0))).adding(spec.perOutput)
    return OpOutcome(
      outputs: [.init(dataType: x.dataType, shape: Shape(outDims))], cost: try perOutput.scaled(by: outputs),
      inputRoles: roles)
  }

  /// The reduction of a known integer constant (shape math such as `ReduceProd` of a shape
  /// slice), for `ReduceSum`, `ReduceProd`, `ReduceMax` and `ReduceMin`; `nil` when it does not fold.
  private static func fold(_ op: String, _ input: ConstantTensor?, dims: [Int], axes: Set<Int>, outDims: [Int])
    -> ConstantTensor?
  {
    guard let input, case .ints(let values)? = input.values, !input.dataType.isFloatingPoint,
      input.dims == dims, values.count <= ElementwiseRule.foldLimit, values.count == input.elementCount,
      axes.allSatisfy({ dims[$0] > 0 })
    else { return nil }
    let combine: (Int, Int) -> Int?
    switch op {
    case "ReduceSum":
      combine = { a, b in
        let r = a.addingReportingOverflow(b)
        return r.overflow ? nil : r.partialValue
      }
    case "ReduceProd":
      combine = { a, b in
        let r = a.multipliedReportingOverflow(by: b)
        return r.overflow ? nil : r.partialValue
      }
    case "ReduceMax": combine = { max($0, $1) }
    case "ReduceMin": combine = { min($0, $1) }
    default: return nil
    }
    let kept = reducedDims(dims, axes: axes, keepdims: true)
    let targets = ElementwiseFolding.broadcastIndices(kept, to: dims, count: values.count)
    var out = [Int?](repeating: nil, count: kept.reduce(1, *))
    for (value, target) in zip(values, targets) {
      if let current = out[target] {
        guard let next = combine(current, value) else { return nil }
        out[target] = next
      } else {
        out[target] = value
      }
    }
    return ConstantTensor(dataType: input.dataType, dims: outDims, values: .ints(out.compactMap { $0 }))
  }

  /// `dims` with each of `axes` set to 1 (`keepdims`) or removed.
  static func reducedDims(_ dims: [Int], axes: Set<Int>, keepdims: Bool) -> [Int] {
    dims.enumerated().compactMap { axis, size in axes.contains(axis) ? (keepdims ? 1 : nil) : size }
  }
}

/// `ArgMax`, `ArgMin`: the index of the largest (smallest) element along `axis`.
/// <https://onnx.ai/onnx/operators/onnx__ArgMax.html>
///
/// Shape: `dims[axis]` becomes 1 (`keepdims = 1`, the default) or disappears; int64 out.
/// `select_last_index` changes which index ties give, not the cost.
/// Cost: `n-1` compares per output element, `n = dims[axis]`.
///
/// Example: ArgMax over axis 1 of 2x1000 → 2x1 int64, `2*999 = 1_998` compares.
public struct ArgReduceRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["ArgMax", "ArgMin"] }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "ArgMin": .indexing(.argMin)
    default: .indexing(.argMax)
    }
  }
  public var summary: String { "dims[axis] → 1 (keepdims) or removed, int64; n-1 compares per output" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let dims = try context.sizes(0)
    let axis = try ElementCounting.normalizedAxis(try context.int("axis", default: 0), rank: dims.count, field: "axis")
    let keepdims = try context.int("keepdims", default: 1) != 0
    let outDims = ReduceRule.reducedDims(dims, axes: [axis], keepdims: keepdims)
    let compares = try Checked.multiply(try Checked.product(outDims), max(dims[axis] - 1, 0))
    return OpOutcome(outputs: [.init(dataType: .int64, shape: Shape(outDims))], cost: Cost(compares: compares))
  }
}

/// `CumSum` and `CumProd`: running sums (products) along the axis given by input 1
/// (`exclusive` and `reverse` change which sums, not how many).
/// <https://onnx.ai/onnx/operators/onnx__CumSum.html>, <https://onnx.ai/onnx/operators/onnx__CumProd.html>
///
/// Shape: same as `X`. Cost: `n-1` adds (CumProd: multiplies) per line of `n = dims[axis]` elements.
///
/// Example: CumSum over axis 1 of 2x5 → 2x5, `2*4 = 8` adds.
public struct CumSumRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["CumSum", "CumProd"] }
  public func family(of opType: String) -> OpFamily {
    opType == "CumSum" ? .reduction(.cumulativeSum) : .reduction(.cumulativeProduct)
  }
  public var summary: String { "Y same shape as X; n-1 adds (CumProd: multiplies) per line along axis" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let dims = try context.sizes(0)
    let output = OpOutcome.Output(dataType: x.dataType, shape: x.shape)
    guard let axisValue = context.constantInts(1)?.first else {
      return OpOutcome(
        outputs: [output], inputRoles: [1: .configuration],
        warnings: ["the axis is computed at run time; its arithmetic is not counted"])
    }
    let axis = try ElementCounting.normalizedAxis(axisValue, rank: dims.count, field: "inputs[1]")
    let lines = dims[axis] == 0 ? 0 : try Checked.product(dims) / dims[axis]
    let steps = try Checked.multiply(lines, max(dims[axis] - 1, 0))
    let cost = context.node.opType == "CumProd" ? Cost(multiplies: steps) : Cost(adds: steps)
    return OpOutcome(outputs: [output], cost: cost, inputRoles: [1: .configuration])
  }
}

/// `TopK`: the `k` largest (or smallest) elements along `axis` and their int64 indices;
/// `k` is an attribute in opset 1 and input 1 from opset 10.
/// <https://onnx.ai/onnx/operators/onnx__TopK.html>
///
/// Shape: `dims[axis]` becomes `k` in both outputs (`Values` of X's type, `Indices` int64).
/// Cost: a bounded heap of `k` per line of `n`: `(n-1) * ceil(log2(k+1))` compares
/// (`k = 1` is an argmax: `n-1`).
///
/// Example: k = 5 over the last axis of 1x1000 → 1x5 twice, `999 * 3 = 2_997` compares.
public struct TopKRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["TopK"] }
  public func family(of opType: String) -> OpFamily { .indexing(.topK) }
  public var summary: String { "dims[axis] → k for values and int64 indices; (n-1)*ceil(log2(k+1)) compares per line" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let dims = try context.sizes(0)
    let axis = try ElementCounting.normalizedAxis(try context.int("axis", default: -1), rank: dims.count, field: "axis")
    let k: Int
    if context.opset < 10 {
      k = try context.int("k", default: -1)
    } else {
      guard let value = context.constantInts(1)?.first else {
        throw OpError(field: "inputs[1]", "k is computed at run time", isUnknownShape: true)
      }
      k = value
    }
    guard k >= 0, k <= dims[axis] else {
      throw OpError(
        field: context.opset < 10 ? "k" : "inputs[1]", "k = \(k) must be between 0 and the axis size \(dims[axis])")
    }
    var outDims = dims
    outDims[axis] = k
    let lines = dims[axis] == 0 ? 0 : try Checked.product(dims) / dims[axis]
    var depth = 0
    while (1 << depth) < k + 1 { depth += 1 }
    let compares = try Checked.product([lines, max(dims[axis] - 1, 0), depth])
    return OpOutcome(
      outputs: [.init(dataType: x.dataType, shape: Shape(outDims)), .init(dataType: .int64, shape: Shape(outDims))],
      cost: Cost(compares: compares), inputRoles: [1: .configuration])
  }
}
