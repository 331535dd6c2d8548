/// What the importer reads of a `.tflite` file (schema version 3, `Model` table), field ids
/// from TensorFlow's `tensorflow/compiler/mlir/lite/schema/schema.fbs`. Weight payloads are not
/// read: a buffer is only its length.
struct TFLiteModel {
  var version: Int
  var description: String?
  var operatorCodes: [TFLiteOperatorCode]
  var subgraphs: [TFLiteSubgraph]
  /// Where each buffer's bytes start and how many there are (`Buffer.data`, or `Buffer.offset`
  /// and `size` for data kept outside the FlatBuffer in files over 2 GB); never read here.
  var buffers: [(start: Int, count: Int)]

  /// `Model`: 0 version, 1 operator_codes, 2 subgraphs, 3 description, 4 buffers.
  init(_ model: FlatTable) throws(FlatBufferError) {
    version = try model.int(0, "version", UInt32.self)
    guard version == 3 else {
      throw FlatBufferError(offset: model.position, field: "Model.version", "schema version \(version); expected 3")
    }
    description = try model.string(3, "description")
    operatorCodes = try model.tables(1, "operator_codes", type: "OperatorCode").map(TFLiteOperatorCode.init)
    subgraphs = try model.tables(2, "subgraphs", type: "SubGraph").map(TFLiteSubgraph.init)
    // Buffer: 0 data [ubyte] (only its length word is read), 1 offset u64, 2 size u64.
    buffers = try model.tables(4, "buffers", type: "Buffer").map { buffer throws(FlatBufferError) in
      if let data = try buffer.vector(0, "data", elementSize: 1) { return (data.start, data.count) }
      let offset = try buffer.scalar(1, "offset", UInt64.self, default: 0)
      let size = try buffer.scalar(2, "size", UInt64.self, default: 0)
      return offset > 1 ? (Int(clamping: offset), Int(clamping: size)) : (0, 0)
    }
  }

  /// Where buffer `index`'s bytes start, checked to lie inside the file.
  func bufferStart(_ index: Int, reader: FlatBufferReader) throws(FlatBufferError) -> Int {
    let buffer = buffers[index]
    try reader.check(buffer.start, buffer.count, "buffer \(index)", field: "Buffer.data")
    return buffer.start
  }
}

/// `OperatorCode`: 0 deprecated_builtin_code i8, 1 custom_code, 2 version, 3 builtin_code i32.
struct TFLiteOperatorCode {
  /// The builtin code: the larger of the two fields (old files set only the deprecated one,
  /// codes over 126 leave 127 there).
  var code: Int
  var customCode: String?

  init(_ table: FlatTable) throws(FlatBufferError) {
    code = max(try table.int(0, "deprecated_builtin_code", Int8.self), try table.int(3, "builtin_code", Int32.self))
    customCode = try table.string(1, "custom_code")
  }
}

/// `SubGraph`: 0 tensors, 1 inputs, 2 outputs, 3 operators, 4 name.
struct TFLiteSubgraph {
  var tensors: [TFLiteTensor]
  var inputs: [Int]
  var outputs: [Int]
  var operators: [TFLiteOperator]
  var name: String?

  init(_ table: FlatTable) throws(FlatBufferError) {
    tensors = try table.tables(0, "tensors", type: "Tensor").map(TFLiteTensor.init)
    inputs = try table.ints(1, "inputs", Int32.self) ?? []
    outputs = try table.ints(2, "outputs", Int32.self) ?? []
    operators = try table.tables(3, "operators", type: "Operator").map(TFLiteOperator.init)
    name = try table.string(4, "name")
    for (index, tensor) in (inputs + outputs).enumerated() where tensor < 0 || tensor >= tensors.count {
      throw FlatBufferError(
        offset: table.position, field: "SubGraph.\(index < inputs.count ? "inputs" : "outputs")",
        "tensor index \(tensor) is out of range for \(tensors.count) tensors")
    }
  }
}

/// `Tensor`: 0 shape, 1 type, 2 buffer, 3 name, 4 quantization, 6 sparsity, 7 shape_signature, 8 has_rank.
struct TFLiteTensor {
  var name: String
  var shape: [Int]
  /// The shape with `-1` for dynamic dims, when the file stores one.
  var signature: [Int]?
  /// The `TensorType` code.
  var type: Int
  var buffer: Int
  /// The number of scales (1 per tensor, one per channel along `quantizedDimension`), 0 if none.
  var scaleCount: Int
  var quantizedDimension: Int
  var isSparse: Bool
  /// Where the table starts, for errors.
  var offset: Int

  init(_ table: FlatTable) throws(FlatBufferError) {
    offset = table.position
    name = try table.string(3, "name") ?? ""
    shape = try table.ints(0, "shape", Int32.self) ?? []
    signature = try table.ints(7, "shape_signature", Int32.self)
    type = try table.int(1, "type", Int8.self)
    buffer = try table.int(2, "buffer", UInt32.self)
    isSparse = try table.has(6)
    // QuantizationParameters: 2 scale [float], 6 quantized_dimension.
    let quantization = try table.table(4, "quantization", type: "QuantizationParameters")
    scaleCount = try quantization?.vector(2, "scale", elementSize: 4)?.count ?? 0
    quantizedDimension = try quantization?.int(6, "quantized_dimension", Int32.self) ?? 0
    if let bad = shape.first(where: { $0 < 0 }) {
      throw FlatBufferError(offset: offset, field: "Tensor.shape", "tensor '\(name)' has a negative size \(bad)")
    }
  }
}

/// `Operator`: 0 opcode_index, 1 inputs (-1 = omitted), 2 outputs, 3/4 builtin_options (union),
/// 5 custom_options.
struct TFLiteOperator {
  var opcodeIndex: Int
  var inputs: [Int]
  var outputs: [Int]
  /// The `BuiltinOptions` union's type (0 = NONE) and table.
  var optionsType: Int
  var options: FlatTable?
  /// The custom options' bytes, when stored.
  var customOptions: FlatVector?
  /// Where the table starts, for errors.
  var offset: Int

  init(_ table: FlatTable) throws(FlatBufferError) {
    offset = table.position
    opcodeIndex = try table.int(0, "opcode_index", UInt32.self)
    inputs = try table.ints(1, "inputs", Int32.self) ?? []
    outputs = try table.ints(2, "outputs", Int32.self) ?? []
    optionsType = try table.int(3, "builtin_options_type", UInt8.self)
    options = optionsType == 0 ? nil : try table.table(4, "builtin_options", type: "BuiltinOptions")
    customOptions = try table.vector(5, "custom_options", elementSize: 1)
  }

  /// An options field (`Conv2DOptions.stride_w`...) as an `Int`, or `fallback` when absent.
  func option<T: FixedWidthInteger>(_ id: Int, _ label: String, _ type: T.Type, default fallback: Int = 0)
    throws(FlatBufferError) -> Int
  {
    try options?.int(id, label, type, default: fallback) ?? fallback
  }
}
