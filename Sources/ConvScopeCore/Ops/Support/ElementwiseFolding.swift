/// Computes elementwise ops (``ElementwiseRule``, ``WhereRule``) on known constant inputs,
/// so that the shape arithmetic exporters emit (`Mul`, `Div`, `Equal`, `Where`... on int64
/// shape vectors) yields values, not just shapes.
///
/// Integer inputs are computed exactly in `Int` with ONNX's integer semantics: `Div`
/// truncates toward zero (C-style, like onnxruntime and the reference implementation's
/// cast of `np.divide` back to the integer type); `Mod` takes the divisor's sign unless
/// `fmod = 1`, which takes the dividend's (C `fmod`). Real inputs are computed in `Double`.
/// Anything that cannot be computed exactly (division by zero, overflow, a negative integer
/// exponent) is left unfolded.
enum ElementwiseFolding {
  /// The folded output of `context.node`, or `nil` when an input's value is unknown, the
  /// output is larger than ``ElementwiseRule/foldLimit``, or the op does not fold.
  static func fold(_ context: NodeContext, shape: Shape, outType: DataType) throws(OpError) -> ConstantTensor? {
    guard let outDims = shape.sizes, let count = try? Checked.product(outDims), count <= ElementwiseRule.foldLimit
    else { return nil }
    var tensors: [ConstantTensor] = []
    for i in 0..<context.inputCount {
      guard i < context.constants.count, let tensor = context.constants[i], tensor.values != nil,
        tensor.elementCount <= ElementwiseRule.foldLimit, tensor.dims.count <= outDims.count
      else { return nil }
      tensors.append(tensor)
    }
    let maps = tensors.map { broadcastIndices($0.dims, to: outDims, count: count) }
    let op = context.node.opType
    let isIntegral = tensors.dropFirst(op == "Where" ? 1 : 0).allSatisfy { tensor in
      if case .ints = tensor.values { return !tensor.dataType.isFloatingPoint }
      return false
    }
    let result: ConstantTensor.Values?
    if op == "Where" {
      guard let condition = tensors[0].ints else { return nil }
      if isIntegral, let x = tensors[1].ints, let y = tensors[2].ints {
        result = select(condition, x, y, maps, count).map(ConstantTensor.Values.ints)
      } else if let x = tensors[1].floats, let y = tensors[2].floats {
        result = select(condition, x, y, maps, count).map(ConstantTensor.Values.floats)
      } else {
        result = nil
      }
    } else if isIntegral {
      result = try intOperation(context).flatMap { f in
        combine(tensors.compactMap(\.ints), maps, count, f).map(ConstantTensor.Values.ints)
      }
    } else {
      result = floatOperation(op).flatMap { f in
        combine(tensors.compactMap(\.floats), maps, count, f).map { values in
          let scaled = op == "Mean" ? values.map { $0 / Double(tensors.count) } : values
          return outType == .bool ? .ints(scaled.map { $0 != 0 ? 1 : 0 }) : .floats(scaled)
        }
      }
    }
    return result.map { ConstantTensor(dataType: outType, dims: outDims, values: $0) }
  }

  /// For each element of an `outDims` tensor (row-major), the index of the element of a
  /// `dims` tensor that broadcasts to it.
  static func broadcastIndices(_ dims: [Int], to outDims: [Int], count: Int) -> [Int] {
    let offset = outDims.count - dims.count
    var strides = Array(repeating: 0, count: outDims.count)
    var running = 1
    for axis in dims.indices.reversed() {
      strides[axis + offset] = dims[axis] == 1 ? 0 : running
      running *= dims[axis]
    }
    var indices: [Int] = []
    indices.reserveCapacity(count)
    var counter = Array(repeating: 0, count: outDims.count)
    var index = 0
    for _ in 0..<count {
      indices.append(index)
      var axis = outDims.count - 1
      while axis >= 0 {
        counter[axis] += 1
        index += strides[axis]
        if counter[axis] < outDims[axis] { break }
        index -= strides[axis] * counter[axis]
        counter[axis] = 0
        axis -= 1
      }
    }
    return indices
  }

  /// Folds `values` (one array per input, read through `maps`) left to right with `f`.
  private static func combine<T>(_ values: [[T]], _ maps: [[Int]], _ count: Int, _ f: (T, T) -> T?) -> [T]? {
    guard values.count == maps.count, let first = values.first,
      zip(values, maps).allSatisfy({ v, m in m.allSatisfy { $0 < v.count } })
    else { return nil }
    var out = maps[0].map { first[$0] }
    for (input, map) in zip(values, maps).dropFirst() {
      for j in 0..<count {
        guard let r = f(out[j], input[map[j]]) else { return nil }
        out[j] = r
      }
    }
    return out
  }

