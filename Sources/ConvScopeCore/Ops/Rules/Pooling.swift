/// How a pool reduces the taps of one window to one value, and what that costs.
///
/// Every tap of the window is counted, taps in the padding (and, with `ceil_mode`, past it)
/// included, as a kernel that pads its input visits them: a window of `T = prod(K)` taps costs
///
///     max      T - 1 compares
///     average  T - 1 adds + 1 divide
///     Lp       T pows (|x|^p) + T - 1 adds + 1 root (a pow), pows counted as `others`
enum PoolReduction {
  case max, average, lp

  /// The cost of `outputs` windows of `taps` taps each.
  func cost(outputs: Int, taps: Int) throws(OpError) -> Cost {
    let combines = try Checked.multiply(outputs, Swift.max(taps - 1, 0))
    switch self {
    case .max:
      return Cost(compares: combines)
    case .average:
      return Cost(adds: combines, divides: outputs)
    case .lp:
      return Cost(adds: combines, others: try Checked.add(try Checked.multiply(outputs, taps), outputs))
    }
  }
}

/// What MaxPool, AveragePool and LpPool share: `X [N, C, D1..Dk]` → `Y [N, C, O1..Ok]` with each
/// `Oi` from ``Window`` (`ceil_mode` allowed), `N * C * prod(O)` windows of `prod(K)` taps.
enum SlidingPool {
  /// Attributes that appeared at a later opset than the first version of the op, with that opset.
  typealias Introductions = [(attribute: String, opset: Int)]

  static func infer(
    _ context: NodeContext, reduction: PoolReduction, introduced: Introductions
  ) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    guard x.count >= 3 else {
      throw OpError(field: "inputs[0]", "\(context.node.opType) input must be N x C x spatial..., got rank \(x.count)")
    }
    let resolved = try Window.resolve(context, input: Array(x[2...]), allowsCeilMode: true)
    let shape = Array(x[0..<2]) + resolved.output
    let outputs = try Checked.product(shape)
    let taps = try Checked.product(resolved.window.kernel)
    let late = introduced.filter { context.node.attributes[$0.attribute] != nil && context.opset < $0.opset }
    let opsetWarnings = late.map {
      "\($0.attribute) exists on \(context.node.opType) since opset \($0.opset); "
        + "the model declares opset \(context.opset) (applied anyway)"
    }
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(shape))],
      cost: try reduction.cost(outputs: outputs, taps: taps),
      window: resolved.window,
      shapeFormulas: resolved.formulas,
      warnings: resolved.warnings + opsetWarnings)
  }

  /// Throws unless integer attribute `name` is 0 or 1.
  static func checkFlag(_ context: NodeContext, _ name: String) throws(OpError) {
    let value = try context.int(name, default: 0)
    guard value == 0 || value == 1 else { throw OpError(field: name, "must be 0 or 1, got \(value)") }
  }
}

/// `MaxPool`: the largest value of each window; optional `Indices` output (int64, same shape)
/// holding the flat index of each maximum (`storage_order` 0 row-major, 1 column-major).
/// <https://onnx.ai/onnx/operators/onnx__MaxPool.html>
///
/// Shape: `X [N, C, D1..Dk]` → `Y [N, C, O1..Ok]` (``Window``, `ceil_mode` drops a last window
/// that would start in the end padding). Cost: `N*C*prod(O) * (prod(K) - 1)` compares.
///
/// Example (ONNX test `maxpool_2d_ceil`): X 1x1x4x4, kernel 3, stride 2, ceil_mode
/// → `(4-3+0+0)/2+1 = 1.5 → 2 (ceil)`, Y 1x1x2x2, compares `2*2 * (3*3-1) = 32`.
public struct MaxPoolRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["MaxPool"] }
  public func family(of opType: String) -> OpFamily { .pooling(.max) }
  public var summary: String {
    "Y[N,C,O..] with O=(I-((K-1)*d+1)+pb+pe)/s+1 (floor or ceil); compares=N*C*prod(O)*(prod(K)-1)"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    try SlidingPool.checkFlag(context, "storage_order")
    var outcome = try SlidingPool.infer(
      context, reduction: .max, introduced: [("ceil_mode", 10), ("dilations", 10), ("storage_order", 8)])
    let outputs = context.node.outputs
    if outputs.count > 1 && !outputs[1].isEmpty {
      outcome.outputs.append(.init(dataType: .int64, shape: outcome.outputs[0].shape))
    }
    return outcome
  }
}

