import ConvScopeCore

/// Builds the core ``Graph`` from a TFLite subgraph.
///
/// Layout: TFLite tensors are NHWC. As for a channels-last Keras model, every tensor of rank 3
/// and up is held in the graph's ONNX order with its last (channel) axis moved to position 1
/// (``KerasAxes`` with `channelsLast`), and `Graph.layout = .nhwc` shows it back in the file's
/// order; ops whose meaning follows the axis order (Reshape, Squeeze, MatMul) run between
/// Transposes to and from the file's order.
///
/// Weights: a stored tensor becomes an initializer when an op first reads it, in the order that
/// op wants (a conv filter `[O,kH,kW,I]` as `[O,I,kH,kW]`). `DEQUANTIZE` and `DENSIFY` of a stored
/// tensor emit nothing: their output is the stored tensor itself, so a float16 weight counts
/// once at 2 bytes and a sparse one at its dense shape. A stored integer tensor with scales (an
/// int8 weight) is read through a `DequantizeLinear` with its scales and zero points, which the
/// analyzer folds and counts as quantisation bytes.
final class TFLiteGraphBuilder {
  let model: TFLiteModel
  let subgraph: TFLiteSubgraph
  let reader: FlatBufferReader
  let axes = KerasAxes(channelsLast: true)
  var assembler = GraphAssembler()
  /// Each tensor's graph name (produced tensors and materialised constants).
  private var names: [Int: String] = [:]
  /// Tensors that stand for another (the output of a folded DEQUANTIZE or DENSIFY).
  private var aliases: [Int: Int] = [:]
  /// For a tensor a Transpose brought from the file's order into graph order, the tensor in the
  /// file's order, so that an op wanting it back reads that instead of transposing twice.
  var fileOrder: [String: String] = [:]
  /// Remarks for the layer being built (a sparse weight's density).
  var pendingNotes: [String] = []
  /// The stored types already explained in a note (float16, int8...), so that each is once.
  private var explainedTypes: Set<DataType> = []

  init(model: TFLiteModel, subgraph: TFLiteSubgraph, reader: FlatBufferReader) {
    self.model = model
    self.subgraph = subgraph
    self.reader = reader
  }

  /// The tensor behind `index` (aliases followed), checked to exist.
  func tensor(_ index: Int, at offset: Int) throws(FlatBufferError) -> (index: Int, tensor: TFLiteTensor) {
    var current = index
    while let target = aliases[current] { current = target }
    guard current >= 0, current < subgraph.tensors.count else {
      throw FlatBufferError(
        offset: offset, field: "Operator.inputs",
        "tensor index \(index) is out of range for \(subgraph.tensors.count) tensors")
    }
    return (current, subgraph.tensors[current])
  }

  /// Whether tensor `tensor` is stored in the file (its buffer holds bytes).
  func isStored(_ tensor: TFLiteTensor) -> Bool {
    tensor.buffer > 0 && tensor.buffer < model.buffers.count && model.buffers[tensor.buffer].count > 0
  }

  /// Makes `output` stand for `stored` (a folded DEQUANTIZE or DENSIFY of a stored tensor):
  /// `stored` has no alias of its own and is not `output`, so aliases never form a cycle.
  func alias(_ output: Int, to stored: Int) { aliases[output] = stored }

  /// The graph name already given to tensor `index`, if any.
  func existingName(_ index: Int) -> String? { names[index] }

  /// Gives tensor `index` a unique graph name based on its file name.
  func name(_ index: Int) -> String {
    if let name = names[index] { return name }
    let tensor = subgraph.tensors[index]
    let name = assembler.unique(tensor.name.isEmpty ? "tensor_\(index)" : tensor.name)
    names[index] = name
    return name
  }

  /// The element type of a `TensorType` code.
  static func dataType(_ code: Int) -> DataType {
    let table: [DataType] = [
      .float32, .float16, .int32, .uint8, .int64, .string, .bool, .int16, .complex64, .int8, .float64,
      .complex128, .uint64, .undefined, .undefined, .uint32, .uint16, .int4, .bfloat16,
    ]
    return code >= 0 && code < table.count ? table[code] : .undefined
  }

  /// The tensor's declared shape in the file's order: `shape_signature` (-1 for a dynamic dim:
  /// the batch becomes `N`, any other dim unknown) when stored, else `shape`.
  func declaredDims(_ tensor: TFLiteTensor) -> [Dim] {
    guard let signature = tensor.signature, signature.count == tensor.shape.count else {
      return tensor.shape.map(Dim.fixed)
    }
    return signature.enumerated().map { axis, size in size >= 0 ? .fixed(size) : (axis == 0 ? "N" : .unknown) }
  }

  /// The tensor's type and declared shape in graph order.
  func info(_ index: Int) -> TensorInfo {
    let tensor = subgraph.tensors[index]
    return TensorInfo(
      name: name(index), dataType: Self.dataType(tensor.type), shape: Shape(axes.toGraph(declaredDims(tensor))))
  }

