import ConvScopeCore

/// One operator's translation into graph nodes: TFLite's `(inout TFLiteOpContext) -> outputs`.
typealias TFLiteMapping = @Sendable (inout TFLiteOpContext) throws(FlatBufferError) -> [String]

/// What one operator mapping sees: the operator, its tensors and options, and the means to emit
/// nodes and constants for it. Axes and shapes the mapping is given are in the file's (NHWC)
/// order; ``graphAxis(_:rank:)`` and the `fileOrder` helpers cross to the graph's order.
struct TFLiteOpContext {
  let builder: TFLiteGraphBuilder
  let op: TFLiteOperator
  /// The builtin operator's name (`CONV_2D`) or the custom op's code.
  let opName: String
  var emission: LayerEmission

  /// An error at this operator's table.
  func error(_ field: String, _ message: String) -> FlatBufferError {
    FlatBufferError(offset: op.offset, field: field, "\(opName): \(message)")
  }

  // MARK: Tensors

  /// Whether input `index` is given (not omitted with -1).
  func has(_ index: Int) -> Bool { index < op.inputs.count && op.inputs[index] >= 0 }

  /// Input `index`'s tensor (aliases followed).
  func input(_ index: Int) throws(FlatBufferError) -> (index: Int, tensor: TFLiteTensor) {
    guard has(index) else { throw error("Operator.inputs", "needs input \(index)") }
    return try builder.tensor(op.inputs[index], at: op.offset)
  }

  /// Input `index`'s stored shape, in the file's order.
  func shape(_ index: Int) throws(FlatBufferError) -> [Int] { try input(index).tensor.shape }

  /// Input `index`'s rank.
  func rank(_ index: Int) throws(FlatBufferError) -> Int { try shape(index).count }

  /// Output `index`'s tensor.
  func output(_ index: Int = 0) throws(FlatBufferError) -> TFLiteTensor {
    guard index < op.outputs.count else { throw error("Operator.outputs", "needs output \(index)") }
    return try builder.tensor(op.outputs[index], at: op.offset).tensor
  }

  /// Whether input `index` is a tensor stored in the file.
  func isStored(_ index: Int) throws(FlatBufferError) -> Bool {
    guard has(index) else { return false }
    return builder.isStored(try input(index).tensor)
  }

  /// Input `index` as graph data: the producer's output, a graph input, or a stored tensor in
  /// the general order.
  mutating func data(_ index: Int) throws(FlatBufferError) -> String {
    try weight(index, order: nil)
  }

  /// Input `index` with its axes in `order` (graph axis `i` is the file's axis `order[i]`; `nil`
  /// is the general order). A stored tensor becomes an initializer in that order; a computed one
  /// is transposed when `order` differs from the general order. `role` marks a stored tensor the
  /// reading op does not give a role (a bias added by an `Add`).
  mutating func weight(_ index: Int, order: [Int]?, role: InputRole? = nil) throws(FlatBufferError) -> String {
    let (tensorIndex, tensor) = try input(index)
    if builder.isStored(tensor) {
      return try builder.stored(tensorIndex, tensor: tensor, order: order, role: role, emission: &emission)
    }
    let name = builder.existingName(tensorIndex) ?? builder.name(tensorIndex)
    let general = builder.axes.kerasToGraph(rank: tensor.shape.count)
    guard let order, order != general else { return name }
    let perm = order.map { general.firstIndex(of: $0) ?? 0 }
    return node("Transpose", [name], ["perm": .ints(perm)], helper: true)
  }

  /// The values of input `index`, a small stored int32/int64 tensor.
  func values(_ index: Int) throws(FlatBufferError) -> [Int] {
    try builder.values(of: try input(index).tensor, at: op.offset)
  }

  /// An options field as an `Int` (`fallback` when absent).
  func option<T: FixedWidthInteger>(_ id: Int, _ label: String, _ type: T.Type, default fallback: Int = 0)
    throws(FlatBufferError) -> Int
  {
    try op.option(id, "\(opName).\(label)", type, default: fallback)
  }

  // MARK: Axes

  /// The graph axis of the file's axis `axis` (negative counts from the end) on a rank-`rank` tensor.
  func graphAxis(_ axis: Int, rank: Int, field: String = "axis") throws(FlatBufferError) -> Int {
    guard let mapped = builder.axes.graphAxis(axis, rank: rank) else {
      throw error(field, "axis \(axis) is out of range for a rank-\(rank) tensor")
    }
    return mapped
  }

