import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// ONNX's own operator conformance tests (onnx 1.23.2 backend node tests):
/// every model imports, and every output shape our rules infer equals the one
/// the test expects (`expected.json`, read from the tests' output tensors).
@Suite struct ONNXNodeConformanceTests {
  struct Expected: Decodable {
    /// A test input or output; sequences list several dims and are left as nil.
    struct Value: Decodable {
      var name: String
      var type: String
      var dims: [Int]?

      enum CodingKeys: String, CodingKey { case name, type, dims }

      init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decode(String.self, forKey: .type)
        dims = try? container.decode([Int].self, forKey: .dims)
      }
    }
    struct Case: Decodable {
      var ops: [String]
      var inputs: [Value]
      var outputs: [Value]
    }
    var tests: [String: Case]
  }

  static func expected() throws -> Expected {
    try JSONDecoder().decode(Expected.self, from: Fixtures.data("onnx-node-tests/expected.json"))
  }

  static func load(_ test: String) throws -> Graph {
    let path = Fixtures.url("onnx-node-tests/models/\(test)/model.onnx").path
    return try ModelLoader.standard.load(path: path).graph
  }

  /// The op types of a graph and of every subgraph in its attributes.
  static func opTypes(in graph: Graph) -> Set<String> {
    var types = Set(graph.nodes.map(\.opType))
    for node in graph.nodes {
      for value in node.attributes.values {
        switch value {
        case .graph(let body): types.formUnion(opTypes(in: body))
        case .graphs(let bodies): for body in bodies { types.formUnion(opTypes(in: body)) }
        default: continue
        }
      }
    }
    return types
  }

  @Test func everyNodeTestModelImports() throws {
    let expected = try Self.expected()
    #expect(expected.tests.count == 1884)
    for (name, test) in expected.tests.sorted(by: { $0.key < $1.key }) {
      do {
        let graph = try Self.load(name)
        #expect(graph.outputs.map(\.name) == test.outputs.map(\.name), "\(name)")
        #expect(Self.opTypes(in: graph) == Set(test.ops), "\(name)")
      } catch {
        Issue.record("\(name): \(error)")
      }
    }
  }

  /// What analysing one test's model gave.
  enum Outcome {
    /// Every node resolved and every output has the expected dims.
    case passed
    /// An op without a rule.
    case unsupported
    /// Every op has a rule but a shape stays unknown: it depends on the values of a
    /// runtime input (Reshape's shape, Slice's starts, Pad's pads given as graph inputs),
    /// or on sequences and optionals, which the analyzer does not model.
    case unresolved
    /// Resolved, with a data-dependent dim left unknown (NonZero, Compress, OneHot of a
    /// runtime depth); every dim that is known is right.
    case partial
    /// A resolved output whose dims differ from the expected ones.
    case wrong(String)
    /// The analyzer threw on a valid model.
    case failed(String)
  }

  static func analyze(_ name: String, _ test: Expected.Case) -> Outcome {
    let report: Report
    do {
      report = try Analyzer.analyze(try load(name), options: AnalysisOptions(sourceName: name))
    } catch let error as ConvScopeError where error.field == "shape" || error.field == "--input-shape" {
      return .unresolved
    } catch {
      return .failed("\(error)")
    }
    var produced: [String: (shape: Shape, resolved: Bool)] = [:]
    for row in report.layers {
      for output in row.outputs { produced[output.name] = (output.shape, row.supported) }
    }
    var complete = report.layers.allSatisfy(\.supported)
    var unknownDims = false
    var wrong: [String] = []
    for output in test.outputs {
      guard let dims = output.dims, let result = produced[output.name], result.resolved else {
        complete = false
        continue
      }
      let agrees =
        result.shape.rank == dims.count && zip(result.shape.dims, dims).allSatisfy { $0.value == nil || $0.value == $1 }
      if !agrees { wrong.append("\(output.name) is \(result.shape), expected \(Shape(dims))") }
      if result.shape.sizes == nil { unknownDims = true }
    }
    if !wrong.isEmpty { return .wrong("\(name): " + wrong.joined(separator: "; ")) }
    if !report.unsupported.isEmpty { return .unsupported }
    return !complete ? .unresolved : unknownDims ? .partial : .passed
  }

  @Test func supportedOpsGiveTheExpectedOutputShapes() throws {
    let expected = try Self.expected()
    var passed = 0
    var unsupported = 0
    var unresolved = 0
    var partial = 0
    var wrong: [String] = []
    var failed: [String] = []
    for (name, test) in expected.tests.sorted(by: { $0.key < $1.key }) {
      switch Self.analyze(name, test) {
      case .passed: passed += 1
      case .unsupported: unsupported += 1
      case .unresolved: unresolved += 1
      case .partial: partial += 1
      case .wrong(let message): wrong.append(message)
      case .failed(let message): failed.append(message)
      }
    }
    print(
      "ONNX node tests: \(passed) passed, \(partial) with a data-dependent dim left unknown,"
        + " \(unsupported) skipped for an op without a rule, \(unresolved) skipped for a shape that depends on"
        + " runtime values, \(wrong.count) wrong shapes, \(failed.count) analyzer errors, of \(expected.tests.count)")
    // A ratchet: issue 11 asked for at least 1,500 exact; this is what the rules reach.
    #expect(passed >= 1_538, "exact node tests fell to \(passed)")
    #expect(wrong.isEmpty, "\(wrong.count) wrong shapes:\n\(wrong.joined(separator: "\n"))")
    #expect(failed.isEmpty, "\(failed.count) errors:\n\(failed.joined(separator: "\n"))")
  }
}
