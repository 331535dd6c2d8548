import ConvScope
import Foundation
import Testing

/// Rows of layers with the same configuration hold one copy of their windows, shapes and
/// formulas (``ReportBuilder``'s shared values): equal values, one storage.
@Suite struct SharedRowValuesTests {
  static let spec = """
    name: repeated
    layout: CHW
    input: {name: x, shape: [8, 16, 16]}
    layers:
      - {name: a, op: conv, filters: 8, kernel: 3, padding: 1}
      - {name: b, op: conv, filters: 8, kernel: 3, padding: 1}
      - {name: c, op: conv, filters: 8, kernel: 3, padding: 1}
      - {name: wide, op: conv, filters: 8, kernel: 5, padding: 2}
    """

  static func storage<T>(_ array: [T]) -> UnsafeRawPointer? {
    array.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
  }

  @Test func equalConfigurationsShareOneStorage() throws {
    let graph = try SpecTesting.graph(Self.spec)
    let rows = try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: "repeated.yaml")).layers
    #expect(rows.map(\.name) == ["a", "b", "c", "wide"])
    let (a, b, c, wide) = (rows[0], rows[1], rows[2], rows[3])
    // The same 8x16x16 output, 3x3 window, pads and formulas: one array each.
    let window = try #require(a.window)
    #expect(window.kernel == [3, 3] && window.padsBegin == [1, 1])
    for other in [b, c] {
      let otherWindow = try #require(other.window)
      #expect(otherWindow == window)
      #expect(Self.storage(otherWindow.padsBegin) == Self.storage(window.padsBegin))
      #expect(Self.storage(otherWindow.kernel) == Self.storage(window.kernel))
      #expect(other.outputs[0].shape == a.outputs[0].shape)
      #expect(Self.storage(other.outputs[0].shape.dims) == Self.storage(a.outputs[0].shape.dims))
      #expect(other.shapeFormulas == a.shapeFormulas && !a.shapeFormulas.isEmpty)
      #expect(Self.storage(other.shapeFormulas) == Self.storage(a.shapeFormulas))
      #expect(other.paramFormula == a.paramFormula)
    }
    // A different window is its own: sharing never makes unequal values equal.
    let wideWindow = try #require(wide.window)
    #expect(wideWindow.kernel == [5, 5] && wideWindow.padsBegin == [2, 2])
    #expect(wide.paramFormula != a.paramFormula)
    #expect(wide.params == 8 * 8 * 5 * 5 + 8 && a.params == 8 * 8 * 3 * 3 + 8)
  }
}
