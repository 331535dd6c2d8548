import ConvScope
import Foundation
import Testing

@testable import ConvScopeImporters

/// Keras configs are parsed straight into values (`JSONSerialization` took seconds and
/// gigabytes on a 100,000-layer config); whatever the fast parser reads must read as
/// `JSONSerialization` reads it, and what it gives up on gets `JSONSerialization`'s answer.
@Suite struct JSONFastParserTests {
  private static func fast(_ text: String) -> JSONValue? {
    Array(text.utf8).withUnsafeBufferPointer { JSONFastParser.parse($0) }
  }

  private static func foundation(_ text: String) -> Result<JSONValue, ConvScopeError> {
    Result { () throws(ConvScopeError) in try JSONValue.parsedByFoundation(Data(text.utf8), fileName: "m.json") }
  }

  @Test(arguments: [
    "MobileNetV2.json", "MobileNetV2.keras2.json", "ResNet50.json", "ResNet50.keras2.json", "VGG16.json",
    "lenet5.json", "seed_resnet.json", "seed_resnet.keras2.json",
  ])
  func everyKerasFixtureReadsAsFoundationReadsIt(name: String) throws {
    let data = try Fixtures.data("keras/\(name)")
    let fast = data.withUnsafeBytes { JSONFastParser.parse($0.bindMemory(to: UInt8.self)) }
    #expect(fast != nil)
    #expect(fast == (try JSONValue.parsedByFoundation(data, fileName: name)))
  }

  @Test(arguments: ["MobileNetV2.json", "ResNet50.keras2.json", "VGG16.json", "seed_resnet.json"])
  func keptEntriesAndEntriesParsedAgainGiveOneGraph(name: String) throws {
    // Small documents keep each layer entry's tree from the first parse; large ones parse
    // each entry again from its range of the file. Both must make the same graph.
    let data = try Fixtures.data("keras/\(name)")
    let kept = try KerasImporter.graph(from: KerasDocument(data, fileName: name))
    let reparsed = try KerasImporter.graph(from: KerasDocument(data, fileName: name, keptLimit: 0))
    #expect(kept.nodes.count > 10)
    #expect(kept == reparsed)
  }

  /// A functional model of thousands of layers, its entries read again in batches ahead of the
  /// reader (where the machine has a second processor): the graph of the kept entries.
  @Test func aLargeFunctionalModelReadInBatchesGivesTheKeptEntriesGraph() throws {
    let count = SkimmedElements.batchSize * 17 + 3
    var layers = [
      #"{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 8], "name": "in"}, "name": "in", "inbound_nodes": []}"#
    ]
    for index in 1...count {
      let previous = index == 1 ? "in" : "r\(index - 1)"
      layers.append(
        #"{"class_name": "ReLU", "config": {"name": "r\#(index)"}, "name": "r\#(index)", "inbound_nodes": [[["\#(previous)", 0, 0, {}]]]}"#
      )
    }
    let text =
      #"{"class_name": "Functional", "config": {"name": "chain", "layers": ["# + layers.joined(separator: ", ")
      + #"], "input_layers": [["in", 0, 0]], "output_layers": [["r\#(count)", 0, 0]]}}"#
    let data = Data(text.utf8)
    let kept = try KerasImporter.graph(from: KerasDocument(data, fileName: "chain.json"))
    let reparsed = try KerasImporter.graph(from: KerasDocument(data, fileName: "chain.json", keptLimit: 0))
    #expect(kept.nodes.count == count)
    #expect(kept.outputs.map(\.name) == ["r\(count)"])
    #expect(kept == reparsed)
  }

