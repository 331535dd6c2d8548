import ConvScope
import Foundation
import Testing

/// Long `repeat:` blocks unroll into a chain. (Import used to be quadratic in the layer count —
/// each layer copied the list of all earlier names — so 100,000 layers took minutes; that is
/// measured by hand, not timed here.)
@Suite("Spec importer: scale")
struct SpecScaleTests {
  @Test func tenThousandRepeatedLayersFormOneChain() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 3, 8, 8]}
      layers:
        - repeat: 10000
          layers: [{op: relu}]
      """)
    #expect(graph.nodes.count == 10_000)
    // Each relu reads the one before it: relu_10000 reads relu_9999.
    #expect(graph.nodes.last?.inputs == [graph.nodes[9_998].outputs[0]])
  }
}

/// Absurd numbers in specs: errors, not `Int(...)` traps.
@Suite("Spec importer: absurd numbers")
struct SpecAbsurdNumberTests {
  @Test func anIntegerConstantPastInt64IsAnError() throws {
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3, 8, 8]}
        layers:
          - {op: Reshape, weights: [{shape: [2], dtype: int64, values: [1.0e30, 1]}]}
        """))
    #expect(error.field == "values")
  }

  @Test func aWidthMultiplierPastInt64DoesNotTrap() {
    // 2^62 filters * 2 = 2^63: the filter count saturates and the weight's size overflows cleanly.
    let text = """
      input: {shape: [1, 3, 8, 8]}
      layers:
        - {op: conv, filters: 4611686018427387904, kernel: 1}
        - {op: conv, filters: 2, kernel: 1}
      """
    #expect(throws: (any Error).self) {
      let graph = try SpecImporter(widthMultiplier: 2).importGraph(
        from: Data(text.utf8), fileName: "w.yaml", directory: nil)
      _ = try Analyzer.analyze(graph)
    }
  }
}
