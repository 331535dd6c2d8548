import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters

/// Dims an exporter leaves open (`dim_value` -1, no value, an empty `dim_param`) import as
/// symbolic dims named after their input, which `--input-shape` binds.
@Suite struct ONNXDynamicDimTests {
  /// Conv 3→4 channels, 3x3, no padding, on `images.1` declared `-1x3x-1x?`; `w` has dims only.
  static let convModel = ONNXBytes.model(
    ONNXBytes.graph(
      nodes: [ONNXBytes.node("Conv", ["images.1", "w"], ["y"], name: "conv")],
      inputs: [ONNXBytes.valueInfo("images.1", dims: [.fixed(-1), 3, .fixed(-1), .unknown])],
      outputs: [ONNXBytes.valueInfo("y", dims: [.fixed(-1), 4, .fixed(-1), .fixed(-7)])],
      initializers: [ONNXBytes.tensor("w", dims: [4, 3, 3, 3])]))

  @Test func openDimsOfAnInputAreNamedAfterIt() throws {
    let graph = try ONNXImporter().importGraph(from: Self.convModel.data, fileName: "dyn.onnx", directory: nil)
    #expect(graph.inputs.map(\.shape) == [["images_1_dim0", 3, "images_1_dim2", "images_1_dim3"]])
    // Declared values that are not graph inputs keep their open dims unknown.
    #expect(graph.valueInfo["y"]?.shape == [.unknown, 4, .unknown, .unknown])
  }

  @Test func zeroIsASizeAndAnEmptyParamIsOpen() throws {
    // A `Dimension` with an empty dim_param (field 2), which `ONNXBytes.valueInfo(_:dims:)` never writes.
    var emptyParam = ProtoBytes()
    emptyParam.string(2, "")
    let model = ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [],
        inputs: [ONNXBytes.valueInfo("a", dims: [2, 0]), ONNXBytes.valueInfo("b", dimensions: [emptyParam])],
        outputs: []))
    let graph = try ONNXImporter().importGraph(from: model.data, fileName: "dyn.onnx", directory: nil)
    #expect(graph.inputs.map(\.shape) == [[2, 0], ["b_dim0"]])
  }

  @Test func boundByInputShapeItAnalyses() throws {
    var request = AnalysisRequest(model: .data(Self.convModel.data, name: "dyn.onnx"))
    request.inputShapes = [InputBinding(name: "images.1", shape: [2, 3, 10, 12])]
    let report = try Pipeline.report(for: request)
    // Y is 2x4x8x10 (10-3+1, 12-3+1); each output element takes 3*3*3 multiply-adds.
    #expect(report.outputs.map(\.shape) == [[2, 4, 8, 10]])
    #expect(report.totals.macs == 2 * 4 * 8 * 10 * 27)
    #expect(report.totals.params == 4 * 3 * 3 * 3)
  }

  @Test func unboundTheErrorGivesAShapeInputShapeReads() throws {
    let request = AnalysisRequest(model: .data(Self.convModel.data, name: "dyn.onnx"))
    #expect {
      try Pipeline.report(for: request)
    } throws: { error in
      let message = (error as? ConvScopeError)?.message ?? ""
      // The batch dim is bound to 1; the others are named as `--input-shape` reads names.
      return message == "dim 2 ('images_1_dim2') is unknown; give its size in the input's shape: "
        + "--input-shape images.1=1x3ximages_1_dim2ximages_1_dim3"
    }
  }

  @Test func theHintSeparatesByCommasWhenANameHoldsAnX() {
    let input = TensorInfo(name: "x", shape: [1, "p2o.DynamicDimension.1", .unknown, "W"])
    #expect(SymbolBinding.argument(input) == "1,p2o_DynamicDimension_1,x_dim2,W")
    #expect(SymbolBinding.argument(TensorInfo(name: "in", shape: [1, "H", "W"])) == "1xHxW")
  }

  @Test func symbolNamesAreWhatTheShapeParserReads() {
    #expect(Dim.symbolName(from: "p2o.DynamicDimension.1") == "p2o_DynamicDimension_1")
    #expect(Dim.symbolName(from: "input:0") == "input_0")
    #expect(Dim.symbolName(from: "0") == "_0")
    #expect(Dim.symbolName(from: "") == "_")
    #expect(Dim.isSymbolName("max_len") && !Dim.isSymbolName("a.b") && !Dim.isSymbolName("1a"))
  }
}
