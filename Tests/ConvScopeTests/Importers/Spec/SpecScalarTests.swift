import Testing
import Yams

@testable import ConvScopeImporters

/// `SpecScalar` answers the common plain scalars without Yams's regular expressions; every
/// answer must be the one Yams's default resolver (YAML 1.1's rules) gives.
@Suite("Spec importer: plain scalars as Yams resolves them")
struct SpecScalarTests {
  static let texts = [
    "conv1", "same", "valid", "relu6", "Conv2D_3", "layer-1.weight", "a b", "x~", "e5", "inf", "nan", "Infinity",
    "yes", "Yes", "YES", "no", "on", "OFF", "true", "False", "null", "NULL", "nulls", "yess", "y", "n",
    "0", "7", "-12", "123456789012345678", "1234567890123456789", "007", "+5", "1_000", "0x1F", "0o17", "0b101",
    "1:30", "2.5", "2.5e-3", ".5", ".inf", "-.INF", ".NaN", "~", "", "<<", "=", "2026-12-05", "-", "-0",
    "conv\n", "yes\n", "caf\u{E9}", "tab\there",
  ]

  @Test(arguments: texts) func sameTypeAsYamsResolver(_ text: String) {
    let yams = Resolver.default.resolveTag(of: Node(text))
    #expect(SpecScalar.isString(text) == (yams == .str))
    #expect(SpecScalar.resolvedTagName(text) == yams.rawValue)
  }

  @Test(arguments: texts + ["in_f", "a:1", "INF", "nan", "snan", "Infinity", "e"])
  func sameNumbersAsYamsConstructors(_ text: String) {
    #expect(SpecScalar.int(text) == Int.construct(from: Node.Scalar(text)))
    let double = SpecScalar.double(text)
    let yams = Double.construct(from: Node.Scalar(text))
    #expect(double == yams || (double?.isNaN == true && yams?.isNaN == true))
  }

  /// Found by the `spec` fuzzer: Yams' base-60 integer multiplies its parts unchecked and traps.
  @Test func aBase60IntegerThatOverflowsIsNotAnInteger() {
    #expect(SpecScalar.int("1:30") == 90 && SpecScalar.int("-1:30") == -90)
    #expect(SpecScalar.int("4608243447124470927:1") == nil)
    #expect(SpecScalar.int("1:\(Int.max)") == nil)
  }

  @Test func namesAndDecimalsAreAnsweredWithoutTheResolver() {
    #expect(SpecScalar.isPlainWord("conv1") && SpecScalar.isPlainWord("layer-1.weight"))
    #expect(!SpecScalar.isPlainWord("yes") && !SpecScalar.isPlainWord("1x") && !SpecScalar.isPlainWord("yes\n"))
  }
}
