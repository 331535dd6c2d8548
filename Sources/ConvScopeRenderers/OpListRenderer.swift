import ConvScopeCore
import ConvScopeReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `convscope ops`: the op types with a rule and each rule's one-line summary, or a model's
/// op types without a rule, as text fitted to a width or as JSON.
public enum OpListRenderer {
  /// One op type with a rule: `Conv` (or `com.microsoft:Attention`) and its summary.
  public struct Entry: Sendable, Codable, Hashable {
    public var op: String
    public var summary: String

    public init(op: String, summary: String) {
      self.op = op
      self.summary = summary
    }
  }

  /// Every rule of `registry`, an op of a custom domain written `domain:Op`.
  public static func entries(of registry: OpRegistry) -> [Entry] {
    registry.all.map { entry in
      Entry(
        op: entry.rule.domain.isEmpty ? entry.opType : "\(entry.rule.domain):\(entry.opType)",
        summary: entry.rule.summary)
    }
  }

  /// `entries` as text: the op types in a column, each summary beside it, wrapped at
  /// `options.width` under the summary column (the op column is at most 28 characters; a
  /// longer op type has its summary on the next line).
  public static func render(_ entries: [Entry], options: RenderOptions = RenderOptions()) -> String {
    let width = options.fittedWidth
    let column = min(28, entries.map(\.op.count).max() ?? 0)
    let hang = TextTable.spaces(column + 2)
    let summaryWidth = max(20, width - column - 2)
    var lines: [String] = []
    for entry in entries {
      let summary = TextTable.wrapWords(entry.summary, width: summaryWidth, indent: 0)
      if entry.op.count > column {
        lines.append(entry.op)
        lines += summary.map { hang + $0 }
      } else {
        let head = entry.op + TextTable.spaces(column - entry.op.count) + "  "
        lines += summary.enumerated().map { ($0.offset == 0 ? head : hang) + $0.element }
      }
    }
    return lines.map { $0 + "\n" }.joined()
  }

  /// The op types of `model` without a rule as text: one `op  count` line each, or a line
  /// saying every op has a rule.
  public static func render(unsupported: [UnsupportedOp], model: String) -> String {
    unsupported.isEmpty
      ? "every op in \(model) has a rule\n" : unsupported.map { "\($0.op)  \($0.count)\n" }.joined()
  }

  /// `value` (the entries, the unsupported ops) as JSON (``PrettyJSON``).
  public static func json(_ value: some Encodable) throws(ConvScopeError) -> String {
    try PrettyJSON.text(value, what: "the list")
  }
}

/// A small value as JSONEncoder writes it with sorted keys, pretty, slashes unescaped; ends with a newline.
enum PrettyJSON {
  static func text(_ value: some Encodable, what: String) throws(ConvScopeError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    } catch {
      throw ConvScopeError(message: "cannot write \(what) as JSON: \(error)")
    }
  }
}
