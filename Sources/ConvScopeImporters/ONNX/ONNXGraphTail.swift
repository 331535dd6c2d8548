import ConvScopeCore

/// What an ONNX file holds after its main graph's initializers, read apart from the rest
/// (``ONNXStreamingRead``, which needs the graph's inputs before its initializers are read): the
/// graph's inputs, outputs and declared shapes, and the default-domain opset, as ``ONNXDecoder``
/// reads them.
struct ONNXGraphTail {
  /// The bytes read before the graph's end to find its inputs, outputs and declared shapes.
  static let window = 64 << 10
  /// The most bytes after the graph (opsets, metadata) read with them.
  static let modelTail = 64 << 10

  var opset: Int?
  var inputs: [ONNXValueInfo] = []
  var outputs: [ONNXValueInfo] = []
  var declared: [ONNXValueInfo] = []

  /// The tail of `graph` in `bytes` (the file's first bytes up to the graph and its last
  /// ``window`` bytes and all after it copied), or nil when it cannot be read so, or the
  /// model defines functions (whose calls the decoder expands into the graph).
  init?(in bytes: UnsafeRawBufferPointer, graph: Range<Int>) {
    guard let start = Self.start(in: bytes, graph: graph, window: Self.window) else { return nil }
    let decoder = ONNXDecoder(bytes: bytes)
    do throws(ProtobufError) {
      let (opsets, definesFunctions) = try decoder.modelOpsets()
      guard !definesFunctions else { return nil }
      opset = opsets[""]
      var reader = ProtobufReader(bytes: bytes, range: start..<graph.upperBound)
      while let field = try reader.nextField() {
        let body = try reader.message(field, "GraphProto")
        switch field.number {
        case 11: inputs.append(try decoder.valueInfo(in: body))
        case 12: outputs.append(try decoder.valueInfo(in: body))
        case 13: declared.append(try decoder.valueInfo(in: body))
        default: break
        }
      }
    } catch {
      return nil
    }
  }

  /// Where the graph's inputs start: the first offset of the last `window` bytes of `graph`
  /// from which the graph's fields are inputs (11), outputs (12), declared shapes (13),
  /// quantization annotations (14) and metadata (16) only, in that order, the first three
  /// named, ending exactly at the graph's end (the order protobuf writers give them, after the
  /// initializers). A guess: bytes of a weight can parse so too, which
  /// ``ONNXStreamingRead`` finds when it checks what it handed over.
  ///
  /// Whether the fields from an offset on parse so does not depend on where the parse began,
  /// so each offset's answer is kept: every field in the window is parsed once in all, not
  /// once for each candidate before it (a file of 16,000 one-byte inputs made that 0.8 s).
  static func start(in bytes: UnsafeRawBufferPointer, graph: Range<Int>, window: Int) -> Int? {
    let lower = max(graph.lowerBound, graph.upperBound - window)
    var known = TailParses(lower: lower, end: graph.upperBound)
    for start in lower..<graph.upperBound where bytes[start] == 0x5a {
      if known.parse(from: start, in: bytes) { return start }
    }
    return nil
  }

  /// For each offset of the window parsed so far, whether the fields from it to the graph's
  /// end are tail fields in order (``start(in:graph:window:)``).
  private struct TailParses {
    let lower: Int
    let end: Int
    /// 0 for an offset not parsed yet, 1 when its fields are not tail fields, 2 when they are.
    private var outcomes: [UInt8]

    init(lower: Int, end: Int) {
      self.lower = lower
      self.end = end
      outcomes = [UInt8](repeating: 0, count: end - lower)
    }

    /// Whether the fields from `start` on are tail fields in order: parsed until the end, a
    /// field that is not one, or an offset already answered; every offset passed is answered.
    mutating func parse(from start: Int, in bytes: UnsafeRawBufferPointer) -> Bool {
      var passed: [(offset: Int, number: Int)] = []
      var offset = start
      var rest: (parses: Bool, number: Int?)
      while true {
        if offset == end {
          rest = (true, nil)
          break
        }
        let field = Self.field(at: offset, to: end, in: bytes)
        if outcomes[offset - lower] != 0 {
          rest = (outcomes[offset - lower] == 2, field?.number)
          break
        }
        guard let field else {
          outcomes[offset - lower] = 1
          rest = (false, nil)
          break
        }
        passed.append((offset, field.number))
        offset = field.next
      }
      // A field's fields parse when the ones after it do and come in order after it.
      for (offset, number) in passed.reversed() {
        let parses = rest.parses && (rest.number.map { number <= $0 } ?? true)
        outcomes[offset - lower] = parses ? 2 : 1
        rest = (parses, number)
      }
      return outcomes[start - lower] == 2
    }

    /// The tail field at `offset` (its number and where the next field starts), or nil when
    /// the bytes there are not one: a length-delimited field 11, 12, 13, 14 or 16, a
    /// value_info (11 to 13) naming its value first (field 1).
    static func field(at offset: Int, to end: Int, in bytes: UnsafeRawBufferPointer) -> (number: Int, next: Int)? {
      var reader = ProtobufReader(bytes: bytes, range: offset..<end)
      guard let field = try? reader.nextField(), field.wireType == .lengthDelimited,
        [11, 12, 13, 14, 16].contains(field.number), let body = try? reader.readLengthDelimited()
      else { return nil }
      if field.number <= 13, body.isEmpty || bytes[body.lowerBound] != 0x0a { return nil }
      return (field.number, reader.offset)
    }
  }
}
