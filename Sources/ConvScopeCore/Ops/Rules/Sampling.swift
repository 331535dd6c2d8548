/// `GridSample`: `X [N, C, D1..Dr]` read at the normalised positions of
/// `grid [N, O1..Or, r]` → `Y [N, C, O1..Or]`. <https://onnx.ai/onnx/operators/onnx__GridSample.html>
///
/// Cost, with `L = N * prod(O)` sampled locations and `E = L * C` output elements: each location
/// un-normalises its `r` coordinates (`x = ((g + 1) * size - 1) / 2`: r multiplies, r adds;
/// nearest also rounds them, r "other"); each output element is a weighted sum of its taps
/// (``Interpolation/taps(mode:rank:)``: `2^r` for linear, `4^r` for cubic, one MAC each;
/// nearest copies one value, no arithmetic). Padding modes pick which values are read and add no count.
///
/// Example: bilinear, X 1x1x3x2, grid 1x2x4x2 → Y 1x1x2x4; L = 8, E = 8: 16 multiplies,
/// 16 adds, `8 * 4 = 32` MACs.
public struct GridSampleRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["GridSample"] }
  public func family(of opType: String) -> OpFamily { .sampling }
  public var summary: String {
    "Y[N,C,O..] from grid[N,O..,r]; per location r multiplies+adds; per element 2^r (linear) or 4^r (cubic) MACs"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    let grid = try context.sizes(1)
    let rank = x.count - 2
    guard rank >= 1, grid.count == x.count, grid.last == rank, grid[0] == x[0] else {
      throw OpError(
        field: "inputs[1]", "grid \(Shape(grid)) must be [N, O1..Or, r] for X \(Shape(x)) (N = \(x.first ?? 0))")
    }
    let outSpatial = Array(grid[1..<(grid.count - 1)])
    let mode = try context.string("mode", default: context.opset < 20 ? "bilinear" : "linear")
    let taps = try Interpolation.taps(mode: mode, rank: rank)
    let locations = try Checked.product([x[0]] + outSpatial)
    let elements = try Checked.multiply(locations, x[1])
    let perAxis = try Checked.multiply(locations, rank)
    let nearest = mode == "nearest"
    let cost = Cost(
      macs: nearest ? 0 : try Checked.multiply(elements, taps), adds: perAxis, multiplies: perAxis,
      others: nearest ? perAxis : 0)
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape([x[0], x[1]] + outSpatial))], cost: cost)
  }
}

/// Interpolation arithmetic shared by the sampling ops.
enum Interpolation {
  /// The values one interpolated sample reads in `rank` dimensions: 1 for nearest, `2^rank`
  /// for (multi)linear, `4^rank` for (multi)cubic. Opset 16's `bilinear` and `bicubic` are
  /// linear and cubic.
  static func taps(mode: String, rank: Int) throws(OpError) -> Int {
    let perAxis: Int
    switch mode {
    case "nearest": perAxis = 1
    case "linear", "bilinear": perAxis = 2
    case "cubic", "bicubic": perAxis = 4
    default: throw OpError(field: "mode", "unknown interpolation mode '\(mode)'; expected nearest, linear or cubic")
    }
    return try Checked.product(Array(repeating: perAxis, count: rank))
  }

  /// The most values a sizes tensor computed at run time may have: one per dim of a shape, and
  /// no tensor has a thousand dims. Its length comes from the file (a graph input declared
  /// `[1000000000]` asked for a billion unknown dims, found by a hostile-input audit).
  static let runtimeSizesLimit = 1_024

  /// The sizes in constant input `index`, or one unknown dim per element of its 1-D shape when
  /// the values are computed at run time (`nil` when even its length is unknown); a negative
  /// size is an error.
  static func runtimeSizes(_ context: NodeContext, _ index: Int) throws(OpError) -> [Dim]? {
    if let values = context.constantInts(index) {
      guard values.allSatisfy({ $0 >= 0 }) else {
        throw OpError(field: "inputs[\(index)]", "sizes must not be negative, got \(values)")
      }
      return values.map { .fixed($0) }
    }
    guard let length = try context.input(index).shape.dims.first?.value else { return nil }
    guard length <= runtimeSizesLimit else {
      throw OpError(
        field: "inputs[\(index)]",
        "holds \(length) sizes, one per dim: more than \(runtimeSizesLimit), which no shape has")
    }
    return Array(repeating: .unknown, count: length)
  }
}

/// `AffineGrid`: the sampling grid of a batch of affine matrices `theta [N, 2, 3]` (2-D) or
/// `[N, 3, 4]` (3-D) over an output of `size = (N, C, H, W)` or `(N, C, D, H, W)`.
/// <https://onnx.ai/onnx/operators/onnx__AffineGrid.html>
///
/// Shape: `grid [N, H, W, 2]` or `[N, D, H, W, 3]`; the spatial dims come from `size`'s values
/// and stay unknown when `size` is computed at run time. Cost: each of the `N * prod(spatial)`
/// grid points is `theta * [x, y, (z,) 1]`: `r * r` MACs and `r` adds (the translation).
///
/// Example: theta 2x2x3, size (2, 3, 5, 6) → grid 2x5x6x2; 60 points: 240 MACs, 120 adds.
public struct AffineGridRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["AffineGrid"] }
  public func family(of opType: String) -> OpFamily { .sampling }
  public var summary: String { "grid[N,spatial..,r] from theta[N,r,r+1] and size; per point r*r MACs, r adds" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let theta = try context.sizes(0)
    guard theta.count == 3, theta[1] == 2 || theta[1] == 3, theta[2] == theta[1] + 1 else {
      throw OpError(field: "inputs[0]", "theta must be [N, 2, 3] or [N, 3, 4], got \(Shape(theta))")
    }
    let r = theta[1]
    let type = try context.input(0).dataType
    guard let size = try Interpolation.runtimeSizes(context, 1) else {
      throw OpError(field: "inputs[1]", "the size tensor's length is unknown", isUnknownShape: true)
    }
    guard size.count == r + 2 else {
      throw OpError(field: "inputs[1]", "size has \(size.count) values; theta \(Shape(theta)) needs \(r + 2)")
    }
    let shape = Shape([.fixed(theta[0])] + size.dropFirst(2) + [.fixed(r)])
    guard let spatial = Shape(Array(size.dropFirst(2))).sizes else {
      return OpOutcome(
        outputs: [.init(dataType: type, shape: shape)], inputRoles: [1: .configuration],
        warnings: ["the output size is computed at run time; the grid's cost is not counted"])
    }
    let points = try Checked.product([theta[0]] + spatial)
    let cost = Cost(macs: try Checked.product([points, r, r]), adds: try Checked.multiply(points, r))
    return OpOutcome(outputs: [.init(dataType: type, shape: shape)], cost: cost, inputRoles: [1: .configuration])
  }
}

