import ConvScope
import Foundation
import Testing

/// The layer budget (100,000 by default) is checked before a `repeat:` block is unrolled:
/// a 125-byte spec asking for a million layers used to run for a minute and 3.75 GB, and
/// nested repeats hung. The error names the `repeat:` value's line and column.
@Suite("Spec importer: layer budget")
struct SpecLayerBudgetTests {
  /// The error importing `text` gives, which must come within two seconds.
  private func quickError(_ text: String, file: String = "test.yaml") throws -> ConvScopeError {
    let clock = ContinuousClock()
    let start = clock.now
    let error = try #require(SpecTesting.error(text, file: file))
    #expect(clock.now - start < .seconds(2))
    return error
  }

  @Test func aMillionRepeatsAreRefusedAtTheirLine() throws {
    let error = try quickError(
      """
      input: {shape: [8]}
      layers:
        - repeat: 1000000
          layers:
            - {op: relu}
      """, file: "big.yaml")
    #expect(
      error.description
        == "big.yaml:3:13: field 'repeat': the model would unroll to more than 100,000 layers, the layer budget (CONVSCOPE_MAX_LAYERS raises it)"
    )
  }

  @Test func nestedRepeatsMultiplyBeforeAnyIsUnrolled() throws {
    let error = try quickError(
      """
      input: {shape: [8]}
      layers:
        - repeat: 1000
          layers:
            - repeat: 1000
              layers:
                - repeat: 1000
                  layers: [{op: relu}, {op: sigmoid}]
      """)
    #expect((error.line, error.column, error.field) == (3, 13, "repeat"))
  }

  @Test func theBudgetCountsLayersAlreadyUnrolled() throws {
    // 60,000 + 50,000: the first block fits, the second does not.
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [8]}
        layers:
          - repeat: 60000
            layers: [{op: relu}]
          - repeat: 50000
            layers: [{op: relu}]
        """))
    #expect((error.line, error.column) == (5, 13))
  }
}

/// Nesting past libyaml's 1,000 levels is a syntax error in plain words, not a C function's name.
@Suite("Spec importer: nesting depth")
struct SpecNestingTests {
  @Test func deepNestingIsASyntaxErrorThatSaysSo() throws {
    let error = try #require(SpecTesting.error("layers: " + String(repeating: "[", count: 100_000)))
    #expect(error.message.hasPrefix("syntax error: lists and mappings nest deeper than 1,000 levels"))
    #expect(!error.message.contains("yaml_"))
  }
}
