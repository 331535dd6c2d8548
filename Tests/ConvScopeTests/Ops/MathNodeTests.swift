import ConvScope
import Foundation
import Testing

/// ONNX's own backend node tests for the math op families (Tests/Fixtures/onnx-node-tests/math.json,
/// extracted from onnx 1.23.2's test data): each test's input dims go in, and the rule must
/// give the output dims and element types ONNX's reference outputs have.
@Suite struct MathNodeTests {
  struct Tensor: Decodable {
    var index: Int
    var dims: [Int]
    var type: String
  }

  enum Attribute: Decodable {
    case int(Int)
    case string(String)

    init(from decoder: Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let value = try? container.decode(Int.self) {
        self = .int(value)
      } else {
        self = .string(try container.decode(String.self))
      }
    }

    var value: AttributeValue {
      switch self {
      case .int(let v): .int(v)
      case .string(let v): .string(v)
      }
    }
  }

  struct Case: Decodable, CustomTestStringConvertible {
    var name: String
    var op: String
    var opset: Int
    var attributes: [String: Attribute]
    var inputs: [Tensor]
    var outputs: [Tensor]
    var testDescription: String { name }
  }

  struct Fixture: Decodable {
    var cases: [Case]
  }

  static let cases: [Case] = {
    guard let data = try? Fixtures.data("onnx-node-tests/math.json"),
      let fixture = try? JSONDecoder().decode(Fixture.self, from: data)
    else { return [] }
    return fixture.cases
  }()

  /// ONNX `TensorProto.DataType` names as expected.json spells them.
  static func dataType(_ name: String) -> DataType? {
    let aliases: [String: DataType] = [
      "FLOAT": .float32, "DOUBLE": .float64, "FLOAT16": .float16, "BFLOAT16": .bfloat16,
    ]
    return aliases[name] ?? DataType(rawValue: name.lowercased())
  }

  @Test func fixtureCoversEveryFamily() {
    let ops = Set(Self.cases.map(\.op))
    #expect(Self.cases.count > 400)
    for op in ["Relu", "Add", "Where", "Gemm", "MatMul", "Einsum", "ArgMax", "Softmax", "Attention"] {
      #expect(ops.contains(op), "no node test for \(op)")
    }
  }

  @Test(arguments: cases)
  func outputDimsMatchOnnx(_ test: Case) throws {
    let slots = (test.inputs.map(\.index).max() ?? -1) + 1
    var inputs = [TensorInfo?](repeating: nil, count: slots)
    for tensor in test.inputs {
      let type = try #require(Self.dataType(tensor.type))
      inputs[tensor.index] = TensorInfo(name: "in\(tensor.index)", dataType: type, shape: Shape(tensor.dims))
    }
    let node = Node(
      name: test.name, opType: test.op, inputs: inputs.enumerated().map { $1 == nil ? "" : "in\($0)" },
      outputs: ["Y", "Y1", "Y2", "Y3"], attributes: test.attributes.mapValues(\.value))
    let rule = try #require(OpRegistry.standard.rule(domain: "", opType: test.op))
    let outcome = try rule.infer(
      NodeContext(node: node, inputs: inputs, constants: Array(repeating: nil, count: slots), opset: test.opset))
    for expected in test.outputs {
      let output = try #require(expected.index < outcome.outputs.count ? outcome.outputs[expected.index] : nil)
      #expect(output.shape == Shape(expected.dims), "output \(expected.index)")
      #expect(output.dataType == Self.dataType(expected.type), "output \(expected.index) type")
    }
  }
}
