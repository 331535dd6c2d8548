import ArgumentParser
import ConvScope

/// One `--input-shape`: `image=1x3x224x224`, `1x3x224x224` (the only input),
/// `tokens=Nx128`, `x=[1,3,32,32]`. Dims are separated by `x` or, when a symbolic
/// name contains an x, by commas; `1X3X224X224` (no `x`, no comma) splits at `X`.
/// A symbolic name starts with a letter or `_`.
struct InputShapeArgument: Hashable {
  /// The input's name; empty for "the only input".
  var name: String
  var shape: Shape

  init(parsing text: String) throws(ValidationError) {
    let equals = text.lastIndex(of: "=")
    name = equals.map { String(text[..<$0]) } ?? ""
    var body = equals.map { text[text.index(after: $0)...] } ?? text[...]
    if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
    guard !body.isEmpty else {
      throw ValidationError("'\(text)' has no dims; expected NAME=1x3x224x224 or 1x3x224x224")
    }
    let dimSeparator: Character = body.contains(",") ? "," : body.contains("x") ? "x" : "X"
    let parts = body.split(separator: dimSeparator, omittingEmptySubsequences: false)
    var dims: [Dim] = []
    for part in parts.map({ $0.trimmingSpaces }) {
      if let size = Int(part) {
        guard size >= 0 else { throw ValidationError("dim '\(part)' in '\(text)' is negative") }
        dims.append(.fixed(size))
      } else if part == "?" || Dim.isSymbolName(part) {
        dims.append(part == "?" ? .unknown : .symbolic(String(part)))
      } else {
        let hint = dimSeparator == "," && part.contains("x") ? "; give each input its own --input-shape NAME=..." : ""
        throw ValidationError("dim '\(part)' in '\(text)' is neither a number nor a name\(hint)")
      }
    }
    shape = Shape(dims)
  }
}

extension InputShapeArgument {
  /// The library's binding for this argument.
  var binding: InputBinding { InputBinding(name: name, shape: shape) }
}

extension Substring {
  /// The text without leading and trailing spaces.
  var trimmingSpaces: Substring {
    drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed().reduce(into: "") { $0.append($1) }
  }
}
