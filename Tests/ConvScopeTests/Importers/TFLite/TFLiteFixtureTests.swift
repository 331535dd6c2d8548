import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeReport

/// TFLite models end to end, on files TensorFlow's converter wrote (`Tests/Fixtures/tflite/`,
/// made by `Scripts/tflite-fixtures/make_tflite_fixtures.py`): every operator output's shape
/// against the shape stored in the file, the parameters against the stored weight elements
/// (each buffer once, through DEQUANTIZE and DENSIFY) and the Keras model's own count, the
/// conv, depthwise, transposed-conv and fully-connected MACs against the counts from the stored
/// shapes. The references were read with TensorFlow's generated FlatBuffers accessors, not
/// ConvScope's reader.
@Suite struct TFLiteFixtureTests {
  struct StoredTensor: Decodable {
    var shape: [Int]
  }

  struct Reference: Decodable {
    var tensors: [String: StoredTensor]
    var ops: [String: Int]
    var storedParams: Int
    var weightBytes: Int
    var macs: [Int]
    var kerasParams: Int
  }

  static let models = [
    "mobilenet_like_float32", "mobilenet_like_float16", "mobilenet_like_dynamic_int8", "mobilenet_like_int8",
    "mlp_float32", "mlp_float16", "mlp_dynamic_int8", "mlp_int8", "mlp_sparse", "mlp_sparse_float16",
    "fused_concat_float32", "fused_concat_float16", "fused_concat_int8", "split_unstack_float32",
  ]

