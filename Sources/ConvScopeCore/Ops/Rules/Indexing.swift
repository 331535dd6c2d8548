/// `Trilu`, `ScatterND`, `ScatterElements`, `Scatter` and `EyeLike`: outputs of the data input's shape.
/// <https://onnx.ai/onnx/operators/onnx__Trilu.html>, <https://onnx.ai/onnx/operators/onnx__ScatterND.html>,
/// <https://onnx.ai/onnx/operators/onnx__ScatterElements.html>, <https://onnx.ai/onnx/operators/onnx__EyeLike.html>
///
/// Shape: `Y` = input 0's shape; EyeLike's type is its `dtype` attribute when given.
/// Indices, `k` and other integer inputs are configuration; Scatter's `updates` is data.
/// Cost: none (masking and writes; a scatter's reduction mode is not counted).
/// Example: Trilu on `4x5` → `4x5`; ScatterND data `4x4x4`, indices `2x1`, updates `2x4x4` → `4x4x4`.
public struct SameShapeIndexingRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Trilu", "ScatterND", "ScatterElements", "Scatter", "EyeLike"] }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "Trilu": .dataMovement(.triangle)
    case "EyeLike": .shapeArithmetic(.eyeLike)
    default: .dataMovement(.scatter)
    }
  }
  public var summary: String { "Y has the data input's shape; no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    var type = x.dataType
    if context.node.opType == "EyeLike" {
      guard x.shape.rank == 2 else { throw OpError(field: "inputs[0]", "EyeLike needs a 2-D input, got \(x.shape)") }
      let code = try context.int("dtype", default: -1)
      if code >= 0 {
        guard let t = DataType(onnxCode: code) else {
          throw OpError(field: "dtype", "unknown ONNX data type code \(code)")
        }
        type = t
      }
    }
    return OpOutcome(outputs: [.init(dataType: type, shape: x.shape)], inputRoles: [1: .configuration])
  }
}

/// `NonZero`: the indices of the non-zero elements. <https://onnx.ai/onnx/operators/onnx__NonZero.html>
///
/// Shape: `X` of rank r → int64 `[r, count]`; the count is data-dependent (an unknown dim)
/// unless `X`'s values are known, in which case the indices fold.
/// Cost: none counted (one compare per input element is not arithmetic on activations).
/// Example: `X 2x2 = [[1, 0], [1, 1]]` → `2x3`.
public struct NonZeroRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["NonZero"] }
  public func family(of opType: String) -> OpFamily { .indexing(.nonZero) }
  public var summary: String { "Y[rank, count of non-zeros] (int64; count unknown unless X is known)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    guard let values = context.constantFloats(0), ShapeOps.values(context, 0) != nil, let sizes = x.shape.sizes else {
      return OpOutcome(outputs: [.init(dataType: .int64, shape: [.fixed(x.shape.rank), .unknown])])
    }
    let strides = ShapeOps.strides(sizes)
    let hits = values.indices.filter { values[$0] != 0 }
    let coordinates = sizes.indices.flatMap { axis in
      hits.map { sizes[axis] == 0 ? 0 : ($0 / strides[axis]) % sizes[axis] }
    }
    let shape = Shape([sizes.count, hits.count])
    return OpOutcome(outputs: [ShapeOps.output(.int64, shape, .ints(coordinates))])
  }
}

/// `NonMaxSuppression`: the boxes kept after suppression.
/// <https://onnx.ai/onnx/operators/onnx__NonMaxSuppression.html>
///
/// Shape: boxes `[B, n, 4]`, scores `[B, C, n]` → int64 `[selected, 3]` with `selected`
/// data-dependent (an unknown dim; at most `B * C * max_output_boxes_per_class`).
/// Cost: not counted (IoU work depends on the data).
public struct NonMaxSuppressionRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["NonMaxSuppression"] }
  public func family(of opType: String) -> OpFamily { .indexing(.nonMaxSuppression) }
  public var summary: String { "Y[selected, 3] (int64; selected is data-dependent)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let boxes = try context.input(0).shape
    guard boxes.rank == 3, boxes.dims[2] == .fixed(4) || boxes.dims[2].value == nil else {
      throw OpError(field: "inputs[0]", "boxes must be [batch, boxes, 4], got \(boxes)")
    }
    return OpOutcome(
      outputs: [.init(dataType: .int64, shape: [.unknown, 3])],
      inputRoles: [2: .configuration, 3: .configuration, 4: .configuration])
  }
}

/// `OneHot`: indices expanded into one-hot vectors. <https://onnx.ai/onnx/operators/onnx__OneHot.html>
///
/// Shape: `indices [d..]`, scalar `depth`, `values [off, on]` → `Y` with `depth` inserted at
/// `axis` (default -1, counted in the output's rank r+1), of the values' type. An unknown
/// depth gives an unknown dim. Cost: none. Example: indices `2x2`, depth 10, axis 1 → `2x10x2`.
public struct OneHotRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["OneHot"] }
  public func family(of opType: String) -> OpFamily { .indexing(.oneHot) }
  public var summary: String { "Y = indices with depth inserted at axis; no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let indices = try context.input(0).shape
    let type = try context.input(2).dataType
    let axis = try ShapeOps.axis(try context.int("axis", default: -1), rank: indices.rank + 1, field: "axis")
    var depth = Dim.unknown
    if let value = context.constantFloats(1)?.first {
      guard value >= 1, value < 9.0e18 else { throw OpError(field: "inputs[1]", "depth \(value) must be at least 1") }
      depth = .fixed(Int(value))
    }
    var dims = indices.dims
    dims.insert(depth, at: axis)
    return OpOutcome(
      outputs: [.init(dataType: type, shape: Shape(dims))], inputRoles: [1: .configuration, 2: .configuration])
  }
}

/// `Compress`: the slices where a condition holds. <https://onnx.ai/onnx/operators/onnx__Compress.html>
///
/// Shape: with `axis`, `Y` = `X` with that axis cut to the number of true conditions; without,
/// `X` flattened and cut: `[count]`. The count is an unknown dim unless the condition is known
/// (then it counts the true entries among the first `X[axis]`). Cost: none.
/// Example: `X 3x2`, condition `[0, 1, 1]`, axis 0 → `2x2`.
public struct CompressRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Compress"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.compress) }
  public var summary: String { "Y = X with axis (or the flattened X) cut to the true conditions" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let condition = context.constantInts(1)
    func count(upTo limit: Dim) -> Dim {
      guard let condition else { return .unknown }
      let considered = limit.value.map { condition.prefix($0) } ?? condition[...]
      return .fixed(considered.filter { $0 != 0 }.count)
    }
    let dims: [Dim]
    if context.node.attributes["axis"] != nil {
      let axis = try ShapeOps.axis(try context.int("axis", default: 0), rank: x.shape.rank, field: "axis")
      var cut = x.shape.dims
      cut[axis] = count(upTo: cut[axis])
      dims = cut
    } else {
      dims = [count(upTo: ShapeOps.product(x.shape.dims[...]))]
    }
    return OpOutcome(outputs: [.init(dataType: x.dataType, shape: Shape(dims))], inputRoles: [1: .configuration])
  }
}
