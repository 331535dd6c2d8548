import ConvScopeCore
import Foundation

/// Reads TensorFlow Lite models (`.tflite`, FlatBuffers schema version 3) into the core
/// ``Graph`` with a small bounds-checked FlatBuffers reader: tables, vectors and strings are
/// offsets into the mapped file, and weight buffers are never read (only their lengths), so the
/// cost grows with the number of operators, not with the file size.
///
/// The file is recognised by its identifier `TFL3` at bytes 4-8, whatever its name. Builtin
/// operators map onto ONNX ops (``TFLiteOperatorTable``); shapes are held in ONNX order and shown
/// in the file's NHWC order (`Graph.layout = .nhwc`); every tensor's stored shape is a declared
/// shape (`Graph.valueInfo`). Only the main subgraph is read: a `WHILE`, `IF` or `CALL_ONCE`
/// operator is reported by name with its stored output shapes, and its bodies are not counted.
///
/// ```swift
/// let data = try Data(contentsOf: url, options: .alwaysMapped)
/// let graph = try TFLiteImporter().importGraph(from: data, fileName: "mobilenet.tflite", directory: nil)
/// ```
public struct TFLiteImporter: ModelImporter {
  public init() {}

  public var format: ModelFormat { .tflite }

  /// Files whose bytes 4-8 are the FlatBuffers file identifier `TFL3`.
  public func recognizes(fileName: String, prefix: Data) -> Bool {
    prefix.count >= 8 && Array(prefix.dropFirst(4).prefix(4)) == Array("TFL3".utf8)
  }

  public func importGraph(from data: Data, fileName: String, directory: URL?) throws(ConvScopeError) -> Graph {
    guard data.count >= 8 else {
      throw ConvScopeError(
        file: fileName, byteOffset: 0, message: "is \(data.count) bytes, too short for a TFLite model")
    }
    let result = data.withUnsafeBytes { bytes in
      Result { () throws(FlatBufferError) -> Graph in
        let reader = FlatBufferReader(bytes: bytes)
        let model = try TFLiteModel(try reader.root("Model"))
        return try TFLiteGraphTranslator(model: model, reader: reader, fileName: fileName).graph()
      }
    }
    switch result {
    case .success(let graph): return graph
    case .failure(let error):
      throw ConvScopeError(file: fileName, byteOffset: error.offset, field: error.field, message: error.message)
    }
  }
}

/// Walks the main subgraph's operators in order and emits each one's nodes.
struct TFLiteGraphTranslator {
  let model: TFLiteModel
  let reader: FlatBufferReader
  let fileName: String

  func graph() throws(FlatBufferError) -> Graph {
    guard let subgraph = model.subgraphs.first else {
      throw FlatBufferError(offset: 0, field: "Model.subgraphs", "the model has no subgraph")
    }
    let builder = TFLiteGraphBuilder(model: model, subgraph: subgraph, reader: reader)
    let inputs = subgraph.inputs.filter { !builder.isStored(subgraph.tensors[$0]) }.map(builder.info)
    for op in subgraph.operators { try translate(op, builder: builder) }
    var valueInfo: [String: TensorInfo] = [:]
    for index in subgraph.tensors.indices where !builder.isStored(subgraph.tensors[index]) {
      guard let name = builder.existingName(index) else { continue }
      valueInfo[name] = builder.info(index)
    }
    var graph = Graph(
      name: subgraph.name.flatMap { $0.isEmpty || $0 == "main" ? nil : $0 } ?? Self.modelName(fileName),
      inputs: inputs, outputs: subgraph.outputs.map(builder.info), nodes: builder.assembler.nodes,
      initializers: builder.assembler.initializers, valueInfo: valueInfo, layout: .nhwc, opsetVersion: 21)
    graph.initializerRoles = builder.assembler.initializerRoles
    return graph
  }

  /// The file name without folders and extension.
  static func modelName(_ fileName: String) -> String {
    let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
    return base.hasSuffix(".tflite") ? String(base.dropLast(7)) : base
  }

  /// Emits one operator's nodes (none for a folded DEQUANTIZE/DENSIFY of a stored tensor).
  private func translate(_ op: TFLiteOperator, builder: TFLiteGraphBuilder) throws(FlatBufferError) {
    guard op.opcodeIndex < model.operatorCodes.count else {
      throw FlatBufferError(
        offset: op.offset, field: "Operator.opcode_index",
        "opcode index \(op.opcodeIndex) is out of range for \(model.operatorCodes.count) operator codes")
    }
    for output in op.outputs where output < 0 || output >= builder.subgraph.tensors.count {
      throw FlatBufferError(
        offset: op.offset, field: "Operator.outputs",
        "tensor index \(output) is out of range for \(builder.subgraph.tensors.count) tensors")
    }
    let code = model.operatorCodes[op.opcodeIndex]
    if TFLiteOperatorTable.expanding.contains(code.code), op.outputs.count == 1, let input = op.inputs.first {
      let stored = try builder.tensor(input, at: op.offset)
      if builder.isStored(stored.tensor) {
        // Aliased to the stored tensor itself, so every alias leads to a tensor that has none;
        // an output that is that tensor would make the alias a cycle.
        guard stored.index != op.outputs[0] else {
          throw FlatBufferError(
            offset: op.offset, field: "Operator.outputs",
            "tensor \(op.outputs[0]) is both the output of this \(TFLiteOperatorTable.name(code.code)) and the"
              + " stored tensor it expands (its input \(input)): the graph has a cycle")
        }
        builder.alias(op.outputs[0], to: stored.index)
        return
      }
    }
    let opName =
      code.code == TFLiteOperatorTable.custom ? code.customCode ?? "CUSTOM" : TFLiteOperatorTable.name(code.code)
    // The output tensors keep the file's names (reserved first); the layer takes a free name.
    let outputNames = op.outputs.map { builder.name($0) }
    let layerName = op.outputs.first.map { Self.layerName(builder.subgraph.tensors[$0].name) } ?? opName
    var context = TFLiteOpContext(
      builder: builder, op: op, opName: opName,
      emission: builder.assembler.layer(layerName.isEmpty ? opName : layerName))
    let outputs: [String]
    if code.code == TFLiteOperatorTable.custom {
      if let mapping = TFLiteCustomOps.mappings[opName] {
        outputs = try mapping(&context)
      } else {
        outputs = try context.opaque(opName, domain: TFLiteOperatorTable.customDomain)
      }
    } else if let mapping = TFLiteOperatorTable.mappings[code.code] {
      outputs = try mapping(&context)
    } else {
      outputs = try context.opaque(opName, domain: TFLiteOperatorTable.domain)
    }
    var emission = context.emission
    for (produced, name) in zip(outputs, outputNames) {
      emission.rename(produced, to: name)
      if let fileOrder = builder.fileOrder.removeValue(forKey: produced) { builder.fileOrder[name] = fileOrder }
    }
    if !builder.pendingNotes.isEmpty, let main = emission.nodes.firstIndex(where: { $0.name == emission.name }) {
      let note = builder.pendingNotes.joined(separator: "; ")
      emission.update(node: main) { $0.note = note }
      builder.pendingNotes = []
    }
    builder.assembler.commit(emission)
  }

  /// A layer name from a converter's tensor name: the first of `;`-joined names.
  static func layerName(_ tensorName: String) -> String {
    String(tensorName.split(separator: ";").first ?? Substring(tensorName))
  }
}
