import ConvScopeCore

/// Caffe layers that combine, reshape, split or pass blobs through.
enum CaffeStructureMappings {
  /// `Eltwise(operation)`: SUM → Add (Sum for more than two bottoms), PROD → Mul, MAX → Max.
  static func eltwise(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("eltwise_param")
    let inputs = c.inputs
    guard inputs.count >= 2 else {
      throw c.layer.error("bottom", "Eltwise needs at least 2 bottoms, got \(inputs.count)")
    }
    switch p.word("operation", default: "SUM") {
    case "SUM":
      let coefficients = p.message.all("coeff").compactMap(\.value.double)
      guard coefficients.allSatisfy({ $0 == 1 }) else {
        throw c.layer.error("coeff", "a weighted Eltwise SUM is not supported", in: p.block)
      }
      return [c.node(inputs.count == 2 ? "Add" : "Sum", inputs)]
    case "PROD":
      var y = c.node("Mul", Array(inputs.prefix(2)))
      for input in inputs.dropFirst(2) { y = c.node("Mul", [y, input]) }
      return [y]
    case "MAX":
      return [c.node("Max", inputs)]
    case let other:
      throw c.layer.error("operation", "expected SUM, PROD or MAX, got \(other)", in: p.block)
    }
  }

  /// `Concat(axis)` (or the old `concat_dim`) → Concat.
  static func concat(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("concat_param")
    let axis = try p.int("axis", default: try p.int("concat_dim", default: 1))
    return [c.node("Concat", c.inputs, ["axis": .int(axis)])]
  }

  /// `Softmax(axis)` → Softmax over that one axis (channels by default).
  static func softmax(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let axis = try c.layer.parameters("softmax_param").int("axis", default: 1)
    return [c.node("Softmax", [try c.input()], ["axis": .int(axis)])]
  }

  /// `Flatten(axis, end_axis = -1)` → Flatten.
  static func flatten(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("flatten_param")
    guard try p.int("end_axis", default: -1) == -1 else {
      throw c.layer.error("end_axis", "only flattening to the last axis (end_axis -1) is supported", in: p.block)
    }
    let axis = try p.int("axis", default: 1)
    c.outputRank = 2
    return [c.node("Flatten", [try c.input()], ["axis": .int(axis)])]
  }

  /// `Reshape(shape)` → Reshape; Caffe's `0` (copy) and `-1` (infer) mean what ONNX's do.
  static func reshape(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("reshape_param")
    guard try p.int("axis", default: 0) == 0, try p.int("num_axes", default: -1) == -1 else {
      throw c.layer.error("axis", "only a whole-blob Reshape (axis 0, num_axes -1) is supported", in: p.block)
    }
    let dims = (p.message.message("shape")?.all("dim") ?? []).compactMap(\.value.int)
    guard !dims.isEmpty else {
      throw c.layer.error("shape", "the reshape_param has no shape { dim: ... }", in: p.block)
    }
    c.outputRank = dims.count
    return [c.node("Reshape", [try c.input(), c.ints("shape", dims)])]
  }

  static func dropout(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    [c.node("Dropout", [try c.input()])]
  }

  /// `Slice(axis, slice_point)` → one Slice per top, between consecutive slice points (the last
  /// to the end of the axis, whose size is the analysis' to know); Split into equal pieces when
  /// there are no points.
  static func slice(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("slice_param")
    let axis = try p.int("axis", default: try p.int("slice_dim", default: 1))
    let points = try p.ints("slice_point")
    let count = c.layer.tops.count
    let x = try c.input()
    guard !points.isEmpty else {
      return c.emission.nodeOutputs(
        "Split", inputs: [x], ["axis": .int(axis), "num_outputs": .int(count)], count: count)
    }
    let rank = try c.rank()
    guard axis >= -rank, axis < rank, points.count == count - 1, zip([0] + points, points).allSatisfy({ $0 < $1 })
    else {
      throw c.layer.error("slice_point", "needs \(count - 1) increasing points inside axis \(axis)", in: p.block)
    }
    let starts = [0] + points
    let axes = c.ints("axes", [axis])
    return starts.indices.map { piece in
      let end = piece + 1 < starts.count ? starts[piece + 1] : Int.max
      return c.node("Slice", [x, c.ints("starts\(piece)", [starts[piece]]), c.ints("ends\(piece)", [end]), axes])
    }
  }

  /// `Crop(axis, offset)`: crops bottom 0 to the dims of bottom 1 from `axis` on →
  /// Shape + Slice (the reference dims), Add (the ends), Slice.
  static func crop(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("crop_param")
    let rank = try c.rank(0)
    let axis = try p.int("axis", default: 2)
    let start = axis < 0 ? axis + rank : axis
    guard start >= 0 && start < rank else {
      throw c.layer.error("axis", "axis \(axis) is out of range for a rank-\(rank) blob", in: p.block)
    }
    let given = try p.ints("offset")
    let count = rank - start
    let offsets =
      given.count == 1
      ? Array(repeating: given[0], count: count) : given.isEmpty ? Array(repeating: 0, count: count) : given
    guard offsets.count == count else {
      throw c.layer.error("offset", "give one offset or one per cropped axis (\(count))", in: p.block)
    }
    let reference = c.node("Shape", [try c.input(1)], helper: true)
    let sizes = c.node("Slice", [reference, c.ints("from", [start]), c.ints("to", [rank])], helper: true)
    let ends = c.node("Add", [sizes, c.ints("offsets", offsets)], helper: true)
    let axes = c.ints("axes", Array(start..<rank))
    return [c.node("Slice", [try c.input(0), c.ints("starts", offsets), ends, axes])]
  }

  /// `Power(power, scale, shift)`: `(shift + scale * x) ^ power`, as Mul, Add and Pow where
  /// they are not identities.
  static func power(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("power_param")
    let power = try p.double("power", default: 1)
    let scale = try p.double("scale", default: 1)
    let shift = try p.double("shift", default: 0)
    var y = try c.input()
    if scale != 1 { y = c.node("Mul", [y, c.scalar("scale", scale)]) }
    if shift != 0 { y = c.node("Add", [y, c.scalar("shift", shift)]) }
    if power != 1 { y = c.node("Pow", [y, c.scalar("power", power)]) }
    if y == (try c.input()) { y = c.node("Identity", [y]) }
    return [y]
  }
}
