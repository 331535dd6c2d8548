import ConvScope
import Foundation
import Testing

@testable import ConvScopeAnalysis
@testable import ConvScopeCore

/// Rows of layers with the same configuration hold one copy of their windows, shapes and
/// formulas (``ReportBuilder``'s shared values): equal values, one storage, in a graph of
/// ``SharedRowValues/minimumNodes`` nodes or more.
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
      - repeat: \(SharedRowValues.minimumNodes)
        layers: [{op: relu}]
    """

  static func storage<T>(_ array: [T]) -> UnsafeRawPointer? {
    array.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
  }

  @Test func equalConfigurationsShareOneStorage() throws {
    let graph = try SpecTesting.graph(Self.spec)
    let rows = try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: "repeated.yaml")).layers
    #expect(rows.count == 4 + SharedRowValues.minimumNodes)
    #expect(rows.prefix(4).map(\.name) == ["a", "b", "c", "wide"])
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

/// Nodes of layers with the same configuration hold one copy of their attributes
/// (``SharedValues``): the spec's builder and the other importers' assembler share them.
@Suite struct SharedAttributeTests {
  static func storage(_ attributes: [String: AttributeValue]) -> [Int] {
    attributes.values.compactMap { value in
      guard case .ints(let list) = value else { return nil }
      return list.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
    }.sorted()
  }

  @Test func specNodesShareEqualAttributes() throws {
    let graph = try SpecTesting.graph(SharedRowValuesTests.spec)
    let convs = ["a", "b", "c", "wide"].compactMap { graph.node($0) }
    #expect(convs.count == 4)
    #expect(convs[0].attributes["kernel_shape"] == .ints([3, 3]))
    #expect(convs[1].attributes == convs[0].attributes && convs[2].attributes == convs[0].attributes)
    #expect(Self.storage(convs[1].attributes) == Self.storage(convs[0].attributes))
    #expect(Self.storage(convs[2].attributes) == Self.storage(convs[0].attributes))
    #expect(convs[3].attributes["kernel_shape"] == .ints([5, 5]))
    #expect(Set(Self.storage(convs[3].attributes)).isDisjoint(with: Self.storage(convs[0].attributes)))
  }

  @Test func plainAttributesAreSharedAndTensorsLeftAlone() {
    func floats(_ attributes: [String: AttributeValue]) -> Int? {
      guard case .tensor(let tensor) = attributes["value"], case .floats(let values) = tensor.values else { return nil }
      return values.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
    }
    var shared = SharedValues<[String: AttributeValue]>()
    // Equal values, each with storage of its own (the arrays are built, not copied).
    let plain: () -> [String: AttributeValue] = { ["axis": .int(1), "perm": .ints((0..<3).map { [0, 2, 1][$0] })] }
    let (firstPlain, secondPlain) = (plain(), plain())
    #expect(Self.storage(firstPlain) != Self.storage(secondPlain))
    _ = shared.sharedAttributes(firstPlain)
    #expect(Self.storage(shared.sharedAttributes(secondPlain)) == Self.storage(firstPlain))

    let tensor: () -> [String: AttributeValue] = {
      ["value": .tensor(ConstantTensor(dataType: .float32, dims: [2], values: .floats((1...2).map(Double.init))))]
    }
    let (firstTensor, secondTensor) = (tensor(), tensor())
    _ = shared.sharedAttributes(firstTensor)
    let kept = shared.sharedAttributes(secondTensor)
    #expect(kept == firstTensor)
    #expect(floats(kept) == floats(secondTensor) && floats(kept) != floats(firstTensor))
  }
}
