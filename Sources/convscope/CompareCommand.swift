import ArgumentParser
import ConvScope

/// `convscope compare A B`: two models' totals side by side and the layers that differ.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare two models: totals side by side with ratios, and the layers that differ by name.",
    discussion: """
      Any two supported files (a spec and its slimmer variant, two ONNX exports...). \
      Ratios are second / first. Model options apply to both files.

      Examples:
        convscope compare Examples/vgg16.yaml Examples/mobilenet-v1.yaml
        convscope compare Examples/lenet5.yaml Examples/vgg16.yaml -o diff.md
      """)

  @Argument(help: ArgumentHelp("The first model file.", valueName: "first"))
  var first: String

  @Argument(help: ArgumentHelp("The second model file.", valueName: "second"))
  var second: String

  @OptionGroup(title: "Model options")
  var model: ModelOptions

  @OptionGroup(title: "Output options")
  var output: OutputOptions

  func validate() throws {
    if let sizes = model.batch?.values, sizes.count > 1 {
      throw ValidationError(
        "compare takes one --batch, not a list; a batch sweep is `convscope analyze FILE --batch 1,8,64`")
    }
    try CommandLineRequest.validate(request(for: .file(first)))
  }

  func run() throws {
    try ErrorReporting.run { () throws(ConvScopeError) in
      let comparison = Comparison(try analyze(first), try analyze(second))
      let output = output.settings
      try output.write(
        try ComparisonRenderer.render(comparison, format: output.format, options: output.renderOptions()))
    }
  }

  /// The library request for one of the two models.
  private func request(for source: ModelSource) -> AnalysisRequest {
    var request = AnalysisRequest(model: source)
    model.apply(to: &request)
    return request
  }

  private func analyze(_ file: String) throws(ConvScopeError) -> Report {
    try Pipeline.report(for: request(for: try ModelSource(commandLine: file)))
  }
}