  /// `condition ? x : y` element by element, each read through its broadcast map.
  private static func select<T>(_ condition: [Int], _ x: [T], _ y: [T], _ maps: [[Int]], _ count: Int) -> [T]? {
    guard maps.count == 3,
      zip([condition.count, x.count, y.count], maps).allSatisfy({ n, m in m.allSatisfy { $0 < n } })
    else { return nil }
    return (0..<count).map { j in condition[maps[0][j]] != 0 ? x[maps[1][j]] : y[maps[2][j]] }
  }

  private static func checked(_ r: (partialValue: Int, overflow: Bool)) -> Int? { r.overflow ? nil : r.partialValue }

  /// The integer semantics of `context.node.opType`, or `nil` when it does not fold on integers.
  private static func intOperation(_ context: NodeContext) throws(OpError) -> ((Int, Int) -> Int?)? {
    switch context.node.opType {
    case "Add", "Sum": return { checked($0.addingReportingOverflow($1)) }
    case "Sub": return { checked($0.subtractingReportingOverflow($1)) }
    case "Mul": return { checked($0.multipliedReportingOverflow(by: $1)) }
    case "Div": return { $1 == 0 ? nil : checked($0.dividedReportingOverflow(by: $1)) }
    case "Mod":
      let fmod = try context.int("fmod", default: 0) != 0
      return { a, b in
        guard b != 0, let r = checked(a.remainderReportingOverflow(dividingBy: b)) else { return nil }
        return !fmod && r != 0 && (r < 0) != (b < 0) ? r + b : r
      }
    case "Pow":
      return { base, exponent in
        guard exponent >= 0 else { return nil }
        switch base {
        case 0: return exponent == 0 ? 1 : 0
        case 1: return 1
        case -1: return exponent % 2 == 0 ? 1 : -1
        default:
          // |base| ≥ 2 overflows within 63 steps, so the loop is short.
          var r = 1
          for _ in 0..<exponent {
            guard let next = checked(r.multipliedReportingOverflow(by: base)) else { return nil }
            r = next
          }
          return r
        }
      }
    case "Max": return { max($0, $1) }
    case "Min": return { min($0, $1) }
    case "Equal": return { $0 == $1 ? 1 : 0 }
    case "Greater": return { $0 > $1 ? 1 : 0 }
    case "Less": return { $0 < $1 ? 1 : 0 }
    case "GreaterOrEqual": return { $0 >= $1 ? 1 : 0 }
    case "LessOrEqual": return { $0 <= $1 ? 1 : 0 }
    case "And": return { $0 != 0 && $1 != 0 ? 1 : 0 }
    case "Or": return { $0 != 0 || $1 != 0 ? 1 : 0 }
    case "Xor": return { ($0 != 0) != ($1 != 0) ? 1 : 0 }
    case "BitwiseAnd": return { $0 & $1 }
    case "BitwiseOr": return { $0 | $1 }
    case "BitwiseXor": return { $0 ^ $1 }
    case "BitShift":
      let left = try context.string("direction", default: "") == "LEFT"
      return { a, b in
        guard a >= 0, (0..<63).contains(b) else { return nil }
        return left ? ((a << b) >> b == a ? a << b : nil) : a >> b
      }
    default: return nil
    }
  }

  /// The real semantics of `op` (comparisons give 1 or 0), or `nil` when it does not fold on reals.
  private static func floatOperation(_ op: String) -> ((Double, Double) -> Double?)? {
    switch op {
    case "Add", "Sum", "Mean": return { $0 + $1 }
    case "Sub": return { $0 - $1 }
    case "Mul": return { $0 * $1 }
    case "Div": return { $0 / $1 }
    case "Mod": return { $1 == 0 ? nil : $0.truncatingRemainder(dividingBy: $1) }
    case "Max": return { max($0, $1) }
    case "Min": return { min($0, $1) }
    case "Equal": return { $0 == $1 ? 1 : 0 }
    case "Greater": return { $0 > $1 ? 1 : 0 }
    case "Less": return { $0 < $1 ? 1 : 0 }
    case "GreaterOrEqual": return { $0 >= $1 ? 1 : 0 }
    case "LessOrEqual": return { $0 <= $1 ? 1 : 0 }
    default: return nil
    }
  }
}
