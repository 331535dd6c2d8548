/// A tensor whose dims and element type are known without running the model:
/// an initializer (weights, shape vectors), a `Constant` node's value, or a
/// value the analyzer folded.
///
/// Weight payloads are never loaded; only small integer or float vectors that
/// shapes depend on (Reshape targets, Slice starts, Resize scales) carry values.
public struct ConstantTensor: Hashable, Sendable {
  public var dataType: DataType
  public var dims: [Int]
  /// The values, in row-major order, when known. Integers and booleans are stored as `Int`.
  public var values: Values?

  /// Known element values.
  public enum Values: Hashable, Sendable {
    case ints([Int])
    case floats([Double])
  }

  public init(dataType: DataType, dims: [Int], values: Values? = nil) {
    self.dataType = dataType
    self.dims = dims
    self.values = values
  }

  /// A 1-D int64 tensor holding `values`.
  public static func int64s(_ values: [Int]) -> ConstantTensor {
    ConstantTensor(dataType: .int64, dims: [values.count], values: .ints(values))
  }

  /// A 0-D int64 tensor.
  public static func scalar(_ value: Int) -> ConstantTensor {
    ConstantTensor(dataType: .int64, dims: [], values: .ints([value]))
  }

  /// The shape of this tensor.
  public var shape: Shape { Shape(dims) }

  /// The number of elements, saturating at `Int.max` when the dims' product overflows (a hostile
  /// file), so that a size limit (`elementCount <= foldLimit`) refuses it. Counts that reach the
  /// report use `Checked.product(dims)` and fail with an error instead.
  public var elementCount: Int { (try? Checked.product(dims)) ?? Int.max }

  /// The values as integers (floats truncated toward zero), when known.
  public var ints: [Int]? {
    switch values {
    case .ints(let v): return v
    case .floats(let v):
      guard v.allSatisfy({ $0.isFinite && abs($0) < 9.0e18 }) else { return nil }
      return v.map { Int($0) }
    case nil: return nil
    }
  }

  /// The values as reals, when known.
  public var floats: [Double]? {
    switch values {
    case .ints(let v): return v.map(Double.init)
    case .floats(let v): return v
    case nil: return nil
    }
  }
}