  /// The graph axes of the file's axes `removed` of a rank-`rank` tensor when dropping them
  /// leaves the other axes in the output's graph order (a mean over H and W of `[N,H,W,C]`),
  /// so that the op needs no Transposes; nil otherwise.
  func graphAxes(removing removed: [Int], rank: Int) -> [Int]? {
    let normalized = Set(removed.map { $0 < 0 ? $0 + rank : $0 })
    guard normalized.allSatisfy({ $0 >= 0 && $0 < rank }) else { return nil }
    let kept = (0..<rank).filter { !normalized.contains($0) }
    let order = builder.axes.kerasToGraph(rank: rank)
    guard order.filter({ !normalized.contains($0) }) == builder.axes.kerasToGraph(rank: kept.count).map({ kept[$0] })
    else { return nil }
    return order.indices.filter { normalized.contains(order[$0]) }
  }

  /// `tensor` (rank `rank`, graph order) transposed into the file's order, when they differ.
  mutating func toFileOrder(_ tensor: String, rank: Int) -> String {
    guard builder.axes.isPermuted(rank: rank) else { return tensor }
    if let known = builder.fileOrder[tensor] { return known }
    return node("Transpose", [tensor], ["perm": .ints(builder.axes.graphToKeras(rank: rank))], helper: true)
  }

  /// `tensor` (rank `rank`, the file's order) transposed back into graph order.
  mutating func fromFileOrder(_ tensor: String, rank: Int) -> String {
    guard builder.axes.isPermuted(rank: rank) else { return tensor }
    let graphOrder = node("Transpose", [tensor], ["perm": .ints(builder.axes.kerasToGraph(rank: rank))], helper: true)
    builder.fileOrder[graphOrder] = tensor
    return graphOrder
  }

  /// Runs `body` on input 0 in the file's order and brings its result (of output 0's rank) back:
  /// for ops whose meaning follows the axis order (Reshape, Squeeze, a reduction dropping axes).
  mutating func inFileOrder(_ body: (inout TFLiteOpContext, String) throws(FlatBufferError) -> String)
    throws(FlatBufferError) -> [String]
  {
    let x = toFileOrder(try data(0), rank: try rank(0))
    let y = try body(&self, x)
    return [fromFileOrder(y, rank: try output().shape.count)]
  }

  // MARK: Emitting

  /// Appends a node and returns its output; a `helper` node does not take the layer's name.
  @discardableResult
  mutating func node(
    _ op: String, _ inputs: [String], _ attributes: [String: AttributeValue] = [:], helper: Bool = false
  ) -> String {
    emission.node(op, inputs: inputs, attributes, helper: helper)
  }

  /// An int64 vector for this operator (a shape, axes, pads).
  func ints(_ suffix: String, _ values: [Int]) -> String {
    builder.assembler.constant("\(emission.name).\(suffix)", .int64s(values), role: .configuration)
  }

  /// A float32 scalar for this operator (a clip bound).
  func float(_ suffix: String, _ value: Double) -> String {
    builder.assembler.constant(
      "\(emission.name).\(suffix)", ConstantTensor(dataType: .float32, dims: [], values: .floats([value])),
      role: .configuration)
  }

  /// `y` followed by the fused activation `code` (`ActivationFunctionType`: 0 none, 1 RELU,
  /// 2 RELU_N1_TO_1, 3 RELU6, 4 TANH), as a second node of the same layer.
  mutating func activated(_ y: String, code: Int) throws(FlatBufferError) -> String {
    switch code {
    case 0: return y
    case 1: return node("Relu", [y])
    case 2: return node("Clip", [y, float("min", -1), float("max", 1)])
    case 3: return node("Clip", [y, float("min", 0), float("max", 6)])
    case 4: return node("Tanh", [y])
    default: throw error("fused_activation_function", "unsupported fused activation \(code)")
    }
  }

  /// The operator as one node of `opType` in `domain`, reading its inputs as data, with the
  /// file's tensors as outputs: for ops with no rule (custom ops), whose output shapes the
  /// analyzer takes from the file.
  mutating func opaque(_ opType: String, domain: String) throws(FlatBufferError) -> [String] {
    var inputs: [String] = []
    for index in op.inputs.indices { inputs.append(has(index) ? try data(index) : "") }
    let outputs = emission.nodeOutputs(opType, inputs: inputs, count: op.outputs.count)
    emission.update(node: emission.nodes.count - 1) { $0.domain = domain }
    return outputs
  }
}
