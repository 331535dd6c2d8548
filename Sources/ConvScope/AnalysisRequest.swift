import ConvScopeAnalysis
import ConvScopeCore
import ConvScopeReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Everything one can ask of ConvScope about a model, as a value: which file, how to bind
/// its inputs, under which mode, batch and element type, and which extra sections the
/// report should carry. ``Pipeline/report(for:)`` turns it into a complete ``Report``;
/// the command-line tool only parses its flags into a request and renders the result.
///
/// ```swift
/// var request = AnalysisRequest(model: .file("resnet50.onnx"))
/// request.inputShapes = [InputBinding(shape: [1, 3, 224, 224])]
/// request.convention = .fvcore
/// let report = try Pipeline.report(for: request)
/// ```
///
/// Every figure of one report is computed under the same settings: a sweep re-runs this
/// request with one field changed. A combination that would be half-applied is refused
/// (``validate()``) with the field at fault.
public struct AnalysisRequest: Sendable, Hashable {
  /// The model to read.
  public var model: ModelSource
  /// Shapes that replace inputs' declared shapes (symbolic dims allowed, bound by `batch`).
  public var inputShapes: [InputBinding]
  /// The batch size: binds a symbolic leading dim (default 1) and replaces a fixed one.
  public var batch: Int?
  /// Every spatial axis of every input of rank 3 or more set to this size (a resolution sweep's step).
  public var resolution: Int?
  /// An element type that replaces every floating-point type.
  public var dataType: DataType?
  /// How the report writes shapes (default: the model's own layout).
  public var layout: TensorLayout?
  /// What the counts describe: inference as stored, inference with BatchNorm folded, or training.
  public var mode: AnalysisMode
  /// Roofline bounds on this device.
  public var device: DeviceChoice?
  /// With no `device`, put the layers on ``DeviceProfile/defaultForCharts`` anyway, marked as
  /// assumed (the HTML report's roofline chart).
  public var assumesDeviceForCharts: Bool
  /// A training-memory estimate with this optimizer and precision.
  public var training: TrainingSetup?
  /// The tool whose figures to show per layer and in total.
  public var convention: Convention?
  /// Every tool's figure side by side.
  public var reconcile: Bool
  /// How conventions read the graph (PyTorch history in ONNX names).
  public var conventionOptions: ConventionOptions
  /// Re-analyse at several batch sizes or resolutions.
  public var sweep: SweepRequest?
  /// Scales the hidden channels of a ConvScope spec (1 leaves them as written).
  public var widthMultiplier: Double
  /// Collapse the rows to this module depth (exporters' module paths), summing costs.
  public var depth: Int?

  /// A request for `model` with every option at its default: inference, batch 1 where
  /// symbolic, the stored element types, no extra sections.
  public init(model: ModelSource) {
    self.model = model
    inputShapes = []
    mode = .inference
    assumesDeviceForCharts = false
    reconcile = false
    conventionOptions = ConventionOptions()
    widthMultiplier = 1
  }
}

/// Where the model's bytes come from.
public enum ModelSource: Sendable, Hashable {
  /// A file; sibling files (ONNX external data) are looked up beside it, never outside its folder.
  case file(String)
  /// Bytes already read (standard input), with the name to show in the report and errors.
  case data(Data, name: String)
  /// A graph built in code (or imported by the caller), with the name to show and the
  /// format it was read from, if any.
  case graph(Graph, name: String, format: ModelFormat? = nil)

  /// The name shown in the report and in errors (`-` for standard input).
  public var name: String {
    switch self {
    case .file(let path): path
    case .data(_, let name), .graph(_, let name, _): name
    }
  }
}

/// One input's shape: `name` empty means "the only input". The shape may be written as the
/// report shows it (`224x224x3` for a channels-last model) or in ONNX order, with or without
/// the batch dim (see ``onnxShape(declared:layout:)``).
public struct InputBinding: Sendable, Hashable {
  /// The input's name; empty for "the only input".
  public var name: String
  /// The shape, symbolic dims allowed (`Nx3x224x224`), in the report's layout or ONNX order.
  public var shape: Shape

  /// A binding of input `name` (the only input when empty) to `shape`.
  public init(name: String = "", shape: Shape) {
    self.name = name
    self.shape = shape
  }
}

/// The device for roofline bounds.
public enum DeviceChoice: Sendable, Hashable {
  /// A built-in profile's name (`h100-sxm`, see ``DeviceProfile/builtIn``) or a YAML profile's path.
  case named(String)
  /// A profile given as a value.
  case profile(DeviceProfile)
}

/// The optimizer and precision of a training-memory estimate.
public struct TrainingSetup: Sendable, Hashable {
  /// The optimizer, whose state buffers the estimate counts.
  public var optimizer: TrainingMemory.Optimizer
  /// fp32, or amp (float16 activations, float32 master weights).
  public var precision: TrainingMemory.Precision

  /// Adam in float32 unless told otherwise.
  public init(optimizer: TrainingMemory.Optimizer = .adam, precision: TrainingMemory.Precision = .fp32) {
    self.optimizer = optimizer
    self.precision = precision
  }
}

/// A what-if sweep: the request re-run once per value with one field changed.
public struct SweepRequest: Sendable, Hashable {
  /// What changes: `batch` or `resolution`.
  public var axis: Sweep.Axis
  /// The values, in order; each must be positive.
  public var values: [Int]

  /// A sweep of `axis` over `values` (`SweepRequest(.batch, [1, 8, 64])`).
  public init(_ axis: Sweep.Axis, _ values: [Int]) {
    self.axis = axis
    self.values = values
  }
}