  @Test(arguments: [
    #"{"a": [0, -0, 7, -12, 9223372036854775807, 1.5, -2.25e-3, 6.0, 1E2, 0.1, 0.001, 1e-05, 0.99, 123456789012345]}"#,
    #"{"s": "plain", "e": "q\"b\\s\/n\nt\tr\rb\bf\f", "u": "\u00e9\u6F22\uD83D\uDE07 é 漢 😇", "z": "\u0000"}"#,
    #"[true, false, null, {}, [], {"k": {"k": [[]]}}]"#, #"  "a fragment"  "#, "-5", "3.25",
    // Past 16 members an object is indexed by key, not searched: both ways read the same.
    "{" + (0..<40).map { #""k\#($0)": {"v": \#($0)}"# }.joined(separator: ", ") + "}",
  ])
  func valuesReadAsFoundationReadsThem(text: String) throws {
    let fast = try #require(Self.fast(text))
    #expect(fast == (try Self.foundation(text).get()))
    if let members = fast.object, members.count > 16 {
      #expect(members["k39"] == .object(["v": .int(39)]))
      #expect(members["k40"] == nil)
    }
  }

  @Test(arguments: [
    "{\"a\": 1,}", "[1 2]", "{\"a\" 1}", "01", "1.", ".5", "-", "1e", "{\"a\": 1, \"a\": 2}",
    "12345678901234567890", "1e400", "0.12345678901234567890", "123456789.12345678", "1e23", "1.5e-30", "\"tab\there\"",
    "\"\\x\"", "\"\\uD83D\"",
    "\"\\uDE07\"", "\u{FEFF}{}", "[1] x", "", "{\"a\": tru}", String(repeating: "[", count: 600),
    "{" + (0..<40).map { #""k\#($0 % 39)": \#($0)"# }.joined(separator: ", ") + "}",
    // Repeated keys however written: escaped, long, non-ASCII in two normalisations.
    #"{"a": 1, "\u0061": 2}"#, #"{"bb": 1, "c": 2, "bb": 3}"#,
    #"{"k": {"a long key of twenty": 1, "a long key of twenty": 2}}"#,
    "{\"caf\u{E9}\": 1, \"cafe\u{301}\": 2}",
  ])
  func whatItGivesUpOnIsFoundationsToDecide(text: String) throws {
    #expect(Self.fast(text) == nil)
    let answer = Self.foundation(text)
    let parsed = Result { () throws(ConvScopeError) in try JSONValue.parse(Data(text.utf8), fileName: "m.json") }
    switch (parsed, answer) {
    case (.success(let a), .success(let b)): #expect(a == b)
    case (.failure(let a), .failure(let b)): #expect(a.message == b.message)
    default: Issue.record("the fast path and JSONSerialization disagree on \(text.prefix(40))")
    }
  }

  @Test func invalidUTF8IsFoundationsToDecide() {
    let bytes: [UInt8] = Array("{\"a\": \"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)
    #expect(bytes.withUnsafeBufferPointer { JSONFastParser.parse($0) } == nil)
  }

  /// The Keras importer reads a config's top-level `layers` one entry at a time: the parse skims
  /// the list, each entry read from its range is the entry of the whole parse, and the rest of the
  /// tree is the whole parse's.
  @Test(arguments: ["MobileNetV2.json", "ResNet50.keras2.json", "lenet5.json", "seed_resnet.json"])
  func skimmedLayersReadBackAsTheWholeParseHasThem(name: String) throws {
    let data = try Fixtures.data("keras/\(name)")
    let whole = try #require(data.withUnsafeBytes { JSONFastParser.parse($0.bindMemory(to: UInt8.self)) })
    let layers = try #require(whole["config"]?["layers"]?.array)
    let (root, readBack) = try #require(Self.skimmedAndReadBack(data))
    #expect(readBack == layers.map { Optional($0) })
    guard case .object(var members) = whole, case .object(var config) = members["config"] else {
      Issue.record("the fixture is not a model object")
      return
    }
    config["layers"] = .array([])
    members["config"] = .object(config)
    #expect(root == .object(members))
  }

  /// Brackets, commas and escaped quotes inside strings, and blanks around entries, do not move
  /// an entry's bounds.
  @Test func skimmingStepsOverStringsAndBlanks() throws {
    let text = #"{"config": {"layers": [ "a],\"[{" , {"b": ["}", ","]} ,-1.5e3,[] ,{} ]}, "c": 1}"#
    let (_, readBack) = try #require(Self.skimmedAndReadBack(Data(text.utf8)))
    let layers = try #require(Self.fast(text)?["config"]?["layers"]?.array)
    #expect(readBack == layers.map { Optional($0) })
    #expect(readBack.count == 5)
  }

  /// Past the number of elements a caller keeps, only their count is: a list it will refuse
  /// costs no range per element.
  @Test func aSkimKeepsNoRangesPastItsLimit() throws {
    let bytes = Array(#"{"config": {"layers": [1, [2, 3], "4,5", {"6": 7}, 8]}, "after": true}"#.utf8)
    for limit in [0, 2, 4, 5, 9] {
      let (root, elements) = try #require(
        bytes.withUnsafeBufferPointer {
          JSONFastParser.parse($0, skimmingElementsAt: ["config", "layers"], keepingAtMost: limit)
        })
      #expect(elements.count == 5)
      #expect(elements.ranges.count == (limit >= 5 ? 5 : 0))
      #expect(root["after"] == .bool(true))
    }
  }

  /// Skimming changes nothing of what is refused: a bad entry, two values where one entry should
  /// be, an empty entry, a mismatched bracket, a document bad after the list, and nesting counted
  /// from the root all give up as the whole parse does (the parse or an entry's read is `nil`).
  @Test(arguments: [
    #"{"config": {"layers": [{"a": 1}, {"a" 1}]}}"#, #"{"config": {"layers": [{"a": 1}]}, "b": }"#,
    #"{"config": {"layers": [1 2]}}"#, #"{"config": {"layers": [1,]}}"#, #"{"config": {"layers": [,1]}}"#,
    #"{"config": {"layers": [{"a": [1}]]}}"#, #"{"config": {"layers": [1}}"#, #"{"config": {"layers": ["a]}}"#,
    #"{"config": {"layers": ["# + String(repeating: "[", count: 510) + String(repeating: "]", count: 510) + "]}}",
  ])
  func skimmingGivesUpWhereTheWholeParseDoes(text: String) {
    #expect(Self.fast(text) == nil)
    let skimmed = Self.skimmedAndReadBack(Data(text.utf8))
    #expect(skimmed == nil || skimmed?.entries.contains(nil) == true)
  }

  /// Skimmed elements asked for in order are read a batch ahead on another thread; asked for out
  /// of order, back to the start, or twice, each is still the element the whole parse has.
  @Test(arguments: [false, true])
  func skimmedElementsReadAheadOrNotAreTheWholeParses(readsAhead: Bool) throws {
    let count = SkimmedElements.batchSize * 4 + 17
    let entries = (0..<count).map { #"{"i": \#($0), "s": "layer \#($0)", "a": [\#($0), {"b": null}]}"# }
    let text = #"{"config": {"layers": ["# + entries.joined(separator: ", ") + "]}}"
    let data = Data(text.utf8)
    let layers = try #require(Self.fast(text)?["config"]?["layers"]?.array)
    let skimmed = try #require(
      data.withUnsafeBytes {
        JSONFastParser.parse($0.bindMemory(to: UInt8.self), skimmingElementsAt: ["config", "layers"])
      })
    let elements = SkimmedElements(data: data, skimmed: skimmed.elements, readsAhead: readsAhead)
    let order = Array(0..<count) + [5, count - 1, 300, 299, 0, 1, 600] + Array(0..<count)
    for index in order {
      #expect(elements.element(at: index) == layers[index], "element \(index)")
    }
  }

  /// The parse of `data` skimming `config.layers`, and each skimmed entry read back.
  private static func skimmedAndReadBack(_ data: Data) -> (root: JSONValue, entries: [JSONValue?])? {
    data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      guard let (root, elements) = JSONFastParser.parse(bytes, skimmingElementsAt: ["config", "layers"]) else {
        return nil
      }
      return (root, elements.ranges.map { JSONFastParser.element(in: bytes, at: $0, depth: elements.depth) })
    }
  }
}
