import ConvScopeCore
import Foundation

/// Reads Caffe deploy nets (`.prototxt`, protobuf text format), both the `layer {}`
/// and the V1 `layers {}` dialects, with inputs from `input:`/`input_shape`/`input_dim`
/// or an `Input` layer. Layers map onto ONNX ops as ``CaffeLayerTable`` lists.
///
/// Caffe does not write the channel counts its weights depend on: the importer emits
/// those dims deferred (``ConstantTensor/deferredAxes``) and the analysis completes them
/// from the op rules, so the graph does not depend on the declared input size.
public struct CaffeImporter: ModelImporter {
  public init() {}

  public var format: ModelFormat { .caffe }

  /// A `.prototxt` file, or text whose opening bytes hold `layer {`/`layers {` or `input_dim`.
  public func recognizes(fileName: String, prefix: Data) -> Bool {
    let lowered = fileName.lowercased()
    if lowered.hasSuffix(".prototxt") { return true }
    guard !lowered.hasSuffix(".json") && !lowered.hasSuffix(".yaml") && !lowered.hasSuffix(".yml") else { return false }
    return ["layer {", "layers {", "layer{", "layers{", "input_dim:"].contains { prefix.containsUTF8($0) }
  }

  /// Parses the prototxt and translates its layers; errors carry `file:line:column`.
  public func importGraph(from data: Data, fileName: String, directory: URL?) throws(ConvScopeError) -> Graph {
    do {
      // Parsed in place (a mapped file is not copied).
      let parsed = data.withUnsafeBytes { raw in
        Result { () throws(ConvScopeError) in
          try PrototxtParser.parse(raw.bindMemory(to: UInt8.self), fileName: fileName)
        }
      }
      let net = try parsed.get()
      var reader = CaffeNetReader(net: net)
      return try reader.read()
    } catch {
      throw error.inFile(fileName)
    }
  }
}
