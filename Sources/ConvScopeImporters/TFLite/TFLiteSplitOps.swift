import ConvScopeCore

/// Ops that cut a tensor into several outputs. The part sizes are the stored outputs' sizes along
/// the axis, so that SPLIT_V's -1 size needs no arithmetic here.
enum TFLiteSplitOps {
  /// The stored outputs' sizes along the file's axis `axis` (normalised for rank `rank`).
  static func partSizes(_ c: TFLiteOpContext, axis: Int, rank: Int) throws(FlatBufferError) -> [Int] {
    let normalized = axis < 0 ? axis + rank : axis
    var sizes: [Int] = []
    for index in c.op.outputs.indices {
      let shape = try c.output(index).shape
      guard normalized >= 0, normalized < shape.count else {
        throw c.error("axis", "axis \(axis) is out of range for output \(index) of shape \(shape)")
      }
      sizes.append(shape[normalized])
    }
    return sizes
  }

  /// SPLIT(axis, input) and SPLIT_V(input, size_splits, axis) → Split on the graph axis, the
  /// parts as stored.
  static func split(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let vertical = c.opName == "SPLIT_V"
    let (data, axisInput) = vertical ? (0, 2) : (1, 0)
    let rank = try c.rank(data)
    let axis = try c.values(axisInput).first ?? 0
    let sizes = c.ints("split", try partSizes(c, axis: axis, rank: rank))
    let graphAxis = try c.graphAxis(axis, rank: rank)
    let x = try c.data(data)
    return c.emission.nodeOutputs("Split", inputs: [x, sizes], ["axis": .int(graphAxis)], count: c.op.outputs.count)
  }

  /// UNPACK → Split into parts of 1 along `UnpackOptions.axis` (field 1), each Squeezed, in the
  /// file's order.
  static func unpack(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let rank = try c.rank(0)
    let axis = try c.option(1, "axis", Int32.self)
    let normalized = axis < 0 ? axis + rank : axis
    let x = c.toFileOrder(try c.data(0), rank: rank)
    let sizes = c.ints("split", Array(repeating: 1, count: c.op.outputs.count))
    let parts = c.emission.nodeOutputs(
      "Split", inputs: [x, sizes], ["axis": .int(normalized)], count: c.op.outputs.count)
    let axes = c.ints("axes", [normalized])
    var outputs: [String] = []
    for (index, part) in parts.enumerated() {
      let squeezed = c.node("Squeeze", [part, axes], helper: true)
      outputs.append(c.fromFileOrder(squeezed, rank: try c.output(index).shape.count))
    }
    return outputs
  }
}
