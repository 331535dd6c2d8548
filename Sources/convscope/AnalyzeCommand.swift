import ArgumentParser
import ConvScope

/// `convscope analyze FILE`: the per-layer report of one model.
struct AnalyzeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Report every layer's shapes, parameters, MACs, FLOPs and memory, and the totals.",
    discussion: """
      Shapes are shown in the model's layout (HWC for the seed article, NCHW for ONNX); \
      --layout changes that. --input-shape takes a shape as the report shows it \
      (64x64x1 for an HWC model) or in ONNX order (1x1x64x64). Symbolic dims are bound \
      by --input-shape, and a symbolic batch by --batch (default 1).

      Examples:
        convscope analyze Examples/seed-resnet.yaml
        convscope analyze model.onnx --input-shape input=1x3x224x224 -f csv -o out.csv
        convscope analyze model.onnx --dtype int8 --quiet
      """)

  @Argument(help: ArgumentHelp("The model file (`-` reads standard input).", valueName: "file"))
  var file: String

  @OptionGroup(title: "Model options")
  var model: ModelOptions

  @OptionGroup(title: "Output options")
  var output: OutputOptions

  func run() throws {
    try ErrorReporting.run { () throws(ConvScopeError) in
      var (graph, format) = try ModelLoader.standard.load(path: file)
      if let layout = model.layout { graph.layout = layout }
      let options = model.analysisOptions(for: graph, sourceName: file, format: format)
      let report = try Analyzer.analyze(graph, options: options)
      try output.write(try output.format.render(report, options: output.renderOptions))
    }
  }
}
