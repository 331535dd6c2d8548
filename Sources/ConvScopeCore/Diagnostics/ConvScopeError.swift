/// An error a user sees: one line naming where (file, position, layer, op, field) and what.
///
/// ```text
/// seed.yaml:14:7: layer 'Conv2' (Conv), field 'kernel': kernel 7 is larger than the padded input 5
/// ```
public struct ConvScopeError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file being read, as the user named it.
  public var file: String?
  /// 1-based line and column in a text file.
  public var line: Int?
  public var column: Int?
  /// Byte offset in a binary file.
  public var byteOffset: Int?
  /// The layer (node) name.
  public var layer: String?
  /// The layer's op type.
  public var op: String?
  /// The attribute, key or input at fault.
  public var field: String?
  /// What is wrong, and what was expected.
  public var message: String

  public init(
    file: String? = nil, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil,
    layer: String? = nil, op: String? = nil, field: String? = nil, message: String
  ) {
    self.file = file
    self.line = line
    self.column = column
    self.byteOffset = byteOffset
    self.layer = layer
    self.op = op
    self.field = field
    self.message = message
  }

  public var description: String {
    var location = ""
    if let file {
      location = file
      if let line {
        location += ":\(line)"
        if let column { location += ":\(column)" }
      } else if let byteOffset {
        location += " (byte \(byteOffset))"
      }
    }
    var parts: [String] = []
    if !location.isEmpty { parts.append(location) }
    var subject = ""
    if let layer { subject = "layer '\(layer)'" + (op.map { " (\($0))" } ?? "") }
    if let field { subject += (subject.isEmpty ? "" : ", ") + "field '\(field)'" }
    if !subject.isEmpty { parts.append(subject) }
    parts.append(message)
    return parts.joined(separator: ": ")
  }

  /// The same error with the file filled in where it was missing.
  public func inFile(_ name: String) -> ConvScopeError {
    var copy = self
    if copy.file == nil { copy.file = name }
    return copy
  }
}

/// A context-free error thrown by an op rule; the analyzer adds file, layer and op.
public struct OpError: Error, Sendable, Equatable {
  /// The attribute or input at fault (`kernel_shape`, `inputs[1]`), if one is.
  public var field: String?
  /// What is wrong.
  public var message: String
  /// True when the rule could not run because an input's shape is not known
  /// (it follows an op without a rule, or a data-dependent op such as NonZero).
  /// The analyzer then leaves the node unresolved and goes on, instead of failing.
  public var isUnknownShape: Bool

  public init(field: String? = nil, _ message: String, isUnknownShape: Bool = false) {
    self.field = field
    self.message = message
    self.isUnknownShape = isUnknownShape
  }
}
