/// `Resize` and `Upsample`: scaling spatial dims by interpolation.
/// <https://onnx.ai/onnx/operators/onnx__Resize.html>, <https://onnx.ai/onnx/operators/onnx__Upsample.html>
///
/// Inputs by opset: Resize 10 `(X, scales)`; 11+ `(X, roi, scales, sizes)` with exactly one of
/// scales and sizes non-empty; 18+ adds the `axes` attribute (which axes scales/sizes/roi
/// name) and `keep_aspect_ratio_policy`. Upsample 7-8 takes `scales` as an attribute, 9 as input 1.
///
/// Shape, per resized axis `a` of size `d`:
/// - scales: `out = floor(d * scale)` (times `roi_end - roi_start` for `tf_crop_and_resize`);
/// - sizes: `out = size` (`stretch`), or with `not_larger`/`not_smaller` one scale
///   `s = min/max(size_i / d_i)` over the given axes and `out = round(s * d)`.
///
/// Cost per output element, with `k` the number of axes whose size changes:
/// - `nearest`: nothing (a copy);
/// - `linear`: `2^k - 1` one-dimensional lerps `a + t*(b - a)`, each 1 multiply and 2 adds;
/// - `cubic`: `(4^k - 1) / 3` four-tap 1-D convolutions, each 4 multiplies and 3 adds.
/// Coordinate transforms and weights are not counted (they are per output row/column, not per element).
///
/// Example: `X 1x3x32x32`, scales `[1, 1, 2, 2]`, linear → `1x3x64x64`,
/// `1*3*64*64 * 3` multiplies and `1*3*64*64 * 6` adds.
public struct ResizeRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Resize", "Upsample"] }
  public func family(of opType: String) -> OpFamily { .resize }
  public var summary: String {
    "Y[a] = floor(X[a]*scale) or sizes; linear: (2^k-1) lerps (1 mul + 2 adds) per output element, nearest: 0"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let rank = x.shape.rank
    let isUpsample = context.node.opType == "Upsample"
    let scalesIndex = isUpsample || context.opset < 11 ? 1 : 2
    let axes = try ShapeOps.axes(try context.ints("axes") ?? Array(0..<rank), rank: rank, field: "axes")
    var dims = x.shape.dims
    let formulas: [String]
    let legacyScales = try context.floats("scales")
    if let sizes = try given(context, 3, { context.constantInts($0) }) {
      guard sizes.count == axes.count else {
        throw OpError(field: "inputs[3]", "sizes \(sizes) must have one entry per resized axis (\(axes.count))")
      }
      formulas = try resize(
        &dims, axes: axes, sizes: sizes, policy: try context.string("keep_aspect_ratio_policy", default: "stretch"))
    } else if let scales = try given(context, scalesIndex, { context.constantFloats($0) }) ?? legacyScales {
      guard scales.count == axes.count else {
        throw OpError(field: "scales", "scales \(scales) must have one entry per resized axis (\(axes.count))")
      }
      var factors = scales
      if try context.string("coordinate_transformation_mode", default: "half_pixel") == "tf_crop_and_resize",
        let roi = try given(context, 1, { context.constantFloats($0) }), roi.count == 2 * axes.count
      {
        for i in factors.indices { factors[i] *= roi[axes.count + i] - roi[i] }
      }
      formulas = try scale(&dims, axes: axes, by: factors)
    } else {
      throw OpError(field: "inputs[\(scalesIndex)]", "\(context.node.opType) needs scales or sizes")
    }
    let shape = Shape(dims)
    let mode = try context.string("mode", default: "nearest")
    let changed = zip(x.shape.dims, dims).filter { $0 != $1 }.count
    var warnings: [String] = []
    var cost = Cost.zero
    if let elements = shape.elementCount {
      cost = try Self.interpolationCost(mode: mode, changedAxes: changed, outputElements: elements)
    } else {
      warnings.append("interpolation work not counted: the output \(shape) has unknown dims")
    }
    return OpOutcome(
      outputs: [.init(dataType: x.dataType, shape: shape)], cost: cost,
      inputRoles: [1: .configuration, 2: .configuration, 3: .configuration],
      shapeFormulas: formulas, warnings: warnings)
  }

  /// The work of one resize: see the type's doc comment.
  static func interpolationCost(mode: String, changedAxes k: Int, outputElements: Int) throws(OpError) -> Cost {
    guard k > 0, k <= 15 else { return .zero }
    switch mode {
    case "linear", "bilinear", "trilinear":
      let lerps = (1 << k) - 1
      return try Cost(adds: 2 * lerps, multiplies: lerps).scaled(by: outputElements)
    case "cubic", "bicubic":
      let taps = ((1 << (2 * k)) - 1) / 3
      return try Cost(adds: 3 * taps, multiplies: 4 * taps).scaled(by: outputElements)
    default:
      return .zero
    }
  }

  /// Input `index`'s value read by `read`, when the input is given and not empty; an
  /// unknown value leaves the shape unknown.
  private func given<T>(_ context: NodeContext, _ index: Int, _ read: (Int) -> [T]?) throws(OpError) -> [T]? {
    guard context.has(index), context.inputs[index]?.shape != [0] else { return nil }
    guard let values = read(index) else {
      throw OpError(field: "inputs[\(index)]", "the value of this input is not known", isUnknownShape: true)
    }
    return values.isEmpty ? nil : values
  }
  /// Applies `out = floor(d * factor)` on each of `axes`; returns the formulas.
  private func scale(_ dims: inout [Dim], axes: [Int], by factors: [Double]) throws(OpError) -> [String] {
    var formulas: [String] = []
    for (axis, factor) in zip(axes, factors) {
      guard factor > 0, factor.isFinite else { throw OpError(field: "scales", "scale \(factor) must be positive") }
      guard let size = dims[axis].value else {
        if factor != 1 { dims[axis] = .unknown }
        continue
      }
      let out = (Double(size) * factor).rounded(.down)
      guard out < 9.0e18 else { throw Checked.overflow }
      dims[axis] = .fixed(Int(out))
      if factor != 1 { formulas.append("floor(\(size)*\(ShapeOps.decimal(factor))) = \(Int(out))") }
    }
    return formulas
  }

  /// Applies `sizes` on each of `axes` under `policy`; returns the formulas.
  private func resize(_ dims: inout [Dim], axes: [Int], sizes: [Int], policy: String) throws(OpError) -> [String] {
    guard sizes.allSatisfy({ $0 >= 0 }) else {
      throw OpError(field: "inputs[3]", "sizes \(sizes) holds a negative size")
    }
    guard policy != "stretch" else {
      for (axis, size) in zip(axes, sizes) { dims[axis] = .fixed(size) }
      return []
    }
    guard policy == "not_larger" || policy == "not_smaller" else {
      throw OpError(field: "keep_aspect_ratio_policy", "expected stretch, not_larger or not_smaller; got \(policy)")
    }
    var ratios: [Double] = []
    for (axis, size) in zip(axes, sizes) {
      guard let d = dims[axis].value, d > 0 else {
        throw OpError(field: "inputs[0]", "keep_aspect_ratio_policy needs known non-zero dims", isUnknownShape: true)
      }
      ratios.append(Double(size) / Double(d))
    }
    let common = (policy == "not_larger" ? ratios.min() : ratios.max()) ?? 1
    var formulas: [String] = []
    for axis in axes {
      guard let d = dims[axis].value else { continue }
      let scaled = (common * Double(d)).rounded()
      guard scaled < 9.0e18 else {
        throw OpError(
          field: "inputs[3]", "axis \(axis) of size \(d) scaled by \(common) is \(scaled), past a 64-bit size")
      }
      let out = Int(scaled)
      dims[axis] = .fixed(out)
      formulas.append("round(\(d)*\(ShapeOps.decimal(common))) = \(out)")
    }
    return formulas
  }
}
