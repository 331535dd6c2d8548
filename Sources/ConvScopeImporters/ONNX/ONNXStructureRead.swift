import ConvScopeCore
import Foundation

/// Reads a large ONNX file's structure with positioned reads (`pread`) into an anonymous
/// buffer of the file's size (``SparseFileCopy``), leaving the weight payloads that the decoder never reads as
/// untouched (never resident) zero pages. The buffer has the file's offsets, so the decoder
/// and every error's byte offset are the same as with the mapped file.
///
/// Mapping the file instead makes weight pages resident whenever the page cache holds them:
/// each touched tensor header faults in its neighbourhood (the kernel's fault-around, 64 KiB),
/// so peak memory grew with the file (126 MB for ViT-B/16's 347 MB, issue 17).
///
/// The walk follows the messages that can hold a `TensorProto` (model → graph → node →
/// attribute → tensor, functions, training info, sparse tensors) and copies every other field
/// verbatim. A tensor's payload fields (`float_data` 4, `int32_data` 5, `int64_data` 7,
/// `raw_data` 9, `double_data` 10, `uint64_data` 11) are read only when the tensor's dims and
/// type, decoded from the copied header at the message's end, make it small enough for the
/// decoder to read its values (``ONNXDecoder/valueLimit(for:)``). Anything the walk cannot
/// parse is copied verbatim, so a corrupt file gets the decoder's own error.
enum ONNXStructureRead {
  /// Files smaller than this are mapped whole: their weights cost little.
  static let minimumSize = 16 << 20
  /// The first bytes are copied whole: format detection looks at them (``ModelLoader``).
  static let prefix = 8192

  /// The structure of the regular file at `path`, or nil when it cannot be read this way
  /// (the caller maps the file instead). The initializers are read ahead (``RecordPrefetch``)
  /// once a read has waited for the disk, or from the start when `readAhead` is set.
  static func read(path: String, minimumSize: Int = minimumSize, readAhead: Bool = false) -> Data? {
    guard var file = SparseFileCopy(path: path, minimumSize: minimumSize) else { return nil }
    if readAhead { file.readsWaited = true }
    return read(file)
  }

  /// The structure of `file`, read as ``read(path:minimumSize:readAhead:)`` reads it; nil
  /// when a read failed.
  static func read(_ file: SparseFileCopy) -> Data? { walk(file, observer: nil).finish() }

  /// `file` with its structure copied (``SparseFileCopy/finish()`` gives it, or nil when a
  /// read failed), `observer` told of the main graph's fields as they were copied.
  static func walk(_ file: SparseFileCopy, observer: (any Observer)?) -> SparseFileCopy {
    var walk = Walk(file: file)
    walk.observer = observer
    walk.file.copy(0..<prefix)
    walk.file.frontier = min(file.size, prefix)
    walk.message(0..<file.size, .model)
    return walk.file
  }

  /// Told, on the walk's thread, of the model's main graph as the walk reads it
  /// (``ONNXStreamingRead``): its range before its first field, then each of its fields once
  /// the walk has copied what the decoder reads of it.
  protocol Observer: AnyObject {
    func enteringMainGraph(_ body: Range<Int>)
    /// Field `number` of the main graph (a length-delimited one), its value at `body`.
    func walkedMainGraphField(_ number: Int, body: Range<Int>)
  }

  /// The ONNX messages on the way to a `TensorProto`.
  enum Kind {
    case model, graph, node, attribute, function, trainingInfo, sparseTensor, tensor

    /// The message kind of field `number`, when the walk descends into it.
    func child(_ number: Int) -> Kind? {
      switch (self, number) {
      case (.model, 7), (.trainingInfo, 1), (.trainingInfo, 2), (.attribute, 6), (.attribute, 11): .graph
      case (.model, 25): .function
      case (.model, 20): .trainingInfo
      case (.graph, 1), (.function, 7): .node
      case (.node, 5), (.function, 11): .attribute
      case (.graph, 5), (.attribute, 5), (.attribute, 10), (.sparseTensor, 1), (.sparseTensor, 2): .tensor
      case (.graph, 15), (.attribute, 22), (.attribute, 23): .sparseTensor
      default: nil
      }
    }
  }

  /// The copy in progress (``SparseFileCopy/frontier``: bytes before it are copied or
  /// deliberately left out).
  struct Walk {
    var file: SparseFileCopy
    var observer: (any Observer)?
    /// The model's graph (its first `graph` field), once the walk reaches it.
    var mainGraph: Range<Int>?
    /// Bytes read past what a field needs, at least, so that small fields cost one read
    /// between them; a read goes on to the end of its last page (``ensure(_:_:)``).
    static let lookahead = 256
    /// Payloads shorter than this are copied with the header around them.
    static let smallPayload = 4096

