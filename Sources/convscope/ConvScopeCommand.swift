import ArgumentParser
import ConvScope

/// `convscope`: the root command. `convscope FILE` runs `analyze`.
@main
struct ConvScopeCommand: ParsableCommand {
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

      Examples:
        convscope Examples/seed-resnet.yaml
        convscope model.onnx --input-shape 1x3x224x224 --format markdown -o report.md
        convscope model.onnx --input-shape images=Nx3x640x640 --batch 8 --dtype fp16
        cat model.onnx | convscope - --format json
        convscope compare Examples/vgg16.yaml vgg16-slim.yaml
        convscope devices
        convscope ops
      """,
    version: ConvScopeVersion.current,
    subcommands: [AnalyzeCommand.self, CompareCommand.self, DevicesCommand.self, LLMCommand.self, OpsCommand.self],
    defaultSubcommand: AnalyzeCommand.self)

  /// Parses the command line and runs the command; every failure ends as one
  /// `convscope: error:` line (``ErrorReporting/exit(_:)``).
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      ErrorReporting.exit(error)
    }
  }
}
