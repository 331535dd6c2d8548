import ConvScopeCore

extension ONNXDecoder {
  /// Decodes a `NodeProto` (input 1, output 2, name 3, op_type 4, attribute 5,
  /// domain 7). The name is kept as written; ``ONNXNodeNames`` makes names unique
  /// once the whole graph is read.
  func node(in range: Range<Int>, depth: Int) throws(ProtobufError) -> Node {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var node = Node(name: "", opType: "", inputs: [], outputs: [])
    do throws(ProtobufError) {
      while let field = try reader.nextField() {
        switch field.number {
        case 1: node.inputs.append(try reader.string(field, "NodeProto.input"))
        case 2: node.outputs.append(try reader.string(field, "NodeProto.output"))
        case 3: node.name = try reader.string(field, "NodeProto.name")
        case 4: node.opType = try reader.string(field, "NodeProto.op_type")
        case 7: node.domain = try reader.string(field, "NodeProto.domain")
        case 5:
          let (name, value) = try attribute(in: try reader.message(field, "NodeProto.attribute"), depth: depth)
          guard node.attributes[name] == nil else {
            throw ProtobufError(offset: field.offset, field: "attribute '\(name)'", "the attribute is given twice")
          }
          node.attributes[name] = value
        default: try reader.skip(field)
        }
      }
    } catch {
      var located = error
      if located.layer == nil && !node.name.isEmpty { located.layer = node.name }
      throw located
    }
    guard !node.opType.isEmpty else {
      throw ProtobufError(
        offset: range.lowerBound, field: "NodeProto.op_type", layer: node.name.isEmpty ? nil : node.name,
        "the node has no op_type")
    }
    if node.domain == "ai.onnx" { node.domain = "" }
    node.sourceLayer = ONNXNodeNames.sourceLayer(of: node.name)
    return node
  }

  /// Decodes an `AttributeProto` (name 1, f 2, i 3, s 4, t 5, g 6, floats 7,
  /// ints 8, strings 9, tensors 10, graphs 11, type 20, ref_attr_name 21,
  /// sparse_tensor 22). Returns a nil value for kinds the core IR has no case
  /// for (lists of tensors, type protos), which no supported op reads.
  func attribute(in range: Range<Int>, depth: Int) throws(ProtobufError) -> (String, AttributeValue?) {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var name = ""
    var typeCode: Int?
    var reference: String?
    var f: Float?
    var i: Int?
    var s: String?
    var t: ONNXTensor?
    var g: Graph?
    var sparse: ONNXTensor?
    var floats: [Double] = []
    var ints: [Int] = []
    var strings: [String] = []
    var graphs: [Graph] = []
    while let field = try reader.nextField() {
      switch field.number {
      case 1: name = try reader.string(field, "AttributeProto.name")
      case 2: f = try reader.float(field, "AttributeProto.f")
      case 3: i = try reader.int(field, "AttributeProto.i")
      case 4: s = try reader.string(field, "AttributeProto.s")
      case 5: t = try tensor(in: try reader.message(field, "AttributeProto.t"), kind: "attribute tensor")
      case 6: g = try subgraph(in: try reader.message(field, "AttributeProto.g"), depth: depth)
      case 7: try reader.appendFloats(field, "AttributeProto.floats", to: &floats)
      case 8: try reader.appendInts(field, "AttributeProto.ints", to: &ints)
      case 9: strings.append(try reader.string(field, "AttributeProto.strings"))
      case 11: graphs.append(try subgraph(in: try reader.message(field, "AttributeProto.graphs"), depth: depth))
      case 20: typeCode = try reader.int(field, "AttributeProto.type")
      case 21: reference = try reader.string(field, "AttributeProto.ref_attr_name")
      case 22:
        sparse = try sparseTensor(
          in: try reader.message(field, "AttributeProto.sparse_tensor"), kind: "attribute tensor")
      default: try reader.skip(field)
      }
    }
    guard !name.isEmpty else {
      throw ProtobufError(offset: range.lowerBound, field: "AttributeProto.name", "the attribute has no name")
    }
    if let reference, !reference.isEmpty { return (name, .reference(reference)) }

    // IR version 1 files have no type field: the value field present says which it is.
    let code =
      typeCode
      ?? [
        (1, f != nil), (2, i != nil), (3, s != nil), (4, t != nil), (5, g != nil), (11, sparse != nil),
        (6, !floats.isEmpty), (7, !ints.isEmpty), (8, !strings.isEmpty), (10, !graphs.isEmpty),
      ].first(where: \.1)?.0 ?? 0
    // Written out only when thrown (not once per attribute).
    var missing: ProtobufError {
      ProtobufError(
        offset: range.lowerBound, field: "attribute '\(name)'",
        "the attribute's type is \(code) but its value is missing")
    }
    switch code {
    case 0: return (name, nil)
    case 1: return (name, .float(Double(f ?? 0)))
    case 2: return (name, .int(i ?? 0))
    case 3: return (name, .string(s ?? ""))
    case 4:
      guard let t else { throw missing }
      return (name, .tensor(t.constant))
    case 5:
      guard let g else { throw missing }
      return (name, .graph(g))
    case 6: return (name, .floats(floats))
    case 7: return (name, .ints(ints))
    case 8: return (name, .strings(strings))
    case 10: return (name, .graphs(graphs))
    case 11:
      guard let sparse else { throw missing }
      return (name, .tensor(sparse.constant))
    case 9, 12, 13, 14: return (name, nil)
    default:
      throw ProtobufError(
        offset: range.lowerBound, field: "attribute '\(name)'", "unknown attribute type \(code) (expected 1...14)")
    }
  }

  /// A nested graph (an If branch, a Loop or Scan body), refusing absurd nesting.
  private func subgraph(in range: Range<Int>, depth: Int) throws(ProtobufError) -> Graph {
    guard depth + 1 < Self.maxDepth else {
      throw ProtobufError(
        offset: range.lowerBound, field: "AttributeProto.g", "subgraphs nested more than \(Self.maxDepth) deep")
    }
    return try graph(in: range, depth: depth + 1)
  }
}
