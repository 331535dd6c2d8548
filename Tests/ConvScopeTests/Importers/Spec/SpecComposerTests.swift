import ConvScope
import Testing

/// The spec reader composes YAML from libyaml's events itself (`SpecComposer`); these pin the
/// behaviours `Yams.compose` had: duplicate keys, aliases, one document, and how plain, quoted
/// and tagged scalars are typed. Columns are counted by hand (1-based).
@Suite("Spec importer: YAML composition")
struct SpecComposerTests {
  private static let input = "input: {shape: [1, 3, 8, 8]}\n"

  @Test func aRepeatedKeyIsAnErrorAtItsFirstOccurrence() throws {
    // Line 3: `  - {name: a, op: relu, name: b}`; the first `name` starts at column 6.
    let error = try #require(SpecTesting.error(Self.input + "layers:\n  - {name: a, op: relu, name: b}"))
    #expect((error.line, error.column) == (3, 6))
    #expect(error.message == "duplicate key name in a mapping")
  }

  @Test func quotedAndPlainSpellingsAreTheSameKey() throws {
    let error = try #require(SpecTesting.error(Self.input + "layers:\n  - {name: a, op: relu, 'name': b}"))
    #expect(error.message == "duplicate key name in a mapping")
  }

  @Test func everyRepeatedKeyIsNamedInOrder() throws {
    let error = try #require(
      SpecTesting.error(Self.input + "layers:\n  - {op: relu, zz: 1, name: a, zz: 2, name: b}"))
    #expect(error.message == "duplicate key name, zz in a mapping")
    #expect((error.line, error.column) == (3, 23))
  }

  @Test func aNumberAndAQuotedNumberAreDifferentKeys() throws {
    // `1` (an int) and `'1'` (a string) differ, so the error is the unknown key, not a duplicate.
    let error = try #require(SpecTesting.error(Self.input + "layers:\n  - {name: a, op: relu, '1': x, 1: y}"))
    #expect(error.message.hasPrefix("unknown key '1'"))
  }

  @Test func aliasesRepeatAnchoredValues() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 3, 8, 8]}
      layers:
        - {name: a, op: conv, filters: &f 6, kernel: &k [3, 5], padding: &p same}
        - {name: b, op: conv, filters: *f, kernel: *k, padding: *p}
      """)
    #expect(try graph.dims("b.weight") == [6, 6, 3, 5])
  }

  @Test func anUndefinedAliasIsASyntaxError() throws {
    // Line 3: `  - {name: a, op: conv, filters: *nope, kernel: 3}`; the alias is at column 34.
    let error = try #require(
      SpecTesting.error(Self.input + "layers:\n  - {name: a, op: conv, filters: *nope, kernel: 3}"))
    #expect(error.message == "syntax error: found undefined alias")
    #expect((error.line, error.column) == (3, 34))
  }

  @Test func aSecondDocumentIsAnError() throws {
    let error = try #require(SpecTesting.error(Self.input + "layers: [{op: relu}]\n---\nname: x"))
    #expect(error.message.hasPrefix("syntax error: but found another document"))
    #expect(error.line == 3)
  }

  @Test func anEmptyFileSaysWhatASpecNeeds() throws {
    let error = try #require(SpecTesting.error(""))
    #expect(error.message.contains("the file is empty"))
  }

  /// Integers as YAML 1.1 writes them (Yams's constructor): hex, octal, underscores, base 60.
  @Test(arguments: [("0x10", 16), ("0o20", 16), ("020", 16), ("1_6", 16), ("+16", 16), ("1:30", 90), ("16", 16)])
  func integersInEveryYAMLSpelling(written: String, value: Int) throws {
    let graph = try SpecTesting.graph(
      Self.input + "layers:\n  - {name: a, op: conv, filters: \(written), kernel: 1, in_channels: 3}")
    #expect(try graph.dims("a.weight") == [value, 3, 1, 1])
  }

  @Test(arguments: ["'16'", "\"16\"", "16.0", "~", "[16]"])
  func quotedTaggedAndRealValuesAreNotIntegers(written: String) throws {
    let error = try #require(
      SpecTesting.error(Self.input + "layers:\n  - {name: a, op: conv, filters: \(written), kernel: 1}"))
    #expect(error.field == "filters" && error.message.hasPrefix("expected an integer"))
  }

  @Test func booleansInAnyCaseButNotQuoted() throws {
    let graph = try SpecTesting.graph(Self.input + "layers:\n  - {name: a, op: conv, filters: 4, kernel: 1, bias: OFF}")
    #expect(graph.initializers["a.bias"] == nil)
    let error = try #require(
      SpecTesting.error(Self.input + "layers:\n  - {name: a, op: conv, filters: 4, kernel: 1, bias: 'no'}"))
    #expect(error.message == "expected true or false, got 'no'")
  }

  @Test func jsonReadsAsYAMLDoes() throws {
    let json = """
      {"input": {"shape": [1, 3, 8, 8]}, "layers": [{"name": "a", "op": "conv", "filters": 4, "kernel": 3}]}
      """
    let yaml = Self.input + "layers: [{name: a, op: conv, filters: 4, kernel: 3}]"
    let fromJSON = try SpecTesting.graph(json, file: "m.json")
    let fromYAML = try SpecTesting.graph(yaml)
    #expect(fromJSON.nodes.map(\.opType) == ["Conv"])
    #expect(fromJSON.nodes.map(\.attributes) == fromYAML.nodes.map(\.attributes))
    #expect(try fromJSON.dims("a.weight") == [4, 3, 3, 3])
    let duplicate = try #require(
      SpecTesting.error(#"{"input": {"shape": [1, 3, 8, 8]}, "input": {"shape": [1]}}"#, file: "m.json"))
    #expect(duplicate.message == "duplicate key input in a mapping" && duplicate.column == 2)
  }
}