    var bytes: UnsafeRawBufferPointer { file.bytes }
    var failed: Bool { file.failed }

    /// Makes sure `count` bytes at `offset` are copied, reading on to the end of the page where
    /// the lookahead ends: every page the copy touches costs a fault (and its release), so a
    /// tensor header between two skipped payloads touches one page, not the next as well.
    mutating func ensure(_ offset: Int, _ count: Int) {
      let start = max(offset, file.frontier)
      let stop = SparseFileCopy.pageBoundary(atOrAfter: max(offset + count, start + Self.lookahead))
      file.ensure(offset, count, lookahead: stop - start)
    }

    /// Walks the message of `kind` in `range`, copying all but the payloads nobody reads.
    /// `subgraphDepth` counts the graphs held by attributes (If branches, Loop bodies) around
    /// it: the decoder refuses a subgraph deeper than ``ONNXDecoder/maxDepth`` before reading
    /// its bytes, so the walk leaves the ones past that depth unread, and its own recursion
    /// stays bounded whatever the file nests.
    mutating func message(_ range: Range<Int>, _ kind: Kind, subgraphDepth: Int = 0) {
      var offset = range.lowerBound
      var deferred: [Range<Int>] = []
      var prefetch = RecordPrefetch()
      while offset < range.upperBound, !failed {
        ensure(offset, 20)
        let fieldStart = offset
        var reader = ProtobufReader(bytes: bytes, range: offset..<range.upperBound)
        guard let field = try? reader.nextField() else { break }
        guard field.wireType == .lengthDelimited, let body = try? reader.readLengthDelimited() else {
          // A scalar (or a group, which the decoder refuses): copied by the lookahead or below.
          guard (try? reader.skip(field)) != nil else { break }
          ensure(offset, reader.offset - offset)
          offset = reader.offset
          continue
        }
        offset = body.upperBound
        if kind == .graph, field.number == 5 {
          // The initializers: a run of tensors, each header found by the one before.
          let ahead = prefetch.record(
            start: fieldStart, length: offset - fieldStart, slow: file.readsWaited, limit: range.upperBound)
          for range in ahead { file.prefetch(range) }
        }
        if kind == .model, field.number == 7, mainGraph == nil {
          mainGraph = body
          observer?.enteringMainGraph(body)
        }
        if let child = kind.child(field.number) {
          let depth = kind == .attribute && child == .graph ? subgraphDepth + 1 : subgraphDepth
          if depth <= ONNXDecoder.maxDepth { message(body, child, subgraphDepth: depth) }
        } else if kind == .tensor, Self.isPayload(field.number), body.count > Self.smallPayload {
          deferred.append(body)
          file.frontier = max(file.frontier, body.upperBound)
        } else {
          ensure(body.lowerBound, body.count)
        }
        if kind == .graph, range == mainGraph, !failed {
          observer?.walkedMainGraphField(field.number, body: body)
        }
      }
      let unparsed = offset < range.upperBound
      // Not parseable here: the decoder will read (and report) these bytes as they are.
      if unparsed { ensure(offset, range.upperBound - offset) }
      if !deferred.isEmpty, unparsed || !Self.valuesAreSkipped(in: bytes, range) {
        for payload in deferred where !file.copy(payload) { break }
      }
    }

    /// Whether field `number` of a `TensorProto` holds its values.
    static func isPayload(_ number: Int) -> Bool {
      switch number {
      case 4, 5, 7, 9, 10, 11: true
      default: false
      }
    }

    /// Whether the decoder leaves the `TensorProto` in `range` (header copied, payloads
    /// not) without reading its values: its dims hold more elements than
    /// ``ONNXDecoder/valueLimit(for:)`` decodes for its type. False when unsure.
    static func valuesAreSkipped(in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
      var reader = ProtobufReader(bytes: bytes, range: range)
      var dims: [Int] = []
      var typeCode = 0
      do {
        while let field = try reader.nextField() {
          switch field.number {
          case 1: try reader.appendInts(field, "TensorProto.dims", to: &dims)
          case 2: typeCode = try reader.int(field, "TensorProto.data_type")
          default: try reader.skip(field)
          }
        }
      } catch {
        return false
      }
      var count = 1
      for dim in dims {
        guard dim >= 0 else { return true }  // refused before any value is read
        let (product, overflow) = count.multipliedReportingOverflow(by: dim)
        guard !overflow else { return true }
        count = product
      }
      return count > ONNXDecoder.valueLimit(for: DataType(onnxCode: typeCode) ?? .undefined)
    }
  }
}
