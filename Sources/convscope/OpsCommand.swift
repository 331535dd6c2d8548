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
        convscope ops --unsupported-in model.onnx
      """)

  @Option(
    name: .customLong("unsupported-in"),
    help: ArgumentHelp(
      "List the op types of this model that have no rule, with how many nodes use each.", valueName: "file"))
  var unsupportedIn: String?

  func run() throws {
    try ErrorReporting.run { () throws(ConvScopeError) in
      guard let unsupportedIn else {
        // An op of a custom domain is written `domain:Op`, as `--unsupported-in` writes it.
        let rules = OpRegistry.standard.all.map { entry in
          (name: entry.rule.domain.isEmpty ? entry.opType : "\(entry.rule.domain):\(entry.opType)", entry.rule)
        }
        let width = rules.map(\.name.count).max() ?? 0
        let lines = rules.map { entry in
          entry.name + String(repeating: " ", count: width - entry.name.count) + "  " + entry.1.summary
        }
        try Terminal.writeOutput(lines.map { $0 + "\n" }.joined())
        return
      }
      let graph = try ModelLoader.standard.load(path: unsupportedIn).graph
      let missing = OpRegistry.standard.unsupportedOps(in: graph)
      let text =
        missing.isEmpty
        ? "every op in \(unsupportedIn) has a rule\n"
        : missing.map { "\($0.op)  \($0.count)\n" }.joined()
      try Terminal.writeOutput(text)
    }
  }
}
