import ConvScopeCore
import Foundation

/// Reads ONNX model files (`ModelProto`, protobuf wire format) into the core
/// ``Graph``, without a protobuf library and without reading weight payloads:
/// tensors are skipped by length, external data files are never opened, and
/// only small integer/float tensors that shapes depend on are decoded. The
/// cost grows with the number of nodes, not with the file size.
///
/// ```swift
/// let data = try Data(contentsOf: url, options: .alwaysMapped)
/// let graph = try ONNXImporter().importGraph(from: data, fileName: "resnet50.onnx", directory: nil)
/// ```
public struct ONNXImporter: ModelImporter {
  public init() {}

  public var format: ModelFormat { .onnx }

  /// `.onnx` files, and files that start like a `ModelProto`: `ir_version`
  /// (field 1, varint) with a small value, then another ModelProto field.
  public func recognizes(fileName: String, prefix: Data) -> Bool {
    if fileName.lowercased().hasSuffix(".onnx") { return true }
    guard prefix.count >= 3 else { return false }
    let head = (prefix[prefix.startIndex], prefix[prefix.startIndex + 1], prefix[prefix.startIndex + 2])
    // A switch, not a Set literal: no hashing (and no generic type to instantiate) per call.
    switch head.2 {
    case 0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42: return head.0 == 0x08 && (1...15).contains(head.1)
    default: return false
    }
  }

  public func importGraph(from data: Data, fileName: String, directory: URL?) throws(ConvScopeError) -> Graph {
    try decodeModel(from: data, fileName: fileName).graph
  }

  /// Reads the whole model: graph, opsets, metadata and model-local functions.
  public func decodeModel(from data: Data, fileName: String) throws(ConvScopeError) -> ONNXModel {
    try decodeModel(from: data, fileName: fileName, decodedNodes: nil)
  }

  /// ``decodeModel(from:fileName:)``, taking the main graph's nodes from `decodedNodes` where
  /// they were decoded already.
  func decodeModel(from data: Data, fileName: String, decodedNodes: ONNXDecodedNodes?) throws(ConvScopeError)
    -> ONNXModel
  {
    guard !data.isEmpty else { throw ConvScopeError(file: fileName, message: "the file is empty") }
    let result = data.withUnsafeBytes { bytes in
      Result { () throws(ProtobufError) -> ONNXModel in
        var decoder = ONNXDecoder(bytes: bytes)
        decoder.decodedNodes = decodedNodes
        return try decoder.model()
      }
    }
    switch result {
    case .success(let model): return model
    case .failure(let error):
      throw ConvScopeError(
        file: fileName, byteOffset: error.offset, layer: error.layer, field: error.field, message: error.message)
    }
  }
}