/// `AveragePool`: the mean of each window, dividing by the taps inside the input
/// (`count_include_pad = 0`, the default) or by all taps including padding (`1`).
/// <https://onnx.ai/onnx/operators/onnx__AveragePool.html>
///
/// Shape: as ``MaxPoolRule``; `dilations` since opset 19. Cost per window: `prod(K) - 1` adds and
/// one divide (whatever the divisor), so adds `N*C*prod(O) * (prod(K) - 1)`, divides `N*C*prod(O)`.
///
/// Example (ONNX test `averagepool_2d_strides`): X 1x3x32x32, kernel 5, stride 3
/// → `(32-5+0+0)/3+1 = 10`, Y 1x3x10x10, adds `3*10*10 * (5*5-1) = 7_200`, divides `300`.
///
/// `adaptive` (ConvScope's attribute, not ONNX's) is set by an importer that knows whether the
/// pool was PyTorch's adaptive one (the `.pt2` importer); it changes no shape or cost, only what
/// ``OpParameters/adaptivePool`` tells counting conventions.
public struct AveragePoolRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["AveragePool"] }
  public func family(of opType: String) -> OpFamily { .pooling(.average) }
  public var summary: String { "Y[N,C,O..] as MaxPool; adds=N*C*prod(O)*(prod(K)-1), divides=N*C*prod(O)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    try SlidingPool.checkFlag(context, "count_include_pad")
    var outcome = try SlidingPool.infer(
      context, reduction: .average, introduced: [("ceil_mode", 10), ("dilations", 19)])
    if context.node.attributes["adaptive"] != nil {
      outcome.parameters.adaptivePool = try context.int("adaptive", default: 0) != 0
    }
    return outcome
  }
}

/// `LpPool`: `(sum |x|^p)^(1/p)` over each window (`p` defaults to 2).
/// <https://onnx.ai/onnx/operators/onnx__LpPool.html>
///
/// Shape: as ``MaxPoolRule``; `ceil_mode` and `dilations` since opset 18. Cost per window of
/// `T = prod(K)` taps: `T` pows and one root (`others`), `T - 1` adds.
///
/// Example (ONNX test `lppool_2d_default`): X 1x3x32x32, kernel 2 → Y 1x3x31x31,
/// adds `3*31*31 * (2*2-1) = 8_649`, others `3*31*31 * (2*2+1) = 14_415`.
public struct LpPoolRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["LpPool"] }
  public func family(of opType: String) -> OpFamily { .pooling(.lp) }
  public var summary: String { "Y[N,C,O..] as MaxPool; pows=N*C*prod(O)*(prod(K)+1), adds=N*C*prod(O)*(prod(K)-1)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let p = try context.float("p", default: 2)
    guard p > 0 else { throw OpError(field: "p", "must be positive, got \(p)") }
    return try SlidingPool.infer(context, reduction: .lp, introduced: [("ceil_mode", 18), ("dilations", 18)])
  }
}