  /// The graph name of a stored tensor read with its axes in `order` (graph axis `i` is the
  /// file's axis `order[i]`; the general order moves the last axis to position 1). Created on
  /// first use; an integer tensor with scales is read through a `DequantizeLinear`. The values of
  /// a small int32/int64 tensor without scales (indices, axes, a shape; not a quantised bias) in
  /// its own order are read, so that the analyzer can fold the shape arithmetic a converter
  /// writes for a dynamic batch. `role` is what the tensor is when the op reading it does not
  /// say (a bias added by an `Add`).
  func stored(
    _ index: Int, tensor: TFLiteTensor, order: [Int]?, role: InputRole? = nil, emission: inout LayerEmission
  ) throws(FlatBufferError) -> String {
    let order = order ?? axes.kerasToGraph(rank: tensor.shape.count)
    guard order.sorted() == Array(tensor.shape.indices) else {
      throw FlatBufferError(
        offset: tensor.offset, field: "Tensor.shape",
        "tensor '\(tensor.name)' of shape \(tensor.shape) is not the rank this op reads it at")
    }
    let general = order == axes.kerasToGraph(rank: tensor.shape.count)
    let key = general ? index : -1 - index
    let type = Self.dataType(tensor.type)
    let dequantized = tensor.scaleCount > 0 && type.isInteger && type.bitWidth <= 16
    let name = names[key] ?? assembler.unique(tensor.name.isEmpty ? "tensor_\(index)" : tensor.name)
    if names[key] == nil {
      names[key] = name
      var constant = ConstantTensor(dataType: type, dims: order.map { tensor.shape[$0] })
      if [.int32, .int64].contains(type), tensor.scaleCount == 0, order == Array(order.indices),
        try elementCount(tensor) <= 1 << 16
      {
        constant.values = .ints(try values(of: tensor, at: tensor.offset))
      }
      _ = assembler.constant(name, constant, role: role)
      if tensor.isSparse { pendingNotes.append(try sparsityNote(tensor)) }
      if let note = storageNote(type, quantized: dequantized) { pendingNotes.append(note) }
    }
    guard dequantized else { return name }
    let perAxis = tensor.scaleCount > 1
    let channels = perAxis ? [tensor.scaleCount] : []
    let scale = assembler.constant("\(name).scale", ConstantTensor(dataType: .float32, dims: channels))
    let zeroPoint = assembler.constant("\(name).zero_point", ConstantTensor(dataType: type, dims: channels))
    var attributes: [String: AttributeValue] = [:]
    if perAxis { attributes["axis"] = .int(order.firstIndex(of: tensor.quantizedDimension) ?? 0) }
    return emission.node("DequantizeLinear", inputs: [name, scale, zeroPoint], attributes, helper: true)
  }

  /// The first time a weight of a narrower stored type is read, what it counts: float16 once at
  /// 2 bytes (its DEQUANTIZE folded), an integer with scales at its own width plus the scales.
  private func storageNote(_ type: DataType, quantized: Bool) -> String? {
    guard type != .float32, type.isFloatingPoint || quantized, explainedTypes.insert(type).inserted else { return nil }
    let width =
      type.bitWidth < 8 ? "\(type.bitWidth) bits" : type.bitWidth == 8 ? "1 byte" : "\(type.bitWidth / 8) bytes"
    return quantized
      ? "weights are stored quantised as \(type.rawValue): each counts as a parameter at \(width); "
        + "their scales and zero points add to the weight memory and are not parameters"
      : "weights are stored as \(type.rawValue) and dequantised by the graph: each counts once, at \(width)"
  }

  /// What a sparse tensor's note says: its dense shape and the share of it the file stores.
  private func sparsityNote(_ tensor: TFLiteTensor) throws(FlatBufferError) -> String {
    let stored = model.buffers[tensor.buffer].count
    let dense: Int
    do {
      dense = try Self.dataType(tensor.type).bytes(for: try Checked.product(tensor.shape))
    } catch {
      throw FlatBufferError(offset: tensor.offset, field: "Tensor.shape", error.message)
    }
    let percent = dense > 0 ? Double(stored) * 100 / Double(dense) : 0
    return "'\(tensor.name)' is stored sparse: \(stored) of its \(dense) dense bytes "
      + "(\(String(format: "%.1f", percent))%), counted at its dense shape \(tensor.shape)"
  }

  /// The number of elements of `tensor`'s shape, which must not overflow.
  func elementCount(_ tensor: TFLiteTensor) throws(FlatBufferError) -> Int {
    do { return try Checked.product(tensor.shape) } catch {
      throw FlatBufferError(offset: tensor.offset, field: "Tensor.shape", "'\(tensor.name)': \(error.message)")
    }
  }

  /// The most values ``values(of:at:)`` reads from one buffer.
  static let constantLimit = 1 << 16

  /// The values of a small stored integer tensor (a shape, axes, paddings), read from its buffer.
  func values(of tensor: TFLiteTensor, at offset: Int) throws(FlatBufferError) -> [Int] {
    let width: Int
    switch Self.dataType(tensor.type) {
    case .int32: width = 4
    case .int64: width = 8
    default:
      throw FlatBufferError(offset: offset, field: "Tensor.type", "'\(tensor.name)' must be an int32 or int64 constant")
    }
    let count = try elementCount(tensor)
    guard isStored(tensor), count <= Self.constantLimit else {
      throw FlatBufferError(
        offset: offset, field: "Operator.inputs", "'\(tensor.name)' must be a small stored constant")
    }
    let start = try model.bufferStart(tensor.buffer, reader: reader)
    guard model.buffers[tensor.buffer].count >= count * width else {
      throw FlatBufferError(
        offset: start, field: "Buffer.data", "'\(tensor.name)' needs \(count * width) bytes, the buffer holds fewer")
    }
    var values: [Int] = []
    for index in 0..<count {
      let at = start + index * width
      values.append(width == 4 ? Int(try reader.load(at, as: Int32.self)) : Int(try reader.load(at, as: Int64.self)))
    }
    return values
  }
}
