/// A tensor whose dims and element type are known without running the model:
/// an initializer (weights, shape vectors), a `Constant` node's value, or a
/// value the analyzer folded.
///
/// Weight payloads are never loaded; only small integer or float vectors that
/// shapes depend on (Reshape targets, Slice starts, Resize scales) carry values.
///
/// A weight may have *deferred* dims (``deferredAxes``): sizes the importer does not know
/// because they follow from the data the op reads (a conv's input channels, a dense layer's
/// flattened features). An importer translates and never infers shapes, so it emits such a
/// weight as `ConstantTensor.weight(dataType:, dims: [512, nil])`; the analyzer completes it
/// from the consuming rule's ``OpRule/expectedWeightShapes(_:)`` before the rule runs, and
/// every count reads the completed shape. A graph therefore does not depend on its input size.
/// When a deferred dim cannot be completed (no rule, an unknown input shape, a rule that
/// declares no shape for that input) the analysis fails naming the layer and the weight, and
/// adds ``completionHint``.
public struct ConstantTensor: Hashable, Sendable {
  public var dataType: DataType
  /// The sizes; a deferred axis holds 0 until the analyzer completes it.
  public var dims: [Int]
  /// The values, in row-major order, when known. Integers and booleans are stored as `Int`.
  public var values: Values?
  /// Axes of `dims` (ascending) whose sizes the importer left to the op rules; empty when complete.
  public var deferredAxes: [Int] = []
  /// What the file can say to give the deferred dims itself (`give in_features:`), for the
  /// error when analysis cannot complete them.
  public var completionHint: String?

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

  /// A weight without values whose `nil` dims are deferred to the op rules (see the type's
  /// doc comment); `hint` says how the file could give them.
  public static func weight(dataType: DataType, dims: [Int?], hint: String? = nil) -> ConstantTensor {
    var tensor = ConstantTensor(dataType: dataType, dims: dims.map { $0 ?? 0 })
    tensor.deferredAxes = dims.indices.filter { dims[$0] == nil }
    tensor.completionHint = tensor.deferredAxes.isEmpty ? nil : hint
    return tensor
  }

  /// Whether every dim is known (no ``deferredAxes``).
  public var isComplete: Bool { deferredAxes.isEmpty }

  /// A 1-D int64 tensor holding `values`.
  public static func int64s(_ values: [Int]) -> ConstantTensor {
    ConstantTensor(dataType: .int64, dims: [values.count], values: .ints(values))
  }

  /// A 0-D int64 tensor.
  public static func scalar(_ value: Int) -> ConstantTensor {
    ConstantTensor(dataType: .int64, dims: [], values: .ints([value]))
  }

  /// The shape of this tensor; deferred axes are ``Dim/deferred``.
  public var shape: Shape {
    guard !deferredAxes.isEmpty else { return Shape(dims) }
    var result = dims.map(Dim.fixed)
    for axis in deferredAxes where axis < result.count { result[axis] = .deferred }
    return Shape(result)
  }

  /// The number of elements, saturating at `Int.max` when the dims' product overflows (a hostile
  /// file), so that a size limit (`elementCount <= foldLimit`) refuses it. Counts that reach the
  /// report use `Checked.product(dims)` and fail with an error instead. A deferred dim counts 0.
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