/// `GlobalMaxPool`, `GlobalAveragePool`, `GlobalLpPool`: one window over the whole spatial
/// extent. <https://onnx.ai/onnx/operators/onnx__GlobalAveragePool.html>
///
/// Shape: `X [N, C, D1..Dk]` → `Y [N, C, 1..1]`. Cost: as the sliding pool with `K = D`
/// (`N*C` windows of `prod(D)` taps): max `N*C*(prod(D)-1)` compares; average
/// `N*C*(prod(D)-1)` adds and `N*C` divides; Lp `N*C*(prod(D)+1)` pows and `N*C*(prod(D)-1)` adds.
///
/// Example (ResNet-50 head): GlobalAveragePool X 1x2048x7x7 → Y 1x2048x1x1,
/// adds `2048 * (7*7-1) = 98_304`, divides `2048`.
public struct GlobalPoolRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["GlobalMaxPool", "GlobalAveragePool", "GlobalLpPool"] }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "GlobalMaxPool": .pooling(.globalMax)
    case "GlobalLpPool": .pooling(.globalLp)
    default: .pooling(.globalAverage)
    }
  }
  public var summary: String { "Y[N,C,1..] over the whole spatial extent; cost as the pool with K = spatial dims" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    guard x.count >= 2 else {
      throw OpError(field: "inputs[0]", "\(context.node.opType) input must be N x C x spatial..., got rank \(x.count)")
    }
    let reduction: PoolReduction
    switch context.node.opType {
    case "GlobalMaxPool": reduction = .max
    case "GlobalLpPool": reduction = .lp
    default: reduction = .average
    }
    let spatial = Array(x[2...])
    return OpOutcome(
      outputs: [
        .init(
          dataType: try context.input(0).dataType,
          shape: Shape(Array(x[0..<2]) + Array(repeating: 1, count: spatial.count)))
      ],
      cost: try reduction.cost(outputs: try Checked.multiply(x[0], x[1]), taps: try Checked.product(spatial)),
      shapeFormulas: spatial.map { "\($0) → 1 (global)" })
  }
}

/// `MaxRoiPool` and `RoiAlign`: one fixed-size pooled map per region of interest.
/// <https://onnx.ai/onnx/operators/onnx__RoiAlign.html>,
/// <https://onnx.ai/onnx/operators/onnx__MaxRoiPool.html>
///
/// Shape: `X [N, C, H, W]`, `rois [R, 5]` (MaxRoiPool: batch index and box) or `rois [R, 4]` with
/// `batch_indices [R]` (RoiAlign) → `Y [R, C, ph, pw]` from `pooled_shape` (MaxRoiPool) or
/// `output_height`/`output_width` (RoiAlign, default 1).
///
/// Cost: not counted. The work per bin depends on each box's size (MaxRoiPool pools every input
/// position under the bin; RoiAlign with the default `sampling_ratio = 0` samples
/// `ceil(box / bins)` points), which only the data decides; the row says so in a warning.
///
/// Example (Fast R-CNN on VGG-16): X 1x512x38x50, rois 128x5, pooled_shape 7,7 → Y 128x512x7x7.
public struct RoiPoolRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["MaxRoiPool", "RoiAlign"] }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "RoiAlign": .pooling(.regionAlign)
    default: .pooling(.regionMax)
    }
  }
  public var summary: String { "Y[R,C,ph,pw], one pooled map per box; cost depends on box sizes (not counted)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    let rois = try context.sizes(1)
    guard x.count == 4 else { throw OpError(field: "inputs[0]", "expected X [N, C, H, W], got rank \(x.count)") }
    let isAlign = context.node.opType == "RoiAlign"
    let boxWidth = isAlign ? 4 : 5
    guard rois.count == 2, rois[1] == boxWidth else {
      throw OpError(field: "inputs[1]", "rois has shape \(rois); expected [num_rois, \(boxWidth)]")
    }
    let pooled: [Int]
    if isAlign {
      _ = try context.input(2)
      if let indices = try? context.sizes(2), indices != [rois[0]] {
        throw OpError(field: "inputs[2]", "batch_indices has shape \(indices); expected [\(rois[0])]")
      }
      pooled = [try context.int("output_height", default: 1), try context.int("output_width", default: 1)]
    } else {
      guard let shape = try context.ints("pooled_shape") else { throw OpError(field: "pooled_shape", "is required") }
      pooled = shape
    }
    guard pooled.count == 2, pooled.allSatisfy({ $0 > 0 }) else {
      throw OpError(field: isAlign ? "output_height" : "pooled_shape", "expected two positive sizes, got \(pooled)")
    }
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape([rois[0], x[1]] + pooled))],
      inputRoles: [1: .configuration, 2: .configuration],
      warnings: [
        "the cost of \(context.node.opType) depends on each box's size, which only the data decides; not counted"
      ])
  }
}