  static func load(_ name: String) throws -> (reference: Reference, graph: Graph, report: Report) {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let reference = try decoder.decode(Reference.self, from: Fixtures.data("tflite/\(name).ref.json"))
    let path = Fixtures.url("tflite/\(name).tflite").path
    let (graph, format) = try ModelLoader.standard.load(path: path)
    #expect(format == .tflite)
    return (reference, graph, try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: path, format: .tflite)))
  }

  @Test(arguments: models)
  func everyOperatorOutputHasItsStoredShape(name: String) throws {
    let (reference, _, report) = try Self.load(name)
    #expect(report.unsupported.isEmpty, "\(report.unsupported)")
    #expect(report.layers.filter { !$0.supported }.isEmpty)
    let disagreements = report.layers.flatMap(\.warnings).filter { $0.contains("the file declares") }
    #expect(disagreements.isEmpty)
    var shapes: [String: Shape] = [:]
    for row in report.layers {
      for output in row.outputs { shapes[output.name] = output.displayShape }
    }
    #expect(!reference.tensors.isEmpty)
    for (tensor, stored) in reference.tensors.sorted(by: { $0.key < $1.key }) {
      #expect(shapes[tensor] == Shape(stored.shape.map(Dim.fixed)), "\(name): \(tensor)")
    }
  }

  /// Params are the stored weight elements, each buffer once: a float16 weight behind DEQUANTIZE
  /// and a sparse one behind DENSIFY count once, at their dense shape.
  @Test(arguments: models)
  func paramsAreTheStoredWeightElements(name: String) throws {
    let (reference, _, report) = try Self.load(name)
    #expect(report.totals.params == reference.storedParams)
  }

  /// The converter folds the stem's BatchNormalization (gamma, beta, mean, variance: 4 x 8
  /// values) into the stem conv as 8 biases; every other Keras parameter is stored as it is.
  @Test(arguments: models)
  func paramsAreTheKerasModelsOwn(name: String) throws {
    let (reference, _, report) = try Self.load(name)
    let folded = name.hasPrefix("mobilenet_like") ? 4 * 8 - 8 : 0
    #expect(report.totals.params == reference.kerasParams - folded)
  }

  /// Conv, depthwise, transposed-conv and fully-connected MACs, from the stored shapes.
  @Test(arguments: models)
  func weightedOpMacsAreTheCountsFromStoredShapes(name: String) throws {
    let (reference, _, report) = try Self.load(name)
    let weighted: Set<String> = ["Conv", "ConvTranspose", "Gemm", "MatMul"]
    let macs = report.layers.filter { weighted.contains($0.op) }.map(\.macs)
    #expect(macs.sorted() == reference.macs.sorted())
  }

  /// Weights count at their stored width: 4 bytes for float32, 2 for float16 (DEQUANTIZE folded
  /// into the weight), 1 for int8 plus the scales and zero points DequantizeLinear reads. (The
  /// dynamic-range converter leaves the small mobilenet_like in float32: it quantises only
  /// weights of 1,024 elements or more.)
  @Test(arguments: models)
  func weightBytesFollowTheStoredType(name: String) throws {
    let (reference, graph, report) = try Self.load(name)
    let quantized = graph.initializers.values.contains { [.int8, .uint8].contains($0.dataType) }
    #expect(quantized == (name.hasSuffix("int8") && name != "mobilenet_like_dynamic_int8"))
    if !quantized {
      #expect(report.totals.weightBytes == reference.weightBytes)
    } else {
      #expect(report.totals.weightBytes > reference.weightBytes)
      #expect(report.totals.weightBytes < reference.storedParams * 2)
    }
  }

  @Test func float16AndSparseWeightsAreFoldedNotRun() throws {
    for name in ["mobilenet_like_float16", "mlp_sparse_float16", "mlp_sparse"] {
      let (reference, graph, report) = try Self.load(name)
      #expect((reference.ops["DEQUANTIZE"] ?? 0) + (reference.ops["DENSIFY"] ?? 0) > 0)
      #expect(!graph.nodes.contains { ["Cast", "DequantizeLinear"].contains($0.opType) })
      #expect(graph.initializers.values.contains { $0.dataType == (name == "mlp_sparse" ? .float32 : .float16) })
      if name.hasPrefix("mlp_sparse") {
        let notes = graph.nodes.compactMap(\.note)
        #expect(notes.count == 3)
        #expect(notes.allSatisfy { $0.contains("stored sparse") && $0.contains("dense bytes") })
        _ = report
      }
    }
  }

  @Test func depthwiseConvsGetOneGroupPerChannelAndShowNHWC() throws {
    let (_, graph, report) = try Self.load("mobilenet_like_float32")
    #expect(graph.layout == .nhwc)
    let groups = graph.nodes.filter { $0.opType == "Conv" }.compactMap { $0.attributes["group"] }
    #expect(groups == [.int(1), .int(8), .int(1), .int(16), .int(1)])
    let dw2 = try #require(report.layers.first { $0.op == "Conv" && $0.outputs.first?.shape == Shape([1, 32, 7, 7]) })
    #expect(dw2.outputs.first?.displayShape == Shape([1, 7, 7, 32]))
    // depth multiplier 2: 16 channels in, 32 out, VALID 3x3 stride 2 on 16x16 → 7x7.
    #expect(dw2.macs == 7 * 7 * 32 * 3 * 3)
  }

  @Test func fusedActivationsAreSecondNodesOfTheSameLayer() throws {
    let (_, graph, _) = try Self.load("fused_concat_float32")
    let convs = graph.nodes.filter { $0.opType == "Conv" }
    #expect(convs.count == 2)
    for conv in convs {
      let activation = try #require(graph.nodes.first { $0.inputs.first == conv.outputs.first })
      #expect(["Relu", "Clip"].contains(activation.opType))
      #expect(activation.sourceLayer != nil && activation.sourceLayer == conv.sourceLayer)
    }
    #expect(graph.nodes.contains { $0.opType == "Conv" && $0.attributes["auto_pad"] == .string("SAME_UPPER") })
  }

  /// The stored shapes are declared shapes: an inferred shape that differs is a warning.
  @Test func aStoredShapeThatDisagreesWithInferenceIsAWarning() throws {
    var (_, graph, _) = try Self.load("mobilenet_like_float32")
    let gemm = try #require(graph.nodes.first { $0.opType == "Gemm" })
    let output = try #require(gemm.outputs.first)
    graph.valueInfo[output]?.shape = Shape([1, 11])
    let report = try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: "x.tflite", format: .tflite))
    let row = try #require(report.layers.first { $0.op == "Gemm" })
    #expect(row.warnings.contains { $0.contains("the file declares 1x11, inference gives 1x10") })
    #expect(row.outputs.first?.shape == Shape([1, 10]))
  }

  /// The files store batch 1; `--batch 4` carries through every layer (a Reshape keeps the
  /// input's batch), so every weighted op does 4 times the work.
  @Test(arguments: models)
  func aLargerBatchScalesTheMacs(name: String) throws {
    let (reference, graph, _) = try Self.load(name)
    var options = AnalysisOptions(sourceName: name, format: .tflite)
    options.batch = 4
    let report = try Analyzer.analyze(graph, options: options)
    #expect(report.totals.macs == 4 * reference.macs.reduce(0, +))
  }

  /// The report says once how a narrower stored type counts (int32 biases need no note).
  @Test func quantisedAndFloat16WeightsSayHowTheyCount() throws {
    let expected = [
      "mobilenet_like_int8": "stored quantised as int8: each counts as a parameter at 1 byte",
      "mlp_dynamic_int8": "stored quantised as int8: each counts as a parameter at 1 byte",
      "mlp_float16": "stored as float16 and dequantised by the graph: each counts once, at 2 bytes",
    ]
    for (name, text) in expected {
      let notes = try Self.load(name).graph.nodes.compactMap(\.note)
      #expect(notes.filter { $0.contains(text) }.count == 1, "\(name): \(notes)")
      #expect(!notes.contains { $0.contains("int32") })
    }
    #expect(try Self.load("mlp_float32").graph.nodes.allSatisfy { $0.note == nil })
  }

  /// A dynamic batch (`shape_signature` -1): the converter computes the reshape targets with
  /// SHAPE, GATHER, REDUCE_PROD and PACK, which fold once the batch is bound, so the file gives
  /// the batch-1 conversion's params and MACs, and 4 times the MACs at `--batch 4`. Shapes with
  /// only the batch dynamic are the stored ones (the others store placeholder 1s).
  @Test func aDynamicBatchFoldsItsShapeArithmetic() throws {
    let (reference, graph, report) = try Self.load("fused_concat_dynamic_float32")
    let (fixed, _, fixedReport) = try Self.load("fused_concat_float32")
    #expect(graph.inputs.first?.shape.dims.first == "N")
    #expect(report.unsupported.isEmpty && report.layers.filter { !$0.supported }.isEmpty)
    #expect(report.totals.params == fixed.storedParams)
    #expect(report.totals.macs == fixedReport.totals.macs)
    #expect(report.totals.macs == fixed.macs.reduce(0, +))
    for (ops, count) in [("SHAPE", 3), ("PACK", 3), ("REDUCE_PROD", 2)] { #expect(reference.ops[ops] == count) }
    var options = AnalysisOptions(sourceName: "dynamic", format: .tflite)
    options.batch = 4
    #expect(try Analyzer.analyze(graph, options: options).totals.macs == 4 * fixedReport.totals.macs)
  }
}
