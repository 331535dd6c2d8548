import ArgumentParser
import ConvScope

extension Convention: ExpressibleByArgument {}
extension AnalysisMode: ExpressibleByArgument {}
extension TrainingMemory.Optimizer: ExpressibleByArgument {}
extension TrainingMemory.Precision: ExpressibleByArgument {}

/// The extra analyses a report can carry: another tool's counting convention,
/// roofline bounds, a training-memory estimate, what-if sweeps.
struct PassOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "inference: the graph as stored; inference-fused: BatchNorm folded into the preceding conv, as deployed; "
        + "training: forward + backward per layer."))
  var mode: AnalysisMode = .inference

  @Option(help: "Show the figures this tool would print, per layer and in total.")
  var convention: Convention?

  @Flag(help: "Show every tool's figure side by side, with what each counts or omits.")
  var reconcile = false

  @Flag(
    name: .customLong("as-stored"),
    help: "Count an ONNX graph as stored, without reading the PyTorch history its names keep (folded BatchNorms).")
  var asStored = false

  @Option(
    help: ArgumentHelp(
      "Roofline bounds on a device: a built-in name (see `convscope devices`) or a YAML profile file.",
      valueName: "device"))
  var device: String?

  @Flag(help: "Estimate one training step's memory (with --optimizer, --precision, --batch).")
  var train = false

  @Option(help: "The optimizer for --train.")
  var optimizer: TrainingMemory.Optimizer = .adam

  @Option(help: "The training precision for --train (amp: float16 activations, float32 master weights).")
  var precision: TrainingMemory.Precision = .fp32

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Re-analyse at these input resolutions (every spatial axis): 160,224,320.", valueName: "sizes"),
    transform: IntListArgument.init(parsing:))
  var resolution: IntListArgument?

  @Option(
    name: .customLong("width-mult"),
    help: ArgumentHelp(
      "Scale the channels of a spec's hidden layers (every conv and dense but the classifier output).",
      valueName: "x"))
  var widthMultiplier: Double?

  func validate() throws {
    if !train && (optimizer != .adam || precision != .fp32) {
      throw ValidationError("--optimizer and --precision need --train")
    }
  }

  /// `request` with the passes these flags ask for; `batches` is `--batch` (a list is a sweep).
  /// A `--resolution` list wins over a `--batch` list; the command refuses both at once.
  func apply(to request: inout AnalysisRequest, batches: [Int]) {
    request.mode = mode
    request.convention = convention
    request.reconcile = reconcile
    request.conventionOptions = ConventionOptions(infersTorchProvenance: !asStored)
    request.device = device.map(DeviceChoice.named)
    request.training = train ? TrainingSetup(optimizer: optimizer, precision: precision) : nil
    request.widthMultiplier = widthMultiplier ?? 1
    let resolutions = resolution?.values ?? []
    if batches.count > 1 { request.sweep = SweepRequest(.batch, batches) }
    if !resolutions.isEmpty { request.sweep = SweepRequest(.resolution, resolutions) }
  }
}
