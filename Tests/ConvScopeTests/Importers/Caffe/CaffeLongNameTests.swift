import ConvScope
import Foundation
import Testing

/// A one-million-character name: GoogLeNet with it as the last layer's bottom took 13 s,
/// because the "did you mean" search computed the edit distance between it and every
/// blob name. Now a name that long gets no suggestion, and candidates whose length alone
/// rules them out are skipped.
@Suite struct CaffeLongNameTests {
  private static let googlenet = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Tests/Fixtures/caffe/bvlc_googlenet.prototxt")

  @Test func aMillionCharacterBottomInGoogLeNetIsAQuickError() throws {
    var text = try String(contentsOf: Self.googlenet, encoding: .utf8)
    let last = try #require(text.range(of: "bottom: \"", options: .backwards))
    let end = try #require(text[last.upperBound...].firstIndex(of: "\""))
    text.replaceSubrange(last.upperBound..<end, with: String(repeating: "x", count: 1_000_000))
    let clock = ContinuousClock()
    let start = clock.now
    let error = try #require(throws: ConvScopeError.self) {
      try CaffeImporter().importGraph(from: Data(text.utf8), fileName: "googlenet.prototxt", directory: nil)
    }
    #expect(clock.now - start < .seconds(3))
    #expect(error.field == "bottom" && error.message.hasSuffix("is not produced by any earlier layer or input"))
  }

  @Test func suggestionsStillFindTyposAndSkipWhatLengthRulesOut() {
    #expect(
      NameSuggestion.closest(to: "inception_3a/1x1", among: ["inception_3a/1x2", "conv1"]) == "inception_3a/1x1"
        .dropLast() + "2")
    #expect(NameSuggestion.closest(to: "conv", among: ["conv1/7x7_s2/relu"]) == nil)
    let long = String(repeating: "a", count: NameSuggestion.maximumNameLength + 1)
    #expect(NameSuggestion.closest(to: long, among: [long + "b"]) == nil)
  }
}
