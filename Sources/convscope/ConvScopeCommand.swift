import ArgumentParser
import CAllocatorTuning
import ConvScope

/// `convscope`: the root command. `convscope FILE` runs `analyze`.
@main
struct ConvScopeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convscope",
    abstract:
      "Shapes, parameters, MACs/FLOPs and memory of a neural network, layer by layer, "
      + "with the formula behind every number.",
    discussion: """
      Reads a model file, infers every tensor's shape and counts each layer's cost. \
      `convscope FILE` is short for `convscope analyze FILE`. Formats: ONNX (.onnx), \
      PyTorch torch.export archives (.pt2), \
      Keras (.keras, model JSON), Caffe (.prototxt), Core ML (.mlmodel, .mlpackage), TFLite (.tflite) \
      and ConvScope specs (.yaml, .json).

      The table fits the terminal (COLUMNS, else its width, else 100 columns); \
      --wide shows everything, --compact one line per layer.

      Examples (files of the repository):
        convscope Examples/seed-resnet.yaml
        convscope Tests/Fixtures/zoo/resnet18.onnx --input-shape 1x3x160x160
        convscope Tests/Fixtures/zoo/resnet18.onnx --batch 8 --dtype fp16 -o r.md
        cat Tests/Fixtures/zoo/resnet18.onnx | convscope - --format json
        convscope compare Examples/vgg16.yaml Examples/mobilenet-v1.yaml
        convscope devices
        convscope calibrate -o this-machine.yaml
        convscope ops
      """,
    version: ConvScopeVersion.current,
    subcommands: [
      AnalyzeCommand.self, CompareCommand.self, DevicesCommand.self, LLMCommand.self, OpsCommand.self,
      CalibrateCommand.self,
    ],
    defaultSubcommand: AnalyzeCommand.self)

  /// Parses the command line and runs the command (`analyze` is async: it may analyse many
  /// models in parallel); every failure ends as one
  /// `convscope: error:` line (``ErrorReporting/exit(_:)``).
  static func main() async {
    convscope_tune_allocator()
    do {
      if let analyze = analyzeSettings(Array(CommandLine.arguments.dropFirst())) {
        if analyze.isMany { try await analyze.run() } else { try analyze.runOneAndExit() }
        return
      }
      var command = try parseAsRoot()
      if var many = command as? AsyncParsableCommand {
        try await many.run()
      } else {
        try command.run()
      }
    } catch {
      ErrorReporting.exit(unknownOption(behind: error) ?? error)
    }
  }

  /// What `analyze` is asked by these arguments, read without the root command, or nil
  /// when they name another subcommand or `analyze` alone cannot parse them (help,
  /// `--version`, completion scripts, any mistake: ``parseAsRoot(_:)`` then parses again,
  /// and prints what it always printed).
  ///
  /// For start-up time: the argument parser reflects on every command it considers. Common
  /// lines are read by ``AnalyzeShortcut`` without it; the others by `analyze`'s parser
  /// alone, which costs about 3 ms less than parsing from the root (`Benchmarks/startup.sh`).
  static func analyzeSettings(_ arguments: [String]) -> AnalyzeSettings? {
    var arguments = arguments
    if arguments.first == AnalyzeCommand._commandName {
      arguments.removeFirst()
    } else if let first = arguments.first, otherSubcommands.contains(first) {
      return nil
    }
    return AnalyzeShortcut.settings(arguments) ?? (try? AnalyzeCommand.parse(arguments))?.settings
  }

  /// The names that select a subcommand other than `analyze` (and the parser's `help`).
  private static let otherSubcommands: Set<String> = Set(
    configuration.subcommands.map { $0._commandName }.filter { $0 != AnalyzeCommand._commandName } + ["help"])

  /// The parser's error for an unknown option that a missing file hid: `convscope --bogus`
  /// is parsed as `analyze` without its file (`compare --bogus`, without its two), which the
  /// parser reports first. Parsed again with stand-in files, an unknown option shows; any
  /// other error keeps the first message.
  private static func unknownOption(behind error: any Error) -> (any Error)? {
    guard message(for: error).hasPrefix("Missing expected argument") else { return nil }
    var arguments = Array(CommandLine.arguments.dropFirst())
    for _ in 1...2 {
      arguments.append("model.onnx")
      do {
        _ = try parseAsRoot(arguments)
        return nil
      } catch {
        if message(for: error).hasPrefix("Unknown option") { return error }
        guard message(for: error).hasPrefix("Missing expected argument") else { return nil }
      }
    }
    return nil
  }
}
