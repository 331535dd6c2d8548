import ArgumentParser

/// A comma-separated list of positive integers: `8`, `1,8,64`, `160,224,320`.
struct IntListArgument: Hashable {
  var values: [Int]

  init(parsing text: String) throws(ValidationError) {
    var values: [Int] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      guard let value = Int(part.trimmingSpaces), value > 0 else {
        throw ValidationError("'\(part)' in '\(text)' is not a positive whole number")
      }
      values.append(value)
    }
    self.values = values
  }
}
