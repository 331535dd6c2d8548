/// What each weight-owning rule expects of its stored inputs (``OpRule/expectedWeightShapes(_:)``),
/// from its data input and attributes; the analyzer completes an importer's deferred weight dims
/// (``Dim/deferred``) from these. Dims the rule does not derive (Conv's `M` and kernel, Gemm's `N`)
/// are the weight's own, so only the data-dependent ones are completed or checked.
extension ConvRule {
  /// `W [M, C/group, k...]`, `B [M]`.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let w = try context.input(1).shape.dims
    let perGroup = try WeightShapes.channels(context, divideBy: try context.int("group", default: 1))
    guard w.count >= 2 else { return [:] }
    return [1: Shape([w[0], perGroup] + w.dropFirst(2)), 2: Shape([w[0]])]
  }
}

extension ConvTransposeRule {
  /// `W [C, M/group, k...]`, `B [M]`.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let w = try context.input(1).shape.dims
    let channels = try WeightShapes.channels(context, divideBy: 1)
    guard w.count >= 2 else { return [:] }
    let group = try context.int("group", default: 1)
    let outputs = w[1].value.map { Dim.fixed($0 * max(group, 1)) } ?? .unknown
    return [1: Shape([channels] + w.dropFirst()), 2: Shape([outputs])]
  }
}

extension GemmRule {
  /// `B [K, N]` (`[N, K]` with `transB`), `K` from A (per `transA`); `C [N]`.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let a = try context.input(0).shape.dims, b = try context.input(1).shape.dims
    guard a.count == 2, b.count == 2 else { return [:] }
    let k = try context.int("transA", default: 0) != 0 ? a[0] : a[1]
    let transB = try context.int("transB", default: 0) != 0
    let n = transB ? b[0] : b[1]
    return [1: Shape(transB ? [n, k] : [k, n]), 2: Shape([n])]
  }
}

extension MatMulRule {
  /// `B [..., K, N]` with `K` the last dim of A (`[K]` for a 1-D B).
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    guard context.node.opType == "MatMul" else { return [:] }
    let a = try context.input(0).shape.dims, b = try context.input(1).shape.dims
    guard let k = a.last, !b.isEmpty else { return [:] }
    var expected = b
    expected[b.count == 1 ? 0 : b.count - 2] = k
    return [1: Shape(expected)]
  }
}

extension BatchNormalizationRule {
  /// scale, B, input_mean, input_var `[C]`.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let channels = Shape([try WeightShapes.channels(context, divideBy: 1)])
    return [1: channels, 2: channels, 3: channels, 4: channels]
  }
}

extension InstanceNormalizationRule {
  /// scale, B `[C]`.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let channels = Shape([try WeightShapes.channels(context, divideBy: 1)])
    return [1: channels, 2: channels]
  }
}

extension GroupNormalizationRule {
  /// scale, bias `[C]` (opset 21; `[num_groups]` before).
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let shape: Shape
    if context.opset < 21, case .int(let groups)? = context.node.attributes["num_groups"] {
      shape = Shape([groups])
    } else {
      shape = Shape([try WeightShapes.channels(context, divideBy: 1)])
    }
    return [1: shape, 2: shape]
  }
}

extension LayerNormalizationRule {
  /// Scale, B: the trailing dims of X from `axis` (as many as the weight has).
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let x = try context.input(0).shape.dims
    let axis = try NormalizationInputs.axis(try context.int("axis", default: -1), rank: x.count)
    let normalized = Shape(Array(x[axis...]))
    var shapes: [Int: Shape] = [:]
    for index in [1, 2] where context.has(index) {
      shapes[index] = WeightShapes.aligned(try context.input(index).shape, to: normalized)
    }
    return shapes
  }
}

extension PReluRule {
  /// slope: X's dims on the axes it is aligned with (numpy broadcasting), its own 1s kept.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    [1: WeightShapes.aligned(try context.input(1).shape, to: try context.input(0).shape)]
  }
}

extension ElementwiseRule {
  /// A two-input op's stored operand (Caffe's per-channel Scale and Bias): the other operand's
  /// dims on the axes it is aligned with, its own known dims kept.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    guard context.inputCount == 2 else { return [:] }
    let a = try context.input(0).shape, b = try context.input(1).shape
    return [0: WeightShapes.aligned(a, to: b), 1: WeightShapes.aligned(b, to: a)]
  }
}

/// Shared arithmetic of the declarations above.
enum WeightShapes {
  /// Input 0's channel axis (1) divided by `group`; `Dim.unknown` when it is not a known number.
  static func channels(_ context: NodeContext, divideBy group: Int) throws(OpError) -> Dim {
    let x = try context.input(0).shape.dims
    guard x.count >= 2, let channels = x[1].value else { return .unknown }
    guard group > 0, channels % group == 0 else {
      throw OpError(field: "group", "group \(group) must divide the \(channels) input channels")
    }
    return .fixed(channels / group)
  }

  /// `weight` with each deferred dim replaced by the dim of `data` it is aligned with
  /// (right-aligned, as broadcasting aligns them); dims with no counterpart stay as they are.
  static func aligned(_ weight: Shape, to data: Shape) -> Shape {
    let offset = data.dims.count - weight.dims.count
    return Shape(
      weight.dims.enumerated().map { axis, dim in
        guard dim == .deferred, axis + offset >= 0 else { return dim }
        return data.dims[axis + offset]
      })
  }
}
