import ArgumentParser
import ConvScope

/// `convscope ops`: every op type with a rule, and the rule in one line.
struct OpsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ops",
    abstract: "List every supported op type with its shape and cost rule.",
    discussion: "Op types are ONNX's; other formats' layers are mapped onto them when read.")

  func run() throws {
    let rules = OpRegistry.standard.all
    let width = rules.map(\.opType.count).max() ?? 0
    let lines = rules.map { entry in
      entry.opType + String(repeating: " ", count: width - entry.opType.count) + "  " + entry.rule.summary
    }
    Terminal.writeOutput(lines.map { $0 + "\n" }.joined())
  }
}
