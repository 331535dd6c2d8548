import ConvScope
import Foundation
import Testing

/// Every single-node ONNX backend test of the convolution, pooling and normalisation families
/// (Tests/Fixtures/onnx-node-tests/geometry-ops.json, see MANIFEST.md): the rule, given the test's
/// attributes, opset and input dims, must infer exactly the dims of the test's expected outputs.
@Suite struct OnnxNodeShapeTests {
  struct Case: Decodable, CustomTestStringConvertible {
    var name = ""
    var op: String
    var opset: Int
    var attributes: [String: Attribute]
    var inputs: [[Int]]
    var outputs: [[Int]]
    var testDescription: String { name }

    enum CodingKeys: String, CodingKey { case op, opset, attributes, inputs, outputs }
  }

  /// An attribute as the fixture writes it: an int, a real, a string or a list of ints.
  struct Attribute: Decodable {
    var value: AttributeValue

    init(from decoder: Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let ints = try? container.decode([Int].self) {
        value = .ints(ints)
      } else if let int = try? container.decode(Int.self) {
        value = .int(int)
      } else if let real = try? container.decode(Double.self) {
        value = .float(real)
      } else {
        value = .string(try container.decode(String.self))
      }
    }
  }

  static let cases: [Case] = {
    guard let data = try? Fixtures.data("onnx-node-tests/geometry-ops.json"),
      let table = try? JSONDecoder().decode([String: Case].self, from: data)
    else { return [] }
    return table.map { name, value in
      var named = value
      named.name = name
      return named
    }.sorted { $0.name < $1.name }
  }()

  @Test func theFixtureCoversEveryFamily() {
    let ops = Set(Self.cases.map(\.op))
    #expect(Self.cases.count == 120)
    #expect(
      ops.isSuperset(of: [
        "Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool", "GlobalMaxPool",
        "BatchNormalization", "LayerNormalization", "GroupNormalization", "RMSNormalization", "LRN", "RoiAlign",
      ]))
  }

  @Test(arguments: cases) func inferredShapesMatchTheOnnxTest(_ test: Case) throws {
    guard let rule = OpRegistry.standard.rule(domain: "", opType: test.op) else {
      Issue.record("no rule for \(test.op)")
      return
    }
    let inputs = test.inputs.enumerated().map { TensorInfo(name: "in\($0)", shape: Shape($1)) }
    let node = Node(
      name: test.name, opType: test.op, inputs: inputs.map(\.name),
      outputs: test.outputs.indices.map { "out\($0)" },
      attributes: test.attributes.mapValues(\.value))
    let outcome = try rule.infer(
      NodeContext(node: node, inputs: inputs, constants: inputs.map { _ in nil }, opset: test.opset))
    #expect(outcome.outputs.map(\.shape) == test.outputs.map { Shape($0) })
  }
}
