extension Shape {
  /// The numpy-style broadcast of `shapes` (ONNX multidirectional broadcasting):
  /// align from the right; each axis takes the size that is not 1; sizes other
  /// than 1 must agree. A symbolic dim broadcasts with 1 and with itself.
  ///
  /// `[8, 1, 6, 1]` and `[7, 1, 5]` → `[8, 7, 6, 5]`.
  public static func broadcast(_ shapes: [Shape]) throws(OpError) -> Shape {
    let rank = shapes.map(\.rank).max() ?? 0
    var dims = Array(repeating: Dim.fixed(1), count: rank)
    for shape in shapes {
      let offset = rank - shape.rank
      for (i, dim) in shape.dims.enumerated() {
        let axis = offset + i
        switch (dims[axis], dim) {
        case (_, .fixed(1)): continue
        case (.fixed(1), _): dims[axis] = dim
        case (let a, let b) where a == b: continue
        default:
          throw OpError(
            "shapes \(shapes.map(\.description).joined(separator: " and ")) do not broadcast: axis \(axis) has sizes \(dims[axis]) and \(dim)"
          )
        }
      }
    }
    return Shape(dims)
  }
}

extension Shape {
  /// The shape two values of the same rank share: each dim both give alike, others unknown
  /// (the outputs of two `If` branches, the elements of a sequence); `nil` when ranks differ.
  public func agreeing(with other: Shape) -> Shape? {
    guard rank == other.rank else { return nil }
    return Shape(zip(dims, other.dims).map { $0 == $1 ? $0 : .unknown })
  }
}
