import Yams

/// How a spec reads a plain scalar's text, exactly as `Yams` did when it composed specs: the
/// common cases (a word, a decimal integer) without allocating, anything else (`0x1F`,
/// `1_000`, `1:30`, `2.5e-3`, a key that is a number) through Yams's own resolver and
/// constructors, which are slower (regular expressions, a tag object) but rare in a spec.
enum SpecScalar {
  /// Whether YAML's default resolver reads `text`, written plain, as a string: a name
  /// (``isPlainWord(_:)``) is one and a decimal integer is not, without asking Yams.
  static func isString(_ text: String) -> Bool {
    if isPlainWord(text) { return true }
    if decimal(text) != nil { return false }
    return Resolver.default.resolveTag(of: Node(text)) == .str
  }

  /// The full name of YAML's string type (`tag:yaml.org,2002:str`).
  static let stringTagName = Tag.Name.str.rawValue

  private static let intTagName = Tag.Name.int.rawValue

  /// The name of the type YAML's default resolver gives `text` written plain (`str`, `int`...).
  static func resolvedTagName(_ text: String) -> String {
    if isPlainWord(text) { return stringTagName }
    if decimal(text) != nil { return intTagName }
    return Resolver.default.resolveTag(of: Node(text)).rawValue
  }

  /// A name the default resolver reads as a string without a regular expression: printable
  /// ASCII beginning with a letter (`conv1`, `same`, `relu6`), not a boolean or null word.
  /// Every other rule of YAML 1.1's resolver (int, float, timestamp, merge, value, `~`) needs
  /// a digit, a sign, `.`, `~`, `<` or `=` first; ICU's `$` also matches before a final line
  /// break, so control characters and non-ASCII text go to the resolver.
  static func isPlainWord(_ text: String) -> Bool {
    guard let first = text.utf8.first, (first | 0x20) >= 0x61, (first | 0x20) <= 0x7A else { return false }
    return text.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E } && !nonStringWords.contains(text)
  }

  /// A plain word without `_` or `:`, which Yams's number constructors pass to Swift's own
  /// `Int(_:)` and `Double(_:)` unchanged (`inf` and `nan` are Doubles there, as in Yams).
  private static func isSimpleWord(_ text: String) -> Bool {
    isPlainWord(text) && !text.utf8.contains { $0 == 0x5F || $0 == 0x3A }
  }

  private static let nonStringWords: Set<String> = [
    "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
    "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
  ]

  /// An integer as `Int.construct(from:)` reads a plain scalar; a decimal of up to 18 digits
  /// (optionally after `-`, no leading zero) is read here.
  static func int(_ text: String) -> Int? {
    if let decimal = decimal(text) { return decimal }
    if isSimpleWord(text) { return Int(text) }
    if text.utf8.contains(UInt8(ascii: ":")) && !fitsSexagesimal(text) { return nil }
    return Int.construct(from: Node.Scalar(text))
  }

  /// Whether a YAML 1.1 base-60 integer (`1:30` is 90) fits an `Int`: Yams multiplies its parts
  /// without checking for overflow (`4608243447124470927:1` trapped), so one that would overflow,
  /// or has a part that is not a number, is not an integer here.
  private static func fitsSexagesimal(_ text: String) -> Bool {
    var value = 0
    for part in text.filter({ $0 != "_" }).split(separator: ":", omittingEmptySubsequences: false) {
      guard let number = Int(part), number != .min else { return false }
      let (shifted, overflow) = value.multipliedReportingOverflow(by: 60)
      let (sum, sumOverflow) = shifted.addingReportingOverflow(abs(number))
      guard !overflow, !sumOverflow else { return false }
      value = sum
    }
    return true
  }

  /// A real number as `Double.construct(from:)` reads a plain scalar (infinities and NaN
  /// included: the callers refuse them).
  static func double(_ text: String) -> Double? {
    if let decimal = decimal(text) { return Double(decimal) }
    if isSimpleWord(text) { return Double(text) }
    return Double.construct(from: Node.Scalar(text))
  }

  /// `true`, `yes`, `on` / `false`, `no`, `off`, in any case (`Bool.construct(from:)`).
  static func bool(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "true", "yes", "on": true
    case "false", "no", "off": false
    default: nil
    }
  }

  /// `-?[1-9][0-9]{0,17}` or `0`, read without allocating; `nil` for anything else.
  private static func decimal(_ text: String) -> Int? {
    var text = text
    return text.withUTF8 { bytes -> Int? in
      var position = 0
      let negative = bytes.first == 0x2D
      if negative { position = 1 }
      let digits = bytes.count - position
      guard digits >= 1, digits <= 18 else { return nil }
      if bytes[position] == 0x30 { return digits == 1 && !negative ? 0 : nil }
      var value = 0
      while position < bytes.count {
        let digit = Int(bytes[position]) - 0x30
        guard digit >= 0, digit <= 9 else { return nil }
        value = value * 10 + digit
        position += 1
      }
      return negative ? -value : value
    }
  }
}