/// `Col2Im`: column blocks `[N, C * prod(block_shape), L]` summed back into an image
/// `[N, C, image_shape...]`. <https://onnx.ai/onnx/operators/onnx__Col2Im.html>
///
/// Shape: `C = dims[1] / prod(block_shape)`; the image dims are `image_shape`'s values (unknown
/// when it is computed at run time). Cost: every input element is added into its pixel: one
/// add each, `N * C * prod(block) * L`.
///
/// Example: input 1x5x5, image_shape (5, 5), block_shape (1, 5) → 1x1x5x5, 25 adds.
public struct Col2ImRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Col2Im"] }
  public func family(of opType: String) -> OpFamily { .sampling }
  public var summary: String { "Y[N,C,image..] with C = dims[1]/prod(block); one add per input element" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    guard x.count == 3 else {
      throw OpError(field: "inputs[0]", "input must be [N, C*prod(block), L], got \(Shape(x))")
    }
    guard let image = try Interpolation.runtimeSizes(context, 1) else {
      throw OpError(field: "inputs[1]", "image_shape's length is unknown", isUnknownShape: true)
    }
    var channels = Dim.unknown
    if let block = context.constantInts(2) {
      let blockSize = try Checked.product(block)
      guard block.count == image.count, blockSize > 0, x[1] % blockSize == 0 else {
        throw OpError(
          field: "inputs[2]", "block_shape \(block) must have \(image.count) dims whose product divides \(x[1])")
      }
      channels = .fixed(x[1] / blockSize)
    }
    let shape = Shape([.fixed(x[0]), channels] + image)
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: shape)],
      cost: Cost(adds: try Checked.product(x)), inputRoles: [1: .configuration, 2: .configuration])
  }
}

/// `MaxUnpool`: the values of `X [N, C, D1..Dk]` written back at the positions `I` holds, zeros
/// elsewhere. <https://onnx.ai/onnx/operators/onnx__MaxUnpool.html>
///
/// Shape: `[N, C, O1..Ok]` with `Oi = (Di - 1) * stride - (pad_begin + pad_end) + kernel`, or the
/// values of the optional `output_shape` input (unknown when computed at run time).
/// Cost: none (a scatter of copies).
///
/// Example: X 1x1x2x2, kernel 2x2, strides 2 → 1x1x4x4.
public struct MaxUnpoolRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["MaxUnpool"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.scatter) }
  public var summary: String { "Y[N,C,O..] with O=(D-1)*s-(pb+pe)+k, or output_shape; no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    let type = try context.input(0).dataType
    guard x.count >= 3 else { throw OpError(field: "inputs[0]", "X must be N x C x spatial..., got \(Shape(x))") }
    if context.has(2) {
      guard let given = try Interpolation.runtimeSizes(context, 2) else {
        throw OpError(field: "inputs[2]", "output_shape's length is unknown", isUnknownShape: true)
      }
      guard given.count == x.count else {
        throw OpError(field: "inputs[2]", "output_shape has \(given.count) dims; X has \(x.count)")
      }
      let shape = Shape([.fixed(x[0]), .fixed(x[1])] + given.dropFirst(2))
      return OpOutcome(outputs: [.init(dataType: type, shape: shape)], inputRoles: [2: .configuration])
    }
    guard let kernel = try context.ints("kernel_shape"), kernel.count == x.count - 2 else {
      throw OpError(field: "kernel_shape", "is required, one value per spatial axis of \(Shape(x))")
    }
    let strides = try context.ints("strides") ?? Array(repeating: 1, count: kernel.count)
    let pads = try context.ints("pads") ?? Array(repeating: 0, count: 2 * kernel.count)
    guard strides.count == kernel.count, pads.count == 2 * kernel.count,
      (kernel + strides).allSatisfy({ $0 > 0 }), pads.allSatisfy({ $0 >= 0 })
    else {
      throw OpError(
        field: "pads", "kernel_shape and strides need one positive value per spatial axis, pads two non-negative ones")
    }
    var out = Array(x.prefix(2))
    for axis in kernel.indices {
      let stretched = try Checked.multiply(x[axis + 2] - 1, strides[axis])
      let padding = try Checked.add(pads[axis], pads[axis + kernel.count])
      let size = try Checked.add(stretched, kernel[axis]) - padding
      guard size >= 0 else { throw OpError(field: "pads", "axis \(axis + 2) would have size \(size)") }
      out.append(size)
    }
    return OpOutcome(outputs: [.init(dataType: type, shape: Shape(out))], inputRoles: [2: .configuration])
  }
}
