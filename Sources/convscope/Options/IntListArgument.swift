import ArgumentParser

/// A comma-separated list of positive integers: `8`, `1,8,64`, `160,224,320`; token counts
/// (``tokens(parsing:)``) may end in `k` (×1024): `1k,8k,32k`.
struct IntListArgument: Hashable {
  var values: [Int]

  init(parsing text: String) throws(ValidationError) {
    try self.init(parsing: text, thousands: false)
  }

  /// Token counts: whole numbers with an optional `k` suffix for 1024 (`512`, `8k`).
  static func tokens(parsing text: String) throws(ValidationError) -> IntListArgument {
    try IntListArgument(parsing: text, thousands: true)
  }

  private init(parsing text: String, thousands: Bool) throws(ValidationError) {
    var values: [Int] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let word = part.trimmingSpaces.lowercased()
      let scaled = thousands && word.hasSuffix("k")
      guard let number = Int(scaled ? String(word.dropLast()) : word), number > 0, !thousands || number <= 1 << 40
      else {
        let what = thousands ? "positive token count (512, 8k)" : "positive whole number"
        throw ValidationError("'\(part)' in '\(text)' is not a \(what)")
      }
      values.append(scaled ? number * 1024 : number)
    }
    self.values = values
  }
}
