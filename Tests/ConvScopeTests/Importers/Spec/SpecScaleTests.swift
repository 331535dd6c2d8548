import ConvScope
import Testing

/// Specs at the size limit must import in time linear in their layers: a `repeat:` block of
/// 100,000 layers took minutes (each layer copied the list of all earlier names), and the
/// allowed 1,000,000 would have looked like a hang.
@Suite("Spec importer: scale")
struct SpecScaleTests {
  @Test(.timeLimit(.minutes(1)))
  func aHundredThousandRepeatedLayersImportQuickly() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 3, 8, 8]}
      layers:
        - repeat: 100000
          layers: [{op: relu}]
      """)
    #expect(graph.nodes.count == 100_000)
    // Each relu reads the one before it: relu_100000 reads relu_99999.
    #expect(graph.nodes.last?.inputs == [graph.nodes[99_998].outputs[0]])
  }
}
