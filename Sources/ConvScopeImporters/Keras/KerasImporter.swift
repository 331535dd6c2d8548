import ConvScopeCore
import Foundation

/// Reads Keras models: `model.to_json()` output (Keras 3 and tf.keras 2 layouts)
/// and `.keras` archives (their `config.json`). Layers map onto ONNX ops as
/// ``KerasLayerTable`` lists; a `channels_last` model keeps `Graph.layout = .nhwc`
/// so shapes read as Keras prints them.
///
/// ```swift
/// let graph = try KerasImporter().importGraph(from: data, fileName: "lenet5.json", directory: nil)
/// ```
public struct KerasImporter: ModelImporter {
  public init() {}

  public var format: ModelFormat { .keras }

  /// A `.keras` zip, or a JSON object whose opening bytes have Keras' `class_name` and `config` keys;
  /// also a legacy HDF5 `.h5` model, to say how to convert it.
  public func recognizes(fileName: String, prefix: Data) -> Bool {
    if fileName.lowercased().hasSuffix(".keras") || KerasArchive.looksLikeZip(prefix) { return true }
    if prefix.starts(with: Self.hdf5Signature) { return true }
    guard prefix.firstNonBlankByte == UInt8(ascii: "{") else { return false }
    return prefix.containsUTF8("\"class_name\"") && prefix.containsUTF8("\"config\"")
  }

  /// Reads the model config (from the archive's `config.json` for a zip) into a graph.
  public func importGraph(from data: Data, fileName: String, directory: URL?) throws(ConvScopeError) -> Graph {
    if data.starts(with: Self.hdf5Signature) {
      throw ConvScopeError(
        file: fileName,
        message:
          "a legacy HDF5 Keras model; save it with model.save(\"model.keras\") or write model.to_json() to a file")
    }
    let json =
      KerasArchive.looksLikeZip(data.prefix(4)) ? try KerasArchive.config(from: data, fileName: fileName) : data
    do {
      return try Self.graph(from: KerasDocument(json, fileName: fileName))
    } catch {
      throw error.inFile(fileName)
    }
  }

  /// The first bytes of every HDF5 file.
  private static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

  /// The graph of a parsed model config.
  static func graph(from document: KerasDocument) throws(ConvScopeError) -> Graph {
    let model = try KerasLayer(document.root, context: "model")
    guard KerasModelReader.modelClasses.contains(model.className) else {
      throw ConvScopeError(
        field: "class_name",
        message: "expected a Keras model (Sequential or Functional), found class '\(model.className)'")
    }
    let formats = document.dataFormats
    if formats.count > 1 {
      throw ConvScopeError(field: "data_format", message: "the model mixes channels_last and channels_first layers")
    }
    // Keras' default image format is channels_last; a config that never says is taken as that.
    let channelsLast = formats.contains("channels_last") || (formats.isEmpty && document.hasSpatialLayers)
    let state = KerasGraphState(
      axes: KerasAxes(channelsLast: channelsLast), callLimit: try ResourceLimits.twiceLayers)
    var reader = KerasModelReader(state: state)
    let outputs = try reader.readModel(model, layers: document.layers, callInputs: nil, scope: KerasModelReader.Scope())
    var graph = Graph(
      name: model.name, inputs: reader.inputs, outputs: outputs.map { TensorInfo(name: $0.name, shape: []) },
      nodes: state.assembler.nodes, initializers: state.assembler.initializers,
      layout: channelsLast ? .nhwc : .nchw)
    graph.initializerRoles = state.assembler.initializerRoles
    graph.heldTensors = state.assembler.heldTensors
    return graph
  }
}
