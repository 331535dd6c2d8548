import ArgumentParser
import ConvScope

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

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
    parsing: .unconditional,  // `--batch -1` is a wrong value, not a missing one
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

  /// `request` with these flags' fields: input shapes, batch (the first of a list; the list
  /// itself is a sweep, see ``PassOptions``), element type and layout.
  func apply(to request: inout AnalysisRequest) {
    request.inputShapes = inputShapes.map(\.binding)
    request.batch = batch?.values.first
    request.dataType = dtype
    request.layout = layout
  }
}

extension ModelSource {
  /// The model named on the command line: `-` is standard input, read once (up to
  /// ``ResourceLimits/standardInputBytes`` from a pipe; a redirected file is mapped).
  init(commandLine file: String) throws(ConvScopeError) {
    self = file == "-" ? .data(try ModelLoader.read(path: "-").data, name: "-") : .file(file)
  }
}
