/// "Did you mean" for unknown names: the closest known name by edit distance,
/// ignoring case, when it is close enough to be a plausible typo.
enum NameSuggestion {
  /// ` (did you mean 'Conv2D'?)`, or an empty string when nothing is close.
  static func hint(for name: String, among candidates: some Sequence<String>) -> String {
    closest(to: name, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
  }

  /// The candidate nearest to `name`, if within a third of its length (at least 2 edits);
  /// ties go to the alphabetically first.
  static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
    let target = Array(name.lowercased())
    let limit = max(2, target.count / 3)
    var best: (name: String, distance: Int)?
    for candidate in candidates.sorted() {
      let distance = editDistance(target, Array(candidate.lowercased()))
      if distance <= limit && distance < (best?.distance ?? .max) { best = (candidate, distance) }
    }
    return best?.name
  }

  /// Levenshtein distance.
  private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
