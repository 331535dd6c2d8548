/// One dimension of a tensor shape: a known size, or a name standing for a size
/// that is bound later (`N`, `batch`, `seq_len`), or unknown altogether.
///
/// ```swift
/// let dims: [Dim] = [.symbolic("N"), 3, 224, 224]
/// ```
public enum Dim: Hashable, Sendable {
  /// A known, non-negative size.
  case fixed(Int)
  /// A named size, bound by `--input-shape` or `--batch`; an empty name means unknown.
  case symbolic(String)

  /// The size when it is known.
  public var value: Int? {
    if case .fixed(let v) = self { return v }
    return nil
  }

  /// A dimension whose size nobody knows.
  public static let unknown = Dim.symbolic("")

  /// A weight dim the importer left to the op rules (a dense layer's input features after a
  /// flatten): the analyzer completes it from the consuming rule's
  /// ``OpRule/expectedWeightShapes(_:)`` before the rule runs. See ``ConstantTensor/deferredAxes``.
  public static let deferred = Dim.symbolic("?deferred")
}

extension Dim: ExpressibleByIntegerLiteral {
  public init(integerLiteral value: Int) { self = .fixed(value) }
}

extension Dim: ExpressibleByStringLiteral {
  public init(stringLiteral value: String) { self = .symbolic(value) }
}

extension Dim: CustomStringConvertible {
  public var description: String {
    switch self {
    case .fixed(let v): return String(v)
    case .symbolic(let name): return name.isEmpty || self == .deferred ? "?" : name
    }
  }
}

extension Dim: Codable {
  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let v = try? container.decode(Int.self) {
      self = .fixed(v)
    } else {
      self = .symbolic(try container.decode(String.self))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .fixed(let v): try container.encode(v)
    case .symbolic(let name): try container.encode(name.isEmpty ? "?" : name)
    }
  }
}

extension Dim {
  /// Whether `text` is a name `--input-shape` reads as a symbolic dim: a letter or `_`,
  /// then letters, digits or `_` (`N`, `max_len`).
  public static func isSymbolName(_ text: some StringProtocol) -> Bool {
    guard let first = text.first, first.isLetter || first == "_" else { return false }
    return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
  }

  /// `text` made a symbol name: every other character becomes `_`, and a `_` goes in
  /// front of a leading digit (`p2o.DynamicDimension.1` → `p2o_DynamicDimension_1`,
  /// `input:0` → `input_0`, `0` → `_0`).
  public static func symbolName(from text: String) -> String {
    let name = String(text.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    return isSymbolName(name) ? name : "_" + name
  }
}
