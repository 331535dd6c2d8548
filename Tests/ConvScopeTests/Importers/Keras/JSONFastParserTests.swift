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

  /// The Keras importer reads a config's top-level `layers` one entry at a time: each entry read
  /// from its range is the entry of the whole parse, and the rest of the tree is the whole parse's.
  @Test(arguments: ["MobileNetV2.json", "ResNet50.keras2.json", "lenet5.json", "seed_resnet.json"])
  func deferredLayersReadBackAsTheWholeParseHasThem(name: String) throws {
    let data = try Fixtures.data("keras/\(name)")
    let whole = try #require(data.withUnsafeBytes { JSONFastParser.parse($0.bindMemory(to: UInt8.self)) })
    let layers = try #require(whole["config"]?["layers"]?.array)
    var visited: [JSONValue] = []
    var readBack: [JSONValue?] = []
    let root = data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      return JSONFastParser.parse(bytes, deferringElementsAt: ["config", "layers"]) { element, range in
        visited.append(element)
        readBack.append(JSONFastParser.element(in: bytes, at: range))
      }
    }
    #expect(visited.count == layers.count && visited == layers)
    #expect(readBack == layers.map { Optional($0) })
    guard case .object(var members) = whole, case .object(var config) = members["config"] else {
      Issue.record("the fixture is not a model object")
      return
    }
    config["layers"] = .array([])
    members["config"] = .object(config)
    #expect(root == .object(members))
  }

  /// Deferring changes nothing of what is refused: a bad entry, a document bad after the list, and
  /// nesting counted from the root all give up as the whole parse does.
  @Test(arguments: [
    #"{"config": {"layers": [{"a": 1}, {"a" 1}]}}"#, #"{"config": {"layers": [{"a": 1}]}, "b": }"#,
    #"{"config": {"layers": ["# + String(repeating: "[", count: 510) + String(repeating: "]", count: 510) + "]}}",
  ])
  func deferringGivesUpWhereTheWholeParseDoes(text: String) {
    let root = Array(text.utf8).withUnsafeBufferPointer { bytes in
      JSONFastParser.parse(bytes, deferringElementsAt: ["config", "layers"]) { _, _ in }
    }
    #expect(Self.fast(text) == nil)
    #expect(root == nil)
  }
}
