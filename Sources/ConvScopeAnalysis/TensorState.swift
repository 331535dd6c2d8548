import ConvScopeCore
import ConvScopeReport

/// What the analyzer knows about one tensor while it walks the graph.
struct TensorState: Sendable {
  /// Type and shape; `nil` when an unsupported op produced it and the file declares no shape.
  var info: TensorInfo?
  /// The value, when it is a small constant that shapes depend on.
  var value: ConstantTensor?
  /// True when the tensor does not depend on any model input (weights, folded shape math).
  var isConstant: Bool
  /// True for an initializer or a constant produced by folding (it may hold weights).
  var isStored: Bool
}
