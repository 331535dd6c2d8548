import ConvScope
import Foundation

/// Helpers for Keras importer tests: fixtures, inline configs and counts read off the graph.
enum KerasTesting {
  /// Imports `Tests/Fixtures/keras/NAME`.
  static func fixture(_ name: String) throws -> Graph {
    try KerasImporter().importGraph(from: Fixtures.data("keras/\(name)"), fileName: name, directory: nil)
  }

  /// Imports an inline JSON config.
  static func graph(_ json: String) throws -> Graph {
    try KerasImporter().importGraph(from: Data(json.utf8), fileName: "inline.json", directory: nil)
  }

  /// Elements of the float initializers, split as Keras counts them: trainable (no role or
  /// weight/bias) and non-trainable (statistics); configuration constants left out. The dims the
  /// importer deferred are counted as the analysis completes them at the declared input shapes.
  static func counts(_ graph: Graph) throws -> (trainable: Int, nonTrainable: Int) {
    var trainable = 0
    var nonTrainable = 0
    let completed = try Analyzer.completingWeights(graph)
    for (name, tensor) in completed.initializers where tensor.dataType.isFloatingPoint {
      switch graph.initializerRoles[name] {
      case .statistic?: nonTrainable += tensor.elementCount
      case .configuration?: continue
      default: trainable += tensor.elementCount
      }
    }
    return (trainable, nonTrainable)
  }

  /// The node named `name`.
  static func node(_ graph: Graph, _ name: String) -> Node? { graph.nodes.first { $0.name == name } }

  /// A one-input Sequential model (tf.keras 2 layout) around `layers` (JSON objects).
  static func sequential(input: String, _ layers: [String]) -> String {
    let inputLayer =
      #"{"class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": \#(input), "dtype": "float32"}}"#
    return
      #"{"class_name": "Sequential", "config": {"name": "m", "layers": [\#(([inputLayer] + layers).joined(separator: ", "))]}}"#
  }

  /// A layer object: `layer("Dense", "d", #""units": 4"#)`, with its `build_config` input shape
  /// when `input` is given (as Keras 2.13+ writes it for built layers).
  static func layer(_ className: String, _ name: String, _ config: String = "", input: String? = nil) -> String {
    let build = input.map { #", "build_config": {"input_shape": \#($0)}"# } ?? ""
    return
      #"{"class_name": "\#(className)", "config": {"name": "\#(name)"\#(config.isEmpty ? "" : ", " + config)}\#(build)}"#
  }
}
