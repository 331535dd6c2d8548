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
        convscope analyze resnet50.onnx --convention fvcore
        convscope analyze resnet50.onnx --reconcile --quiet
        convscope analyze resnet50.onnx --device h100-sxm --batch 1,8,64
        convscope analyze Examples/vgg16.yaml --resolution 160,224,320
        convscope analyze Examples/vgg16.yaml --train --optimizer adamw --precision amp --batch 32
      """)

  @Argument(help: ArgumentHelp("The model file (`-` reads standard input).", valueName: "file"))
  var file: String

  @OptionGroup(title: "Model options")
  var model: ModelOptions

  @OptionGroup(title: "Extra analyses")
  var passes: PassOptions

  @OptionGroup(title: "Output options")
  var output: OutputOptions

  func run() throws {
    try ErrorReporting.run { () throws(ConvScopeError) in
      let width = passes.widthMultiplier ?? 1
      let loader = ModelLoader.standard.with(spec: SpecImporter(widthMultiplier: width))
      var (graph, format) = try loader.load(path: file)
      if width != 1 && format != "spec" {
        throw ConvScopeError(file: file, field: "--width-mult", message: "applies to ConvScope specs only, not \(format)")
      }
      if let layout = model.layout { graph.layout = layout }
      let options = model.analysisOptions(for: graph, sourceName: file, format: format)
      let device = try passes.deviceProfile()
      var report = try passes.reportPasses(device: device).apply(to: try Analyzer.analyze(graph, options: options))
      if let (axis, values) = try passes.sweep(batches: model.batch?.values ?? []) {
        let layout = graph.layout
        let rebuild = { (shapes: [String: Shape]) throws(ConvScopeError) -> Graph in
          var resized = try ModelLoader.standard.with(spec: SpecImporter(inputOverrides: shapes, widthMultiplier: width))
            .load(path: file).graph
          resized.layout = layout
          return resized
        }
        let rows = try Sweep.run(
          graph, axis: axis, values: values, options: options, device: device,
          rebuild: format == "spec" && file != "-" ? rebuild : nil)
        report.sweep = SweepSummary(axis: axis, device: device?.name, rows: rows)
      }
      try output.write(try output.format.render(output.shaped(report), options: output.renderOptions))
    }
  }
}
