import ConvScopeCore
import Foundation

/// Reads Core ML models (`Model.proto`, protobuf wire format): `.mlmodel` files and the
/// specification inside an `.mlpackage` (``CoreMLPackage``), through the same bounds-checked
/// reader as ONNX and without reading weights: a NeuralNetwork's `WeightParams` are skipped by
/// length (the layers declare their sizes) and an ML Program's constants are typed values
/// whose payload in `weights/weight.bin` is never opened. NeuralNetwork layers
/// (``CoreMLNeuralNetworkLayers``) and ML Program operations (``CoreMLProgramOps``) map onto
/// ONNX ops.
///
/// ```swift
/// let (graph, _) = try ModelLoader.standard.load(path: "MobileNetV2.mlpackage")
/// ```
public struct CoreMLImporter: ModelImporter {
  public init() {}

  public var format: ModelFormat { .coreml }

  /// `.mlmodel` files and packages, and bytes that start like a `Model`: `specificationVersion`
  /// (field 1, varint, 1 to 20), then the `description` (field 2), whose first field is an
  /// input (field 1) or an output (field 10), a `FeatureDescription` that starts with its name
  /// (field 1). An ONNX `ModelProto` starts with the same two keys (`ir_version`,
  /// `producer_name`), but its producer name is text, which does not go on with these keys.
  public func recognizes(fileName: String, prefix: Data) -> Bool {
    let lowered = fileName.lowercased()
    if lowered.hasSuffix(".mlmodel") || lowered.hasSuffix(".mlpackage") || lowered.hasSuffix(".mlpackage/") {
      return true
    }
    guard !lowered.hasSuffix(".onnx") else { return false }
    let head = Array(prefix.prefix(32))
    guard head.count >= 7, head[0] == 0x08, (1...20).contains(head[1]), head[2] == 0x12 else { return false }
    var index = Self.skipVarint(head, from: 3)
    guard index < head.count, head[index] == 0x0a || head[index] == 0x52 else { return false }
    index = Self.skipVarint(head, from: index + 1)
    return index < head.count && head[index] == 0x0a
  }

  /// The index after the varint that starts at `start`.
  private static func skipVarint(_ bytes: [UInt8], from start: Int) -> Int {
    var index = start
    while index < bytes.count, bytes[index] & 0x80 != 0 { index += 1 }
    return index + 1
  }

  public func importGraph(from data: Data, fileName: String, directory: URL?) throws(ConvScopeError) -> Graph {
    guard !data.isEmpty else { throw ConvScopeError(file: fileName, message: "the file is empty") }
    let name = ((fileName as NSString).lastPathComponent as NSString).deletingPathExtension
    let result = data.withUnsafeBytes { bytes in
      Result { () throws(ProtobufError) -> Graph in
        try CoreMLModelReader.graph(ProtobufReader(bytes: bytes), name: name.isEmpty ? "coreml" : name)
      }
    }
    switch result {
    case .success(let graph): return graph
    case .failure(let error):
      throw ConvScopeError(
        file: fileName, byteOffset: error.offset, layer: error.layer, field: error.field, message: error.message)
    }
  }
}

/// The `Model` message: its description and the `Type` oneof it holds.
enum CoreMLModelReader {
  /// NeuralNetworkRegressor, NeuralNetworkClassifier, NeuralNetwork and ML Program.
  static let neuralNetworkFields = [303, 403, 500]
  static let programField = 502

  static func graph(_ reader: ProtobufReader, name: String) throws(ProtobufError) -> Graph {
    let model = try ProtobufMessage(reader, range: 0..<reader.end, name: "Model")
    let version = try model.int(1, "specificationVersion")
    guard version > 0 else { throw model.error("specificationVersion", "is missing; this is not a Core ML model") }
    guard let description = try model.message(2, "description", type: "ModelDescription") else {
      throw model.error("description", "is missing; a Core ML model describes its inputs and outputs")
    }
    let features = try CoreMLFeatures(description: description)
    guard let (number, value) = model.oneof(where: { $0 >= 200 }) else {
      throw model.error("Type", "the model holds no network (specification version \(version))")
    }
    if neuralNetworkFields.contains(number) {
      var reader = CoreMLNeuralNetworkReader(
        network: try ProtobufMessage(reader, range: value.range, name: "NeuralNetwork"))
      return try reader.read(features: features, name: name)
    }
    if number == programField {
      var reader = CoreMLProgramReader(program: try ProtobufMessage(reader, range: value.range, name: "Program"))
      return try reader.read(features: features, name: name)
    }
    let kinds = [200: "a pipeline classifier", 201: "a pipeline regressor", 202: "a pipeline", 555: "a custom model"]
    throw ProtobufError(
      offset: value.field.offset, field: "Model.Type",
      "the model is \(kinds[number] ?? "of type field \(number)"); ConvScope reads NeuralNetwork and ML Program models")
  }
}
