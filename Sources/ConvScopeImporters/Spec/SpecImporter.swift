import ConvScopeCore
import Foundation

/// Reads ConvScope's native model spec, YAML or JSON (`docs/spec-format.md`):
///
/// ```yaml
/// name: lenet5
/// layout: HWC
/// input: {shape: [32, 32, 1]}
/// layers:
///   - {name: C1, op: conv, filters: 6, kernel: 5, activation: relu}
///   - {name: S2, op: maxpool, kernel: 2}
/// ```
///
/// It translates friendly op names (`conv`, `maxpool`, `dense`...) into ONNX
/// nodes with weight initializers; it computes no shapes or costs. Weight dims that
/// follow from the input (a conv's input channels, a dense layer's features) are
/// deferred to the op rules (``ConstantTensor/deferredAxes``), so the graph does not
/// depend on the input's size and an analysis can rebind the input without re-importing
/// (see ``SpecGraphBuilder`` for the ranks and channel counts translation needs).
public struct SpecImporter: StreamingImporter {
  /// Scales the channels of every conv and the units of every dense layer except the last
  /// such layer (the classifier's output), rounding to the nearest whole number (`--width-mult`).
  public var widthMultiplier: Double

  public init(widthMultiplier: Double = 1) {
    self.widthMultiplier = widthMultiplier
  }

  public var format: ModelFormat { .spec }

  /// A `.yaml`/`.yml`/`.json` file that is not a Keras model (no `class_name`
  /// near the top); from standard input, text that has a `layers` key near the top.
  public func recognizes(fileName: String, prefix: Data) -> Bool {
    if prefix.containsUTF8("class_name") || prefix.containsUTF8("keras_version") { return false }
    let lower = fileName.lowercased()
    if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".json") { return true }
    return fileName == "-" && prefix.containsUTF8("layers")
  }

  public func importGraph(from data: Data, fileName: String, directory: URL?) throws(ConvScopeError) -> Graph {
    try translate(data, fileName: fileName, stream: nil)
  }

  package func importGraph(from data: Data, fileName: String, directory: URL?, stream: GraphStream)
    throws(ConvScopeError) -> Graph
  {
    try translate(data, fileName: fileName, stream: stream)
  }

  /// The graph of `data`; streamed when `stream` is given (``SpecTranslator/translate(_:stream:)``).
  private func translate(_ data: Data, fileName: String, stream: GraphStream?) throws(ConvScopeError) -> Graph {
    guard let root = try SpecComposer.compose(data, fileName: fileName).rootNode else {
      throw ConvScopeError(file: fileName, message: "the file is empty; a spec needs `input:` and `layers:`")
    }
    return try SpecTranslator(file: fileName, widthMultiplier: widthMultiplier)
      .translate(root, stream: stream)
  }
}
