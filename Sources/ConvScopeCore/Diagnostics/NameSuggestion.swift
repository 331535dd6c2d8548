/// "Did you mean" suggestions for misspelled names (op names, keys, layer names).
public enum NameSuggestion {
  /// The longest name (in characters) a suggestion is looked for: typos are in names people
  /// type, and the edit distance costs the product of the two lengths.
  public static let maximumNameLength = 256

  /// The candidate closest to `name` by edit distance (case-insensitive), when
  /// it is close enough to be a plausible typo: at most a third of the name's
  /// length, and at least 1 edit, allowed. Names longer than ``maximumNameLength``
  /// get no suggestion, and candidates whose length alone rules them out are skipped,
  /// so the cost stays linear in the names' lengths.
  public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
    guard name.utf8.count <= maximumNameLength * 4, name.count <= maximumNameLength else { return nil }
    let target = Array(name.lowercased())
    let limit = max(1, target.count / 3)
    // Ties (`MaxPol`: `maxpool` and `MaxPool`) go to the candidate closer with case counted.
    var best: (candidate: String, distance: Int, exact: Int)?
    for candidate in candidates {
      // The edit distance is at least the difference in length.
      guard candidate.utf8.count <= (target.count + limit) * 4 else { continue }
      let lowered = Array(candidate.lowercased())
      guard abs(lowered.count - target.count) <= limit else { continue }
      let distance = editDistance(target, lowered)
      guard distance <= limit, distance <= (best?.distance ?? .max) else { continue }
      let exact = editDistance(Array(name), Array(candidate))
      if let best, distance == best.distance, exact >= best.exact { continue }
      best = (candidate, distance, exact)
    }
    return best?.candidate
  }

  /// `"; did you mean 'conv'?"`, or an empty string when nothing is close.
  public static func hint(for name: String, among candidates: some Sequence<String>) -> String {
    closest(to: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
  }

  /// Levenshtein distance with adjacent transpositions counted as one edit.
  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], before[j - 2] + 1)
        }
      }
      (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
  }
}
