import CYaml
import ConvScopeCore
import Foundation

/// Composes a spec (YAML, or JSON, which YAML reads) into a ``SpecTree`` from libyaml's events
/// (`CYaml`, the C library inside Yams), with the checks `Yams.compose` made: one document,
/// no undefined alias, no duplicate key in a mapping, and libyaml's own nesting cap (1,000
/// levels). Errors carry libyaml's line and column.
struct SpecComposer {
  let file: String
  private var tree = SpecTree.Storage()
  private var root: Int32?
  /// The containers being read, outermost first.
  private var open: [(index: Int32, firstChild: Int, anchor: String?)] = []
  /// The children of the open containers, in order.
  private var pending: [Int32] = []
  private var anchors: [String: Int32] = [:]
  private var documents = 0

  private init(file: String) { self.file = file }

  /// The document in `data`; its ``SpecTree/root`` is `nil` when it is empty.
  static func compose(_ data: Data, fileName: String) throws(ConvScopeError) -> SpecTree {
    guard var text = String(data: data, encoding: .utf8) else {
      throw ConvScopeError(file: fileName, message: "the file is not UTF-8 text")
    }
    guard data.count < Int(Int32.max) else {
      throw ConvScopeError(file: fileName, message: "the file is larger than 2 GiB, more than a spec can be")
    }
    let result = text.withUTF8 { bytes in
      var composer = SpecComposer(file: fileName)
      return Result { () throws(ConvScopeError) in try composer.read(bytes) }
    }
    return try result.get()
  }

  private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(ConvScopeError) -> SpecTree {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
    yaml_parser_initialize(parser)
    defer {
      yaml_parser_delete(parser)
      parser.deallocate()
      event.deallocate()
    }
    yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
    tree.records.reserveCapacity(bytes.count / 8)
    tree.bytes.reserveCapacity(bytes.count / 2)
    tree.children.reserveCapacity(bytes.count / 8)
    while true {
      guard yaml_parser_parse(parser, event) == 1 else { throw syntaxError(parser.pointee) }
      defer { yaml_event_delete(event) }
      if try !take(event.pointee) { return SpecTree(tree, root: root) }
    }
  }

  /// Adds what `event` says to the tree; false at the end of the stream.
  private mutating func take(_ event: yaml_event_t) throws(ConvScopeError) -> Bool {
    switch event.type {
    case YAML_STREAM_END_EVENT:
      return false
    case YAML_DOCUMENT_START_EVENT:
      documents += 1
      guard documents == 1 else {
        throw error(
          at: event.start_mark,
          "syntax error: but found another document "
            + "(expected a single document in the stream at line 1, column 1)")
      }
    case YAML_ALIAS_EVENT:
      guard let target = anchors[String(cString: event.data.alias.anchor)] else {
        throw error(at: event.start_mark, "syntax error: found undefined alias")
      }
      add(target)
    case YAML_SCALAR_EVENT:
      let scalar = event.data.scalar
      let index = append(.scalar, event.start_mark, start: tree.bytes.count, count: scalar.length)
      tree.bytes.append(contentsOf: UnsafeBufferPointer(start: scalar.value, count: scalar.length))
      tree.records[Int(index)].style = Self.style(scalar.style)
      if scalar.quoted_implicit == 1 {
        tree.records[Int(index)].tag = .string
      } else if let tag = scalar.tag {
        let name = String(cString: tag)
        let isString = name == "!" || name == "tag:yaml.org,2002:str"
        tree.records[Int(index)].tag = isString ? .string : .other
        if !isString { tree.otherTags[index] = name }
      }
      if let anchor = scalar.anchor { anchors[String(cString: anchor)] = index }
      add(index)
    case YAML_SEQUENCE_START_EVENT:
      let index = append(.sequence, event.start_mark, start: 0, count: 0)
      open.append((index, pending.count, event.data.sequence_start.anchor.map { String(cString: $0) }))
    case YAML_MAPPING_START_EVENT:
      let index = append(.mapping, event.start_mark, start: 0, count: 0)
      open.append((index, pending.count, event.data.mapping_start.anchor.map { String(cString: $0) }))
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      try close()
    default:
      break  // the stream's start, a document's end
    }
    return true
  }

  /// Appends a node's record; returns its index.
  private mutating func append(_ kind: SpecTree.Kind, _ mark: yaml_mark_t, start: Int, count: Int) -> Int32 {
    tree.records.append(
      SpecTree.Record(
        kind: kind, style: .plain, tag: .implicit, line: Int32(truncatingIfNeeded: mark.line + 1),
        column: Int32(truncatingIfNeeded: mark.column + 1), start: Int32(start), count: Int32(count)))
    return Int32(tree.records.count - 1)
  }

  /// A finished node: a child of the open container, else the document's root.
  private mutating func add(_ index: Int32) {
    if open.isEmpty { root = index } else { pending.append(index) }
  }

  /// Ends the innermost open container: its children move to the tree.
  private mutating func close() throws(ConvScopeError) {
    let (index, firstChild, anchor) = open.removeLast()
    let count = pending.count - firstChild
    let isMapping = tree.records[Int(index)].kind == .mapping
    tree.records[Int(index)].start = Int32(tree.children.count)
    tree.records[Int(index)].count = Int32(isMapping ? count / 2 : count)
    tree.children.append(contentsOf: pending[firstChild...])
    if isMapping && SpecDuplicateKeys.mayRepeat(pending[firstChild...], in: tree) {
      try SpecDuplicateKeys.check(SpecNode(tree: SpecTree(tree, root: nil), index: index), file: file)
    }
    pending.removeSubrange(firstChild...)
    if let anchor { anchors[anchor] = index }  // after the node, as Yams: an alias inside it is undefined
    add(index)
  }

  private static func style(_ style: yaml_scalar_style_t) -> SpecTree.Style {
    switch style {
    case YAML_PLAIN_SCALAR_STYLE, YAML_ANY_SCALAR_STYLE: .plain
    case YAML_SINGLE_QUOTED_SCALAR_STYLE, YAML_DOUBLE_QUOTED_SCALAR_STYLE: .quoted
    default: .block
    }
  }

  private func error(at mark: yaml_mark_t, _ message: String) -> ConvScopeError {
    ConvScopeError(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: message)
  }

  /// libyaml's error, with its line and column (the byte offset for an encoding error).
  private func syntaxError(_ parser: yaml_parser_t) -> ConvScopeError {
    let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
    switch parser.error {
    case YAML_READER_ERROR:
      return ConvScopeError(
        file: file, byteOffset: Int(parser.problem_offset), message: "cannot read the text: \(problem)")
    case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
      let detail =
        parser.context.map {
          " (\(String(cString: $0)) at line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1))"
        } ?? ""
      // libyaml's nesting cap (1,000 levels) names the C function that sets it; say what it means.
      let tooDeep = problem.hasPrefix("Maximum nesting level reached")
      let problem = tooDeep ? "lists and mappings nest deeper than 1,000 levels" : problem
      return error(at: parser.problem_mark, "syntax error: \(problem)\(detail)")
    default:
      return ConvScopeError(file: file, message: "cannot parse the file: libyaml ran out of memory")
    }
  }
}
