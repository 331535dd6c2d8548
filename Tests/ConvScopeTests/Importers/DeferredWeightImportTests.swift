import ConvScope
import Foundation
import Testing

/// Every importer that cannot read a weight's input-sized dims from its file (a spec's dense
/// layer, a Caffe InnerProduct, a Keras Dense after Flatten, and the convolutions' input
/// channels) defers them: the model is imported once and analysed at any input shape.
///
/// Each case is the same network: a 3x3 valid conv with 4 filters on a 3-channel side x side
/// image, then a 10-unit fully connected layer reading the flattened `4 * (side-2)^2` features.
@Suite("Importers: weights sized by the analysis")
struct DeferredWeightImportTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let format: String
    /// The model with a side x side input.
    let text: @Sendable (_ side: Int) -> String
    let importer: any ModelImporter
    let fileName: String
    /// The conv and dense rows, and their weights with the dims the importer defers.
    let conv: String, dense: String
    let deferred: [String: Shape]
    /// The input's name and its ONNX-order shape at a given side.
    let input: String
    let shape: @Sendable (_ side: Int) -> Shape

    var testDescription: String { format }

    func graph(side: Int) throws -> Graph {
      try importer.importGraph(from: Data(text(side).utf8), fileName: fileName, directory: nil)
    }
  }

  static let cases: [Case] = [
    Case(
      format: "spec",
      text: { side in
        """
        input: {shape: [1, 3, \(side), \(side)]}
        layers:
          - {name: c, op: conv, filters: 4, kernel: 3}
          - {name: fc, op: dense, units: 10}
        """
      },
      importer: SpecImporter(), fileName: "net.yaml", conv: "c", dense: "fc",
      deferred: ["c.weight": [4, .deferred, 3, 3], "fc.weight": [.deferred, 10]],
      input: "input", shape: { [1, 3, .fixed($0), .fixed($0)] }),
    Case(
      format: "caffe",
      text: { side in
        """
        input: "data"
        input_shape { dim: 1 dim: 3 dim: \(side) dim: \(side) }
        layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
          convolution_param { num_output: 4 kernel_size: 3 } }
        layer { name: "ip" type: "InnerProduct" bottom: "conv" top: "ip" inner_product_param { num_output: 10 } }
        """
      },
      importer: CaffeImporter(), fileName: "deploy.prototxt", conv: "conv", dense: "ip",
      deferred: ["conv.weight": [4, .deferred, 3, 3], "ip.weight": [10, .deferred]],
      input: "data", shape: { [1, 3, .fixed($0), .fixed($0)] }),
    Case(
      format: "keras",
      text: { side in
        KerasTesting.sequential(
          input: "[null, \(side), \(side), 3]",
          [
            KerasTesting.layer("Conv2D", "c", #""filters": 4, "kernel_size": [3, 3], "data_format": "channels_last""#),
            KerasTesting.layer("Flatten", "f"),
            KerasTesting.layer("Dense", "d", #""units": 10"#),
          ])
      },
      importer: KerasImporter(), fileName: "inline.json", conv: "c", dense: "d",
      deferred: ["c.kernel": [4, .deferred, 3, 3], "d.kernel": [.deferred, 10]],
      input: "in", shape: { ["N", 3, .fixed($0), .fixed($0)] }),
  ]

  @Test(arguments: cases)
  func theDenseLayerFollowsTheInputShapeWithoutReimporting(_ format: Case) throws {
    let graph = try format.graph(side: 8)
    for (name, shape) in format.deferred { #expect(graph.initializers[name]?.shape == shape, "\(name)") }
    let conv = 3 * 3 * 3 * 4 + 4
    // 8 → 6: K = 4*6*6 = 144 features; rebound to 16 → 14: K = 4*14*14 = 784.
    let (dense8, dense16) = (4 * 6 * 6 * 10 + 10, 4 * 14 * 14 * 10 + 10)
    let rebound: [String: Shape] = [format.input: format.shape(16)]
    let params = try ReboundAnalysis.params(of: [format.conv, format.dense], in: graph, at: [[:], rebound])
    let expected: [[Int?]] = [[conv, dense8, conv + dense8], [conv, dense16, conv + dense16]]
    #expect(params == expected)
  }

  @Test(arguments: cases)
  func theGraphDoesNotDependOnTheInputSize(_ format: Case) throws {
    let large = try format.graph(side: 64)
    #expect(large.inputs.map(\.shape) == [format.shape(64)])
    #expect(ReboundAnalysis.differOnlyInInputs(try format.graph(side: 32), large))
  }
}
