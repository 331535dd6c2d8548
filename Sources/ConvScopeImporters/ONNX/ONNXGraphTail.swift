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
  static func start(in bytes: UnsafeRawBufferPointer, graph: Range<Int>, window: Int) -> Int? {
    for start in max(graph.lowerBound, graph.upperBound - window)..<graph.upperBound where bytes[start] == 0x5a {
      if tailFields(in: bytes, from: start, to: graph.upperBound) { return start }
    }
    return nil
  }

  private static func tailFields(in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
    var reader = ProtobufReader(bytes: bytes, range: start..<end)
    var last = 11
    do throws(ProtobufError) {
      while let field = try reader.nextField() {
        guard field.wireType == .lengthDelimited, field.number >= last, [11, 12, 13, 14, 16].contains(field.number)
        else { return false }
        last = field.number
        let body = try reader.readLengthDelimited()
        // A value_info names its value first (field 1).
        if field.number <= 13, body.isEmpty || bytes[body.lowerBound] != 0x0a { return false }
      }
    } catch {
      return false
    }
    return true
  }
}
