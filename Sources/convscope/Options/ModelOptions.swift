import ArgumentParser
import ConvScope

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A model file; standard input (`-`) is read once and kept.
struct ModelSource {
  let path: String
  let standardInput: Data?

  init(_ path: String) {
    self.path = path
    standardInput = path == "-" ? Terminal.readStandardInput() : nil
  }
}

/// How to read the model: input shapes, batch, element type and display layout.
struct ModelOptions: ParsableArguments {
  @Option(
    name: .customLong("input-shape"),
    help: ArgumentHelp(
      "An input's shape, NAME=1x3x224x224, or just the shape for a single-input model. "
        + "Repeatable; symbolic dims allowed (Nx3x224x224).",
      valueName: "shape"),
    transform: InputShapeArgument.init(parsing:))
  var inputShapes: [InputShapeArgument] = []

  @Option(
    help: ArgumentHelp(
      "The batch size: binds a symbolic leading dim (default 1), replaces a fixed one; "
        + "a list (1,8,64) re-analyses once per size (analyze only).",
      valueName: "n"),
    transform: IntListArgument.init(parsing:))
  var batch: IntListArgument?

  @Option(
    help: ArgumentHelp(
      "The element type of activations and weights: float32, float16, bfloat16, float64, int8, uint8... "
        + "(also fp32, fp16, bf16, half).",
      valueName: "type"),
    transform: { name throws(ValidationError) in
      guard let type = DataType(userName: name) else {
        throw ValidationError("unknown element type '\(name)'; try float32, float16, bfloat16, int8")
      }
      return type
    })
  var dtype: DataType?

  @Option(
    help: ArgumentHelp("How shapes are shown: NCHW, NHWC, CHW or HWC (default: the model's own).", valueName: "layout"),
    transform: { name throws(ValidationError) in
      guard let layout = TensorLayout(userName: name) else {
        throw ValidationError("unknown layout '\(name)'; expected NCHW, NHWC, CHW or HWC")
      }
      return layout
    })
  var layout: TensorLayout?

  func validate() throws {
    var seen: Set<String> = []
    for shape in inputShapes where !seen.insert(shape.name).inserted {
      throw ValidationError(
        shape.name.isEmpty ? "--input-shape without a name is given twice" : "--input-shape gives '\(shape.name)' twice"
      )
    }
  }

  /// Reads `source` (with `spec` as the spec importer, for its width multiplier) and applies
  /// `--layout`. `--input-shape` is not an import option: ``analysisOptions(for:sourceName:format:)``
  /// binds it, since no graph depends on its input's size.
  func load(_ source: ModelSource, spec: SpecImporter = SpecImporter()) throws(ConvScopeError) -> (
    graph: Graph, format: String
  ) {
    let loader = ModelLoader.standard.with(spec: spec)
    var (graph, format) =
      if let data = source.standardInput {
        try loader.load(data: data, fileName: source.path, directory: nil)
      } else {
        try loader.load(path: source.path)
      }
    if let layout { graph.layout = layout }
    return (graph, format)
  }

  /// The analysis options these flags ask for on `graph`, with each `--input-shape`
  /// read in the layout the report shows (see ``InputShapeArgument/onnxShape(declared:layout:)``).
  func analysisOptions(for graph: Graph, sourceName: String, format: String) -> AnalysisOptions {
    let declared = Dictionary(graph.inputs.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
    let only = graph.inputs.count == 1 ? graph.inputs.first?.shape : nil
    let shapes = inputShapes.map { argument in
      let input = argument.name.isEmpty ? only : declared[argument.name]
      return (argument.name, input.map { argument.onnxShape(declared: $0, layout: graph.layout) } ?? argument.shape)
    }
    return AnalysisOptions(
      inputShapes: Dictionary(shapes, uniquingKeysWith: { first, _ in first }),
      batch: batch?.values.first, dataType: dtype, sourceName: sourceName, format: format)
  }
}
