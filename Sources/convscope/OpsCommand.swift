import ArgumentParser
import ConvScope

/// `convscope ops`: every op type with a rule, and the rule in one line; or, with
/// `--unsupported-in FILE`, the ops of a model that have no rule.
struct OpsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ops",
    abstract: "List every supported op type with its shape and cost rule, or a model's unsupported ops.",
    discussion: """
      Op types are ONNX's; other formats' layers are mapped onto them when read.

      Examples:
        convscope ops
        convscope ops --unsupported-in Tests/Fixtures/zoo/resnet18.onnx
        convscope ops --format json
      """)

  @Option(
    name: .customLong("unsupported-in"),
    help: ArgumentHelp(
      "List the op types of this model that have no rule, with how many nodes use each.", valueName: "file"))
  var unsupportedIn: String?

  @Option(
    name: [.customShort("f"), .long],
    help:
      "table (summaries wrapped to the terminal's width) or json ([{op, summary}]; with --unsupported-in, [{op, count}])."
  )
  var format: ListFormat = .table

  func run() throws {
    try ErrorReporting.run { () throws(ConvScopeError) in
      guard let unsupportedIn else {
        let entries = OpListRenderer.entries(of: OpRegistry.standard)
        try Terminal.writeOutput(
          format == .json
            ? OpListRenderer.json(entries)
            : OpListRenderer.render(entries, options: RenderOptions(width: Terminal.width)))
        return
      }
      let graph = try ModelLoader.standard.load(path: unsupportedIn).graph
      let missing = OpRegistry.standard.unsupportedOps(in: graph)
      try Terminal.writeOutput(
        format == .json
          ? OpListRenderer.json(missing) : OpListRenderer.render(unsupported: missing, model: unsupportedIn))
    }
  }
}
