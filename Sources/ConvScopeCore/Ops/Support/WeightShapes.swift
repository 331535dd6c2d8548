/// Shared arithmetic of the rules' weight-shape declarations (``OpRule/expectedWeightShapes(_:)``):
/// the analyzer completes an importer's deferred weight dims (``Dim/deferred``) from these
/// declarations. Dims a rule does not derive (Conv's `M` and kernel, Gemm's `N`) are the
/// weight's own, so only the data-dependent ones are completed or checked.
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
