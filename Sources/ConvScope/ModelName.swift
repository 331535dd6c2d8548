import ConvScopeCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The name a report gives its model: the graph's own name, unless an exporter wrote a
/// generic one (every PyTorch export is `main_graph`), in which case the file's base name
/// (`resnet18` for `models/resnet18.onnx`). Standard input keeps the graph's name, or
/// `stdin` when that is generic too.
enum ModelName {
  /// Graph names exporters write whatever the model (lower-cased): torch.onnx (`main_graph`,
  /// `torch_jit`, `torch-jit-export`), tf2onnx, keras2onnx, Keras' defaults (`sequential`,
  /// `functional`, `model`, numbered `sequential_3` when several are built), and placeholders.
  static let generic: Set<String> = [
    "", "main_graph", "torch_jit", "torch-jit-export", "torch_jit_export", "tf2onnx", "keras2onnx",
    "onnx_graph", "graph", "main", "model", "net", "network", "untitled", "sequential", "functional",
  ]

  /// True when `name` says nothing about the model (`main_graph`, `torch_jit`, `sequential_2`, empty...).
  static func isGeneric(_ name: String) -> Bool {
    let lowered = trimmingBlanks(name).lowercased()
    return generic.contains(lowered) || generic.contains(String(unnumbered(lowered)))
  }

  /// `name` without the blanks at its ends: tabs and Unicode space separators (category Zs),
  /// what Foundation's `CharacterSet.whitespaces` holds.
  static func trimmingBlanks(_ name: String) -> Substring {
    func isBlank(_ scalar: Unicode.Scalar) -> Bool {
      scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }
    let scalars = name.unicodeScalars
    guard let first = scalars.firstIndex(where: { !isBlank($0) }),
      let last = scalars.lastIndex(where: { !isBlank($0) })
    else { return "" }
    return Substring(scalars[first...last])
  }

  /// `name` without a trailing `_` and ASCII digits (`sequential_3` → `sequential`).
  static func unnumbered(_ name: String) -> Substring {
    let utf8 = name.utf8
    let digits = utf8.reversed().prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
    guard digits > 0, utf8.count > digits,
      utf8[utf8.index(utf8.endIndex, offsetBy: -digits - 1)] == UInt8(ascii: "_")
    else { return Substring(name) }
    return Substring(utf8.dropLast(digits + 1))
  }

  /// The report's model name for a graph named `graphName` read from `source`.
  static func display(graphName: String, source: ModelSource) -> String {
    guard isGeneric(graphName) else { return graphName }
    switch source {
    case .file(let path): return baseName(path) ?? graphName
    case .data(_, let name), .graph(_, let name, _):
      return name == "-" || name.isEmpty ? (graphName.isEmpty ? "stdin" : graphName) : baseName(name) ?? graphName
    }
  }

  /// `resnet18` for `zoo/resnet18.onnx` and `cnn.mlpackage/`; nil when nothing is left.
  static func baseName(_ path: String) -> String? {
    let name = FileReading.baseName(of: path)
    return name.isEmpty ? nil : name
  }
}
