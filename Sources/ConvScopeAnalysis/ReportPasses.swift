import ConvScopeCore
import ConvScopeReport
/// The optional passes a user asks for on top of the analysis (`--convention`,
/// `--reconcile`, `--device`, `--train`), applied to a finished report.
public struct ReportPasses: Sendable {
  /// The tool whose figures to show per layer and in total.
  public var convention: Convention?
  /// Every tool's figure side by side.
  public var reconcile: Bool
  /// The device for roofline bounds.
  public var device: DeviceProfile?
  /// The optimizer and precision of a training-memory estimate.
  public var training: (optimizer: TrainingMemory.Optimizer, precision: TrainingMemory.Precision)?
  /// How conventions read the graph.
  public var conventionOptions: ConventionOptions

  public init(
    convention: Convention? = nil, reconcile: Bool = false, device: DeviceProfile? = nil,
    training: (optimizer: TrainingMemory.Optimizer, precision: TrainingMemory.Precision)? = nil,
    conventionOptions: ConventionOptions = .init()
  ) {
    self.convention = convention
    self.reconcile = reconcile
    self.device = device
    self.training = training
    self.conventionOptions = conventionOptions
  }

  /// `report` with the requested sections filled in.
  public func apply(to report: Report) throws(ConvScopeError) -> Report {
    var report = report
    do {
      if let convention {
        let result = try convention.apply(to: report, options: conventionOptions)
        report.convention = result
        report.totals.convention = ConventionFigure(name: convention.rawValue, figure: result.figure, unit: result.unit)
        for i in report.layers.indices { report.layers[i].conventionFigure = result.layers[report.layers[i].name] }
      }
      if reconcile { report.reconciliation = try Convention.reconcile(report, options: conventionOptions) }
      if let training {
        report.memory.training = try TrainingMemory.estimate(
          report, optimizer: training.optimizer, precision: training.precision)
      }
    } catch {
      throw ConvScopeError(file: report.model.source, field: error.field, message: error.message)
    }
    if let device { report.roofline = try Roofline.analyze(report, on: device) }
    return report
  }
}
