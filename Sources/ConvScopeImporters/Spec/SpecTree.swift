#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A composed spec document (YAML or JSON): every node of the tree in three flat arrays, built
/// by ``SpecComposer`` from libyaml's events. A node is an index into ``records``; a scalar's
/// text is a range of ``bytes`` (UTF-8), turned into a `String` only when read; a sequence's
/// items and a mapping's keys and values (interleaved) are a range of ``children``. An alias
/// is the index of the node its anchor names, so a tree can share nodes (it is a DAG).
///
/// This replaces `Yams.compose`, whose `Node`s cost a tag object, a resolver and a constructor
/// reference per scalar, resolve every key's tag with regular expressions and hash whole nodes
/// to find duplicate keys (docs/architecture.md, "The native spec reader").
final class SpecTree {
  enum Kind: UInt8 { case scalar, sequence, mapping }

  /// How a scalar was written: only plain scalars are numbers (as in Yams's constructors).
  enum Style: UInt8 { case plain, quoted, block }

  /// A scalar's tag: none written on a plain scalar (its type follows from its text), a string
  /// tag (quotes, a block, `!!str`, the non-specific `!`), or another explicit tag
  /// (``otherTags`` spells it).
  enum Tag: UInt8 { case implicit, string, other }

  struct Record {
    var kind: Kind
    var style: Style
    var tag: Tag
    /// Where the node starts in the text, 1-based.
    var line: Int32
    var column: Int32
    /// A scalar's bytes, or a container's children (a mapping has two per pair).
    var start: Int32
    var count: Int32
  }

  /// The tree's arrays, which ``SpecComposer`` fills.
  struct Storage {
    var records: [Record] = []
    var bytes: [UInt8] = []
    var children: [Int32] = []
    /// The explicit tags other than a string tag, by node (rare: `!!int 3`, `!custom x`).
    var otherTags: [Int32: String] = [:]

    /// Whether scalar `index`'s text is the UTF-8 of `probe`.
    func text(of index: Int32, equals probe: UnsafeBufferPointer<UInt8>) -> Bool {
      let record = records[Int(index)]
      guard probe.count == Int(record.count) else { return false }
      return bytes.withUnsafeBufferPointer { all in
        let text = all.baseAddress! + Int(record.start)
        return probe.isEmpty || (text[0] == probe[0] && memcmp(text, probe.baseAddress!, probe.count) == 0)
      }
    }

    /// Whether scalars `a` and `b` have the same text.
    func sameText(_ a: Int32, _ b: Int32) -> Bool {
      let start = Int(records[Int(b)].start)
      let count = Int(records[Int(b)].count)
      return bytes.withUnsafeBufferPointer { all in
        text(of: a, equals: UnsafeBufferPointer(rebasing: all[start..<start + count]))
      }
    }

    /// Scalar `index`'s text.
    func string(_ index: Int32) -> String {
      let record = records[Int(index)]
      return bytes.withUnsafeBufferPointer { all in
        String(
          decoding: UnsafeBufferPointer(rebasing: all[Int(record.start)..<Int(record.start + record.count)]),
          as: UTF8.self)
      }
    }
  }

  /// The arrays, read-only once composed (so reads need no exclusivity check).
  let storage: Storage
  /// The document's root, when it has one.
  let root: Int32?

  init(_ storage: Storage, root: Int32?) {
    self.storage = storage
    self.root = root
  }

  /// The root node, `nil` for an empty document.
  var rootNode: SpecNode? { root.map { SpecNode(tree: self, index: $0) } }
}

/// One node of a ``SpecTree``: a scalar, a sequence or a mapping, with its line and column.
struct SpecNode {
  let tree: SpecTree
  let index: Int32

  private var record: SpecTree.Record { tree.storage.records[Int(index)] }

  var kind: SpecTree.Kind { record.kind }
  var tag: SpecTree.Tag { record.tag }
  var line: Int { Int(record.line) }
  var column: Int { Int(record.column) }

  /// A scalar's text; `nil` for a sequence or a mapping.
  var text: String? { record.kind == .scalar ? tree.storage.string(index) : nil }

  /// Whether this is a scalar whose text is `key`.
  func isText(_ key: String) -> Bool {
    var key = key
    return record.kind == .scalar && key.withUTF8 { tree.storage.text(of: index, equals: $0) }
  }

  /// A sequence's items; `nil` for a scalar or a mapping.
  var items: Items? {
    record.kind == .sequence ? Items(tree: tree, start: Int(record.start), count: Int(record.count)) : nil
  }

