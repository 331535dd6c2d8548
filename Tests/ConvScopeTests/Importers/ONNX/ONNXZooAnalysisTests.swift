import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// Import + analysis end to end on real exports: every tensor's shape against
/// onnx shape inference (equal to an onnxruntime run), and the parameter count
/// against the exporter's reconciliation of the ONNX file with the torch model.
@Suite struct ONNXZooAnalysisTests {
  /// Every tensor's shape in a report: the inputs and every layer's outputs.
  static func shapes(in report: Report) -> [String: Shape] {
    var shapes: [String: Shape] = [:]
    for input in report.inputs { shapes[input.name] = input.shape }
    for row in report.layers where row.supported {
      for output in row.outputs { shapes[output.name] = output.shape }
    }
    return shapes
  }

  @Test(arguments: ZooReference.models)
  func everyTensorShapeMatchesShapeInference(name: String) throws {
    let reference = try ZooReference(name)
    let report = try Analyzer.analyze(
      reference.model().graph, options: AnalysisOptions(sourceName: reference.path, format: .onnx))
    #expect(report.unsupported.isEmpty, "\(report.unsupported)")
    let shapes = Self.shapes(in: report)
    for (tensor, dims) in reference.shapes.tensors.sorted(by: { $0.key < $1.key }) {
      #expect(shapes[tensor] == Shape(dims), "\(name): \(tensor)")
    }
  }

  @Test(arguments: ZooReference.models)
  func paramsAreTheLearnableInitializerElements(name: String) throws {
    let reference = try ZooReference(name)
    let report = try Analyzer.analyze(reference.model().graph, options: AnalysisOptions(sourceName: reference.path))
    let reconciliation = reference.meta.onnxVsTorchParams
    // The file's initializers, less what is not learnable: integer constants, and the
    // running mean and variance (2C) of each BatchNormalization kept in the graph.
    let learnable =
      reconciliation.onnxInitializerElements - reconciliation.nonFloatInitializerElements
      - 2 * reconciliation.bnChannelsKeptAsBatchNormalization
    #expect(report.totals.params == learnable)
  }

  @Test func resNet50ParamsAreTorchsLessTheFoldedBatchNorms() throws {
    // torch counts 25,557,032; the exporter folded 26,560 BN channels into conv biases
    // (gamma and beta, 2C, became one bias C), so the file holds C fewer per channel.
    let report = try Analyzer.analyze(try ZooReference("resnet50").model().graph)
    #expect(report.totals.params == 25_557_032 - 26_560)
  }
}

/// The onnx package's "light" models, analysed: the output shape we infer is
/// the shape of the expected output tensor stored next to each model.
@Suite struct ONNXLightAnalysisTests {
  @Test(arguments: ONNXLightImportTests.models)
  func outputShapeMatchesTheExpectedOutputTensor(name: String) throws {
    let path = Fixtures.url("onnx-light/light_\(name).onnx").path
    let (graph, _) = try ModelLoader.standard.load(path: path)
    let report = try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: path))
    #expect(report.unsupported.isEmpty, "\(report.unsupported)")
    let output = try #require(graph.outputs.first?.name)
    let shapes = ONNXZooAnalysisTests.shapes(in: report)
    #expect(shapes[output] == Shape(try ONNXLightImportTests.outputDims(name)))
  }
}
