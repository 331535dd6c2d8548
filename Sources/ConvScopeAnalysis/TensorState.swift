import ConvScopeCore
import ConvScopeReport

/// What the analyzer knows about one tensor while it walks the graph.
struct TensorState: Sendable {
  /// Type and shape; `nil` when an unsupported op produced it and the file declares no shape.
  var info: TensorInfo?
  /// The value, when it is a small constant that shapes depend on.
  var value: ConstantTensor? {
    get { boxedValue?.value }
    set { boxedValue = newValue.map(ValueBox.init) }
  }
  /// True when the tensor does not depend on any model input (weights, folded shape math).
  var isConstant: Bool
  /// The stored tensors this constant is made of: itself for an initializer or a `Constant`
  /// node's value; for a value the analyzer folded, the stored tensors it was computed from
  /// (see ``StoredOrigin``). Empty for data that depends on a model input.
  var origins: [StoredOrigin] = []
  /// The value, boxed: most tensors have none, and a state stays small in the analyzer's table
  /// of every tensor (a 100,000-layer model's table is half the size with the value inline).
  private var boxedValue: ValueBox?

  init(info: TensorInfo?, value: ConstantTensor?, isConstant: Bool, origins: [StoredOrigin] = []) {
    self.info = info
    self.isConstant = isConstant
    self.origins = origins
    self.boxedValue = value.map(ValueBox.init)
  }

  /// A stored tensor (an initializer) as no node has changed it yet: constant, its own origin.
  static func stored(_ name: String, _ constant: ConstantTensor) -> TensorState {
    let info = TensorInfo(name: name, dataType: constant.dataType, shape: constant.shape)
    return TensorState(
      info: info, value: constant.values == nil ? nil : constant, isConstant: true,
      origins: [StoredOrigin(name: name, info: info, role: nil)])
  }

  /// A tensor that depends on a model input.
  static func data(_ info: TensorInfo?) -> TensorState {
    TensorState(info: info, value: nil, isConstant: false)
  }
}

/// A constant value, held by reference.
private final class ValueBox: Sendable {
  let value: ConstantTensor

  init(_ value: ConstantTensor) { self.value = value }
}

/// A tensor the file stores (an initializer, a `Constant` node's value), as a parameter
/// source: the rule is that parameters are stored tensors, never values computed from them.
/// A folded value (the position rows a BERT export gathers from its embedding table, a
/// transposed copy of a weight) counts its stored origins once, where the first analysed node
/// reads it.
struct StoredOrigin: Sendable, Hashable {
  /// The stored tensor's name.
  var name: String
  /// Its type and shape.
  var info: TensorInfo
  /// The role the folded node that consumed it gave it (`.quantization` for a
  /// DequantizeLinear's scale), which overrides the role of the node that counts it.
  var role: InputRole?
  /// True for a value that is not an initializer: a `Constant` node's value, or one the graph
  /// generates from no substantive stored tensor (`ConstantOfShape`). It counts only where a
  /// node reads it as a weight, bias or statistic (the ONNX backend's light models make their
  /// weights so), never as data (the zero initial state an exporter writes, a mask).
  var isGenerated = false

  /// Whether it is substance rather than configuration: more than one element of a real or
  /// 8-bit-or-narrower type (a weight, possibly quantised), not a shape vector or a scalar.
  var isSubstantive: Bool {
    guard let sizes = info.shape.sizes, sizes.allSatisfy({ $0 > 0 }), sizes.contains(where: { $0 > 1 }) else {
      return false
    }
    return info.dataType.isFloatingPoint || (info.dataType.isInteger && info.dataType.bitWidth <= 8)
  }

  /// The origins of the outputs of a node that folded: the union of its constant inputs'
  /// origins, each tagged with the role the node's rule gave that input when it is not data.
  /// A node with no inputs (`Constant`) stores its value in the node: it is its own origin.
  /// A value made from no substantive stored tensor (a `ConstantOfShape` weight) stands in as
  /// its own origin too, since nothing else stores it. Both are ``isGenerated``.
  static func ofFolded(
    inputs: [TensorState?], roles: [Int: InputRole], output: TensorInfo
  ) -> [StoredOrigin] {
    let own = StoredOrigin(name: output.name, info: output, role: nil, isGenerated: true)
    if inputs.allSatisfy({ $0 == nil }) { return [own] }
    var seen: Set<String> = []
    var origins: [StoredOrigin] = []
    for (slot, state) in inputs.enumerated() {
      guard let state else { continue }
      for var origin in state.origins where seen.insert(origin.name).inserted {
        if origin.role == nil, let role = roles[slot], role != .data { origin.role = role }
        origins.append(origin)
      }
    }
    if !origins.contains(where: \.isSubstantive) && own.isSubstantive { return [own] }
    return origins
  }
}
