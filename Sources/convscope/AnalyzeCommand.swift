import ArgumentParser
import ConvScope

/// `convscope analyze FILE`: the per-layer report of one model; `convscope analyze DIR` or
/// several files: a summary row per model (``ManyModels``).
struct AnalyzeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Report every layer's shapes, parameters, MACs, FLOPs and memory, and the totals.",
    discussion: """
      Shapes are shown in the model's layout (HWC for the seed article, NCHW for ONNX); \
      --layout changes that. --input-shape takes a shape as the report shows it \
      (64x64x1 for an HWC model) or in ONNX order (1x1x64x64); without the batch dim, \
      the declared batch is kept. Symbolic dims are bound by --input-shape, and the \
      batch by --batch (default 1).

      Several files or a folder (searched recursively for models; an .mlpackage is one \
      model) are analysed in parallel, with a progress bar on standard error when it is a \
      terminal, then summarised one row per model in any format; with --format html and \
      -o DIR, DIR/index.html links one report page per model. Model options apply to each \
      model. A model that fails is a row with its error; --strict makes that exit 1.

      Examples (files of the repository):
        convscope analyze Examples/seed-resnet.yaml --compact
        convscope analyze Tests/Fixtures/zoo/resnet18.onnx -o out.csv
        convscope analyze Tests/Fixtures/zoo/resnet18.onnx --dtype int8 --quiet
        convscope analyze Tests/Fixtures/zoo/resnet50.onnx --convention fvcore
        convscope analyze Tests/Fixtures/zoo/resnet50.onnx --reconcile --as-stored
        convscope analyze Tests/Fixtures/zoo/resnet50.onnx --device l4 --batch 1,8
        convscope analyze Examples/vgg16.yaml --resolution 160,224,320
        convscope analyze Examples/vgg16.yaml --train --precision amp --batch 32
        convscope analyze Examples/ Tests/Fixtures/folder --format markdown
        convscope analyze Tests/Fixtures/folder --format html -o reports/
      """)

  @Argument(
    help: ArgumentHelp(
      "The model file (`-` reads standard input); several files or a folder give a summary row per model.",
      valueName: "file"))
  var files: [String]

  @OptionGroup(title: "Model options")
  var model: ModelOptions

  @OptionGroup(title: "Extra analyses")
  var passes: PassOptions

  @OptionGroup(title: "Output options")
  var output: OutputOptions

  @Flag(help: "With several models: exit 1 when any of them fails (its row shows the error either way).")
  var strict = false

  @OptionGroup(title: "Layer rows")
  var rows: LayerRowOptions

  /// What these arguments ask for, as plain values.
  var settings: AnalyzeSettings {
    var request = AnalysisRequest(model: .file(files[0]))
    model.apply(to: &request)
    passes.apply(to: &request, batches: model.batch?.values ?? [])
    output.settings.apply(to: &request)
    rows.settings.apply(to: &request)
    return AnalyzeSettings(
      files: files, strict: strict, request: request, output: output.settings, rows: rows.settings)
  }

  func validate() throws {
    if passes.resolution != nil && (model.batch?.values.count ?? 0) > 1 {
      throw ValidationError("sweep one thing at a time: --resolution or a --batch list")
    }
    try settings.validate()
  }

  func run() async throws {
    try await settings.run()
  }
}
