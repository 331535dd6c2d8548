import ConvScopeAnalysis
import ConvScopeCore
import ConvScopeImporters
import ConvScopeReport

/// The one entry point: an ``AnalysisRequest`` in, a complete ``Report`` out.
///
/// The stages, in order: read the model once (``LoadedModel``); prepare the graph for the
/// mode (BatchNorm folded for `inference-fused`); bind the inputs and analyse
/// (``Analyzer``); turn the costs into a training step's for `training`; add the requested
/// sections (convention, reconciliation, training memory, roofline); re-run the same request
/// once per sweep value; collapse the rows to a module depth. Every number in the report is
/// computed here, so any front end (the CLI, a Swift program) shows the same report.
///
/// ```swift
/// var request = AnalysisRequest(model: .file("Examples/seed-resnet.yaml"))
/// request.mode = .training
/// request.sweep = SweepRequest(.batch, [1, 8])
/// let report = try Pipeline.report(for: request)
/// report.sweep?.rows[0].macs == report.totals.macs   // true: one mode for every figure
/// ```
public enum Pipeline {
  /// The report `request` asks for. Throws a located ``ConvScopeError`` for unreadable or
  /// invalid models and for requests that cannot be honoured whole (``AnalysisRequest/validate()``).
  public static func report(for request: AnalysisRequest) throws(ConvScopeError) -> Report {
    try request.validate()
    var (model, report) = try loadAndAnalyze(request)
    if let sweep = request.sweep {
      report.sweep = try rows(of: sweep, for: request, model: model)
    }
    if let depth = request.depth {
      report = try ModuleDepth.collapse(report, depth: depth)
    }
    return report
  }

  /// The model `request` names and its first analysis (``analyze(_:model:)``). A large spec is
  /// analysed while it is read: its importer hands the layers over from a thread of its own
  /// (``GraphStream``), with the same report and errors as a model read whole.
  static func loadAndAnalyze(_ request: AnalysisRequest) throws(ConvScopeError) -> (LoadedModel, Report) {
    switch try LoadedModel.start(request) {
    case .streaming(let stream, let format):
      // Refuses nothing a streamed format (a spec) can be asked, so it cannot come before an
      // import error here as it could not when the model is read whole.
      try LoadedModel.check(request, format: format)
      let (report, graph) = try Analyzer.analyze(stream) { (graph: inout Graph) throws(ConvScopeError) in
        LoadedModel.apply(request, to: &graph)
        return try options(request, graph: graph, format: format)
      }
      return (LoadedModel(name: request.model.name, format: format, graph: graph), try completed(report, request))
    case .loaded(let model):
      try LoadedModel.check(request, format: model.format)
      return (model, try analyze(request, model: model))
    }
  }

  /// One analysis of `model` under `request`, with every requested section but the sweep.
  static func analyze(_ request: AnalysisRequest, model: LoadedModel) throws(ConvScopeError) -> Report {
    var graph = model.graph
    var notes: [String] = []
    if request.mode == .inferenceFused {
      let (folded, count) = BatchNormFolding.fold(graph)
      graph = folded
      notes.append("mode inference-fused: \(count) BatchNorm\(count == 1 ? "" : "s") folded into the preceding conv")
    }
    let report = try Analyzer.analyze(graph, options: try options(request, graph: graph, format: model.format))
    return try completed(report, request, notes: notes)
  }

  /// The analysis options `request` asks for on `graph`.
  private static func options(_ request: AnalysisRequest, graph: Graph, format: ModelFormat?) throws(ConvScopeError)
    -> AnalysisOptions
  {
    AnalysisOptions(
      inputShapes: try InputBinding.onnxShapes(request, graph: graph), batch: request.batch,
      dataType: request.dataType, sourceName: request.model.name, format: format)
  }

  /// `report` as `request` asks for it: named, in its mode, with `notes` and every section but the sweep.
  private static func completed(_ report: Report, _ request: AnalysisRequest, notes: [String] = [])
    throws(ConvScopeError) -> Report
  {
    var notes = notes
    var report = report
    report.model.name = ModelName.display(graphName: report.model.name, source: request.model)
    if request.mode == .training { report = try TrainingCost.apply(to: report) }
    report.mode = request.mode
    if request.widthMultiplier != 1 {
      report.model.widthMultiplier = request.widthMultiplier
      notes.append(
        "width multiplier \(request.widthMultiplier): every hidden conv and dense "
          + "layer's channels scaled and rounded, the classifier output kept")
    }
    report.assumptions += notes
    return try sections(request, of: report)
  }

  /// `report` with the convention, reconciliation, training-memory and roofline sections asked for.
  private static func sections(_ request: AnalysisRequest, of report: Report) throws(ConvScopeError) -> Report {
    var report = report
    do {
      if let convention = request.convention {
        let result = try convention.apply(to: report, options: request.conventionOptions)
        report.convention = result
        report.totals.convention = ConventionFigure(name: result.convention, figure: result.figure, unit: result.unit)
        for i in report.layers.indices { report.layers[i].conventionFigure = result.layers[report.layers[i].name] }
      }
      if request.reconcile {
        report.reconciliation = try Convention.reconcile(report, options: request.conventionOptions)
      }
      if let training = request.training {
        report.memory.training = try TrainingMemory.estimate(
          report, optimizer: training.optimizer, precision: training.precision)
      }
    } catch {
      throw ConvScopeError(file: report.model.source, field: error.field, message: error.message)
    }
    if let device = try request.device?.profile(source: report.model.source) {
      report.roofline = try Roofline.analyze(report, on: device, dataType: request.dataType)
    } else if request.assumesDeviceForCharts {
      report.roofline = try Roofline.analyze(report, on: .defaultForCharts, dataType: request.dataType)
      report.roofline?.defaultDevice = true
    }
    return report
  }

  /// The sweep's rows: `request` re-run once per value with only the swept field changed.
  private static func rows(of sweep: SweepRequest, for request: AnalysisRequest, model: LoadedModel)
    throws(ConvScopeError) -> SweepSummary
  {
    var step = request
    step.sweep = nil
    step.convention = nil
    step.reconcile = false
    var rows: [Sweep.Row] = []
    var device: String?
    for value in sweep.values {
      switch sweep.axis {
      case .batch: step.batch = value
      case .resolution: step.resolution = value
      }
      let report: Report
      do {
        report = try analyze(step, model: model)
      } catch {
        var located = error
        located.message = "at \(sweep.axis.rawValue) \(value): \(error.message)"
        throw located
      }
      device = report.roofline?.device
      rows.append(
        Sweep.Row(
          value: value, params: report.totals.params, macs: report.totals.macs, flops: report.totals.flops,
          activationBytes: report.totals.activationBytes, peakActivationBytes: report.memory.peakActivationBytes,
          latencyLowerBoundSeconds: report.roofline?.latencyLowerBoundSeconds,
          trainingBytes: report.memory.training?.totalBytes))
    }
    return SweepSummary(axis: sweep.axis, device: device, rows: rows)
  }
}