  /// A mapping's pairs in the order written; `nil` for a scalar or a sequence.
  var pairs: Pairs? {
    record.kind == .mapping ? Pairs(tree: tree, start: Int(record.start), count: Int(record.count)) : nil
  }

  /// The items of a sequence.
  struct Items: RandomAccessCollection {
    let tree: SpecTree
    let start: Int
    let count: Int
    var startIndex: Int { 0 }
    var endIndex: Int { count }
    subscript(position: Int) -> SpecNode { SpecNode(tree: tree, index: tree.storage.children[start + position]) }
  }

  /// The key/value pairs of a mapping.
  struct Pairs: RandomAccessCollection {
    let tree: SpecTree
    let start: Int
    let count: Int
    var startIndex: Int { 0 }
    var endIndex: Int { count }
    subscript(position: Int) -> (key: SpecNode, value: SpecNode) {
      (
        SpecNode(tree: tree, index: tree.storage.children[start + 2 * position]),
        SpecNode(tree: tree, index: tree.storage.children[start + 2 * position + 1])
      )
    }
  }

  /// The value of `key` in a mapping (`nil` when this is not a mapping or has no such key),
  /// the last of a repeated key winning; `mark` is called with the index of every pair whose
  /// key reads `key`, string-typed or not (``SpecFields`` remembers them as read).
  func value(_ key: String, mark: (Int) -> Void = { _ in }) -> SpecNode? {
    guard let pairs else { return nil }
    var probe = key
    return probe.withUTF8 { probe in
      var found: Int32?
      var probeIsString: Bool?
      for position in 0..<pairs.count {
        let keyIndex = tree.storage.children[pairs.start + 2 * position]
        let keyRecord = tree.storage.records[Int(keyIndex)]
        guard keyRecord.kind == .scalar, tree.storage.text(of: keyIndex, equals: probe) else { continue }
        mark(position)
        // A key written plain has the probe's text, so the same type; a quoted or tagged one
        // matches when both are strings or both are not (as `Yams.Node.Mapping[key]`).
        if keyRecord.tag != .implicit {
          let isString = probeIsString ?? SpecScalar.isString(key)
          probeIsString = isString
          guard SpecNode(tree: tree, index: keyIndex).resolvesToString == isString else { continue }
        }
        found = tree.storage.children[pairs.start + 2 * position + 1]
      }
      return found.map { SpecNode(tree: tree, index: $0) }
    }
  }

  /// Whether this scalar's type is string as YAML's default resolver reads it (a key such as
  /// `filters`, not `true`, `1` or `null`).
  var resolvesToString: Bool {
    let record = record
    guard record.kind == .scalar else { return false }
    switch record.tag {
    case .string: return true
    case .other: return false
    case .implicit: return SpecScalar.isString(tree.storage.string(index))
    }
  }

  /// The name of this key's type, for duplicate detection: two keys are the same key when their
  /// texts and types are (`1` and `"1"` differ; `a` and `"a"` do not).
  var resolvedTagName: String {
    let record = record
    switch record.tag {
    case .string: return SpecScalar.stringTagName
    case .other: return tree.storage.otherTags[index] ?? ""
    case .implicit: return SpecScalar.resolvedTagName(tree.storage.string(index))
    }
  }

  /// Whether this is a plain scalar (unquoted, not a block): only those are numbers.
  var isPlain: Bool { record.kind == .scalar && record.style == .plain }

  /// An integer, as Yams reads one (`12`, `0x1F`, `0o17`, `1_000`, `1:30`); `nil` otherwise
  /// (floats such as `2.5`, quoted text, lists).
  var int: Int? { isPlain ? SpecScalar.int(tree.storage.string(index)) : nil }

  /// A real number (integers accepted), as Yams reads one; `nil` otherwise.
  var double: Double? { isPlain ? SpecScalar.double(tree.storage.string(index)) : nil }

  /// `true`/`yes`/`on` or `false`/`no`/`off` in any case, unless string-tagged (quoted).
  var bool: Bool? {
    guard record.kind == .scalar, record.tag != .string, record.count <= 5 else { return nil }
    return SpecScalar.bool(tree.storage.string(index))
  }

  /// How a value reads in an error: `a list`, `a mapping`, `'abc'`, `nothing`.
  var description: String {
    switch record.kind {
    case .scalar:
      let text = tree.storage.string(index)
      return text.isEmpty ? "nothing" : "'\(text)'"
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    }
  }
}
