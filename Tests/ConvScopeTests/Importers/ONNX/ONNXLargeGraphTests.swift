import ConvScopeCore
import Foundation
import Testing

@testable import ConvScopeImporters

/// A large graph's nodes are decoded on several threads: they come out in the file's order,
/// and a broken node is reported as the first error in that order, as one thread reports it.
@Suite struct ONNXLargeGraphTests {
  /// A chain of `count` ReLUs, `r0` ... `r{count - 1}`; the nodes in `broken` have an op_type
  /// written as a varint (wire type 0, where the format wants a string).
  private static func chain(_ count: Int, broken: Set<Int> = []) -> Data {
    let nodes = (0..<count).map { index -> ProtoBytes in
      guard broken.contains(index) else {
        return ONNXBytes.node("Relu", [index == 0 ? "x" : "t\(index - 1)"], ["t\(index)"], name: "r\(index)")
      }
      var node = ProtoBytes()
      node.string(3, "r\(index)")
      node.int(4, 3)
      return node
    }
    return ONNXBytes.model(
      ONNXBytes.graph(
        nodes: nodes, inputs: [ONNXBytes.valueInfo("x", dims: [1, 4])],
        outputs: [ONNXBytes.valueInfo("t\(count - 1)", dims: [1, 4])])
    ).data
  }

  @Test func aLargeGraphsNodesComeOutInTheFilesOrder() throws {
    let count = 3 * ParallelRows.minimumPerWorker
    let graph = try ONNXImporter().importGraph(from: Self.chain(count), fileName: "chain.onnx", directory: nil)
    #expect(graph.nodes.map(\.name) == (0..<count).map { "r\($0)" })
    #expect(graph.nodes.map(\.inputs) == (0..<count).map { [$0 == 0 ? "x" : "t\($0 - 1)"] })
  }

  @Test func theFirstBrokenNodeInTheFileIsTheOneReported() throws {
    let count = 3 * ParallelRows.minimumPerWorker
    do {
      _ = try ONNXImporter().importGraph(
        from: Self.chain(count, broken: [count - 10, 100]), fileName: "chain.onnx", directory: nil)
      Issue.record("a broken node was read")
    } catch {
      #expect(error.field == "NodeProto.op_type")
      #expect(error.layer == "r100")
    }
  }
}
