import ArgumentParser
import ConvScope

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Convention: ExpressibleByArgument {}
extension TrainingMemory.Optimizer: ExpressibleByArgument {}
extension TrainingMemory.Precision: ExpressibleByArgument {}

/// The extra analyses a report can carry: another tool's counting convention,
/// roofline bounds, a training-memory estimate, what-if sweeps.
struct PassOptions: ParsableArguments {
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
    if let widthMultiplier, !(widthMultiplier > 0 && widthMultiplier <= 64) {
      throw ValidationError("--width-mult must be a number in (0, 64], got \(widthMultiplier)")
    }
    if !train && (optimizer != .adam || precision != .fp32) {
      throw ValidationError("--optimizer and --precision need --train")
    }
  }

  /// The device profile `--device` names, if any.
  func deviceProfile() throws(ConvScopeError) -> DeviceProfile? {
    guard let device else { return nil }
    if let profile = DeviceProfile.builtIn(named: device) { return profile }
    guard FileManager.default.fileExists(atPath: device) else {
      let names = DeviceProfile.builtIn.map(\.name)
      let hint = NameSuggestion.hint(for: device, among: names)
      throw ConvScopeError(
        field: "--device",
        message: "no built-in device '\(device)' and no such profile file\(hint) (built-in: \(names.joined(separator: ", ")))")
    }
    let text: String
    do {
      text = try String(contentsOf: URL(fileURLWithPath: device), encoding: .utf8)
    } catch {
      throw ConvScopeError(file: device, message: "cannot read the device profile (\(error.localizedDescription))")
    }
    return try DeviceProfile.load(yaml: text, fileName: device)
  }

  /// The passes to run on a finished report.
  func reportPasses(device: DeviceProfile?) -> ReportPasses {
    ReportPasses(
      convention: convention, reconcile: reconcile, device: device,
      training: train ? (optimizer, precision) : nil,
      conventionOptions: ConventionOptions(infersTorchProvenance: !asStored))
  }

  /// The what-if sweep asked for: `--resolution` with several sizes, or `--batch` with several.
  func sweep(batches: [Int]) throws(ConvScopeError) -> (axis: Sweep.Axis, values: [Int])? {
    let resolutions = resolution?.values ?? []
    if !resolutions.isEmpty && batches.count > 1 {
      throw ConvScopeError(field: "--resolution", message: "sweep one thing at a time: --resolution or a --batch list")
    }
    if !resolutions.isEmpty { return (.resolution, resolutions) }
    if batches.count > 1 { return (.batch, batches) }
    return nil
  }
}
