/// Shared arithmetic of the shape-manipulation rules: axis normalisation, reading
/// axes and other integer configuration that moved from attributes to inputs
/// between opsets, and folding known values through index maps.
enum ShapeOps {
  /// The most elements a folded value may hold: shape math is small, activations are not.
  static let foldLimit = 65_536

  /// `axis` in `[-rank, rank-1]`, made non-negative; an error naming `field` otherwise.
  static func axis(_ axis: Int, rank: Int, field: String) throws(OpError) -> Int {
    guard axis >= -rank, axis < rank else {
      throw OpError(field: field, "axis \(axis) is out of range for rank \(rank); expected [\(-rank), \(rank - 1)]")
    }
    return axis < 0 ? axis + rank : axis
  }

  /// Each of `axes` normalised against `rank`; repeated axes are an error.
  static func axes(_ axes: [Int], rank: Int, field: String) throws(OpError) -> [Int] {
    var seen = Set<Int>()
    var out: [Int] = []
    for value in axes {
      let a = try axis(value, rank: rank, field: field)
      guard seen.insert(a).inserted else { throw OpError(field: field, "axis \(value) appears twice in \(axes)") }
      out.append(a)
    }
    return out
  }

  /// Integer configuration that ONNX moved from attribute `name` to input `index` at some
  /// opset: the input's value when given (it must be a known constant), else the attribute.
  /// `nil` when neither is given.
  static func integers(_ context: NodeContext, attribute name: String, input index: Int) throws(OpError) -> [Int]? {
    if context.has(index) {
      guard let values = context.constantInts(index) else {
        throw OpError(
          field: "inputs[\(index)]", "\(name) comes from a tensor whose value is not known", isUnknownShape: true)
      }
      return values
    }
    return try context.ints(name)
  }

  /// Input `index`'s values, when they are known and agree with its shape.
  static func values(_ context: NodeContext, _ index: Int) -> ConstantTensor.Values? {
    guard index < context.constants.count, index < context.inputs.count,
      let constant = context.constants[index], let values = constant.values,
      count(values) == constant.elementCount, (context.inputs[index]?.shape.sizes ?? constant.dims) == constant.dims
    else { return nil }
    return values
  }

  /// An output of `shape` that carries `values` when they are known, small and fit the shape.
  static func output(_ type: DataType, _ shape: Shape, _ values: ConstantTensor.Values?) -> OpOutcome.Output {
    guard let values, let dims = shape.sizes, count(values) <= foldLimit,
      count(values) == (try? Checked.product(dims))
    else {
      return .init(dataType: type, shape: shape)
    }
    return .init(constant: ConstantTensor(dataType: type, dims: dims, values: values))
  }

  /// Row-major strides of `dims` (the last axis is contiguous).
  static func strides(_ dims: [Int]) -> [Int] {
    var strides = Array(repeating: 1, count: dims.count)
    var step = 1
    for axis in dims.indices.reversed() {
      strides[axis] = step
      step = step &* dims[axis]
    }
    return strides
  }

  /// The values at `outDims`, each read from `values` at the flat index `source` gives for
  /// the output multi-index; `nil` when the output is larger than ``foldLimit`` or a
  /// source index falls outside `values`.
  static func remap(
    _ values: ConstantTensor.Values?, outDims: [Int], source: ([Int]) -> Int
  ) -> ConstantTensor.Values? {
    guard let values, let total = try? Checked.product(outDims), total <= foldLimit else { return nil }
    var picks: [Int] = []
    picks.reserveCapacity(total)
    var index = Array(repeating: 0, count: outDims.count)
    for _ in 0..<total {
      let flat = source(index)
      guard flat >= 0, flat < count(values) else { return nil }
      picks.append(flat)
      var axis = outDims.count - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < outDims[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return pick(values, picks)
  }

  /// The product of `dims` when all are known; a lone dim kept as it is; otherwise unknown.
  static func product(_ dims: ArraySlice<Dim>) -> Dim {
    if dims.count == 1, let only = dims.first { return only }
    var result = 1
    for dim in dims {
      guard let v = dim.value, let r = try? Checked.multiply(result, v) else { return .unknown }
      result = r
    }
    return .fixed(result)
  }

  /// The sum of `dims` when all are known; otherwise unknown.
  static func sum(_ dims: [Dim]) -> Dim {
    var result = 0
    for dim in dims {
      guard let v = dim.value, let r = try? Checked.add(result, v) else { return .unknown }
      result = r
    }
    return .fixed(result)
  }

  /// `value` for a formula: whole numbers without a fraction, others to six decimals
  /// (a float32 scale of 0.6 prints as `0.6`, not `0.6000000238418579`).
  static func decimal(_ value: Double) -> String {
    let rounded = (value * 1e6).rounded() / 1e6
    if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
    return String(rounded)
  }

  /// The number of values held.
  static func count(_ values: ConstantTensor.Values) -> Int {
    switch values {
    case .ints(let v): v.count
    case .floats(let v): v.count
    }
  }

  /// The values at `indices`, in that order (indices must be in range).
  static func pick(_ values: ConstantTensor.Values, _ indices: [Int]) -> ConstantTensor.Values {
    switch values {
    case .ints(let v): .ints(indices.map { v[$0] })
    case .floats(let v): .floats(indices.map { v[$0] })
    }
  }

  /// `parts` joined end to end; reals when any part holds reals.
  static func join(_ parts: [ConstantTensor.Values]) -> ConstantTensor.Values {
    var ints: [Int] = []
    var floats: [Double] = []
    var anyFloat = false
    for part in parts {
      switch part {
      case .ints(let v):
        ints += v
        floats += v.map(Double.init)
      case .floats(let v):
        anyFloat = true
        floats += v
      }
    }
    return anyFloat ? .floats(floats) : .ints(ints)
  }
}
