import ConvScopeAnalysis
import ConvScopeCore
import ConvScopeImporters
import ConvScopeReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What the `llm` view is asked for: a model file and the options of its figures.
public struct LanguageModelRequest: Sendable {
  /// The model's path: a spec with a `transformer:` block, a GGUF or safetensors weights file
  /// (its header: docs/gguf-safetensors.md), or a graph (ONNX, `.pt2`, ...) whose transformer
  /// shape is recovered.
  public var path: String
  /// The figures' options (the device is chosen by ``device``).
  public var options: LanguageModelOptions
  /// The device for the roofline by name or path; when set, it replaces `options.device`.
  public var device: DeviceChoice?

  /// Creates a request.
  public init(path: String, options: LanguageModelOptions = LanguageModelOptions(), device: DeviceChoice? = nil) {
    self.path = path
    self.options = options
    self.device = device
  }
}

/// The `llm` view's entry point: reads the model, finds its ``TransformerShape`` and hands it
/// to ``LanguageModelAnalysis``.
public enum LanguageModelPipeline {
  /// The report `request` asks for.
  public static func report(for request: LanguageModelRequest) throws(ConvScopeError) -> LanguageModelReport {
    var options = request.options
    if let device = request.device { options.device = try device.profile(source: request.path) }
    try options.validate()
    let name = URL(fileURLWithPath: request.path).lastPathComponent
    let lower = request.path.lowercased()
    if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".json") {
      let data: Data
      do {
        data = try Data(contentsOf: URL(fileURLWithPath: request.path), options: .mappedIfSafe)
      } catch {
        throw ConvScopeError(file: request.path, message: "cannot read the file: \(FileReading.describe(error))")
      }
      if let shape = try SpecTransformer.shape(from: data, fileName: request.path) {
        return try LanguageModelAnalysis.report(
          model: name, source: "spec transformer block", shape: shape, options: options)
      }
    }
    // A weights file's header (GGUF, safetensors) goes to
    // `LanguageModelAnalysis.report(model:header:options:)` before the graph is tried.
    let (data, directory) = try ModelLoader.read(path: request.path)
    if LanguageModelHeaderReader.format(prefix: data.prefix(16)) != nil {
      // A GGUF or safetensors weights file: its header's tensor table and shape (no data read).
      let header = try LanguageModelHeaderReader.read(data: data, fileName: request.path, directory: directory)
      return try LanguageModelAnalysis.report(model: name, header: header, options: options)
    }
    return try graphReport(request, name: name, options: options)
  }

  /// The report for a graph: analysed as `analyze` would, its shape recovered from the
  /// analysed dims, its parameters exact from its stored weights.
  private static func graphReport(_ request: LanguageModelRequest, name: String, options: LanguageModelOptions)
    throws(ConvScopeError) -> LanguageModelReport
  {
    let analysis = AnalysisRequest(model: .file(request.path))
    let (model, report) = try Pipeline.loadAndAnalyze(analysis)
    var dims: [String: [Int]] = [:]
    for row in report.layers {
      for output in row.outputs {
        let values = output.shape.dims.map(\.value)
        if !values.contains(nil) { dims[output.name] = values.compactMap { $0 } }
      }
    }
    let recovery = TransformerRecovery.recover(model.graph, dims: dims)
    var notes = recovery.notes
    if !report.unsupported.isEmpty {
      let ops = report.unsupported.map(\.op).joined(separator: ", ")
      notes.append("ops without a rule (their outputs were not analysed): \(ops)")
    }
    let source = "\(model.format?.rawValue ?? "graph") graph"
    return try LanguageModelAnalysis.report(
      model: name, source: source, shape: recovery.shape, weights: recovery.weights, notes: notes, options: options)
  }
}
