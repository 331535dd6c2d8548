import ConvScope
import Foundation

/// Protobuf wire-format bytes written by hand, for importer tests. Field numbers
/// are onnx.proto's; each builder names the message it writes.
struct ProtoBytes {
  var bytes: [UInt8] = []

  var data: Data { Data(bytes) }

  static func varint(_ value: UInt64) -> [UInt8] {
    var out: [UInt8] = []
    var v = value
    repeat {
      let low = UInt8(v & 0x7f)
      v >>= 7
      out.append(v == 0 ? low : low | 0x80)
    } while v != 0
    return out
  }

  private mutating func key(_ field: Int, _ wireType: UInt8) {
    bytes += Self.varint(UInt64(field) << 3 | UInt64(wireType))
  }

  mutating func int(_ field: Int, _ value: Int) {
    key(field, 0)
    bytes += Self.varint(UInt64(bitPattern: Int64(value)))
  }

  mutating func raw(_ field: Int, _ payload: [UInt8]) {
    key(field, 2)
    bytes += Self.varint(UInt64(payload.count)) + payload
  }

  mutating func string(_ field: Int, _ value: String) { raw(field, Array(value.utf8)) }

  mutating func message(_ field: Int, _ value: ProtoBytes) { raw(field, value.bytes) }

  mutating func float(_ field: Int, _ value: Float) {
    key(field, 5)
    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
  }

  mutating func packedInts(_ field: Int, _ values: [Int]) {
    raw(field, values.flatMap { Self.varint(UInt64(bitPattern: Int64($0))) })
  }

  mutating func packedFloats(_ field: Int, _ values: [Float]) {
    var payload: [UInt8] = []
    for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { payload += $0 } }
    raw(field, payload)
  }
}

/// ONNX messages built from their parts.
enum ONNXBytes {
  /// `ModelProto`: ir_version 1, graph 7, opset_import 8 (after the graph, as exporters write it).
  static func model(_ graph: ProtoBytes, opset: Int = 17, irVersion: Int = 8) -> ProtoBytes {
    var m = ProtoBytes()
    m.int(1, irVersion)
    m.string(2, "hand")
    m.message(7, graph)
    var set = ProtoBytes()
    set.string(1, "")
    set.int(2, opset)
    m.message(8, set)
    return m
  }

  /// `GraphProto`: node 1, name 2, initializer 5, input 11, output 12, value_info 13.
  static func graph(
    nodes: [ProtoBytes], inputs: [ProtoBytes], outputs: [ProtoBytes], initializers: [ProtoBytes] = [],
    valueInfo: [ProtoBytes] = [], name: String = "g"
  ) -> ProtoBytes {
    var g = ProtoBytes()
    for n in nodes { g.message(1, n) }
    g.string(2, name)
    for t in initializers { g.message(5, t) }
    for i in inputs { g.message(11, i) }
    for o in outputs { g.message(12, o) }
    for v in valueInfo { g.message(13, v) }
    return g
  }

  /// `NodeProto`: input 1, output 2, name 3, op_type 4, attribute 5, domain 7.
  static func node(
    _ opType: String, _ inputs: [String], _ outputs: [String], name: String = "", attributes: [ProtoBytes] = [],
    domain: String? = nil
  ) -> ProtoBytes {
    var n = ProtoBytes()
    for i in inputs { n.string(1, i) }
    for o in outputs { n.string(2, o) }
    if !name.isEmpty { n.string(3, name) }
    n.string(4, opType)
    for a in attributes { n.message(5, a) }
    if let domain { n.string(7, domain) }
    return n
  }

  /// `AttributeProto` with ints 8 (type INTS = 7).
  static func intsAttribute(_ name: String, _ values: [Int]) -> ProtoBytes {
    var a = ProtoBytes()
    a.string(1, name)
    for v in values { a.int(8, v) }
    a.int(20, 7)
    return a
  }

  /// `AttributeProto` of type `type` referring to the enclosing function's attribute
  /// `referred` (ref_attr_name 21).
  static func referenceAttribute(_ name: String, to referred: String, type: Int) -> ProtoBytes {
    var a = ProtoBytes()
    a.string(1, name)
    a.string(21, referred)
    a.int(20, type)
    return a
  }

  /// `AttributeProto` with i 3 (type INT = 2).
  static func intAttribute(_ name: String, _ value: Int) -> ProtoBytes {
    var a = ProtoBytes()
    a.string(1, name)
    a.int(3, value)
    a.int(20, 2)
    return a
  }

  /// `ValueInfoProto` (name 1, type 2) of a tensor (`TypeProto.tensor_type` 1:
  /// elem_type 1, shape 2 with `Dimension` dim_value 1 / dim_param 2).
  static func valueInfo(_ name: String, elemType: Int = 1, dims: [Dim]?) -> ProtoBytes {
    valueInfo(name, elemType: elemType, dimensions: dims?.map(dimension))
  }

  /// `TensorShapeProto.Dimension`: dim_value 1, or dim_param 2 for a named dim, or neither.
  static func dimension(_ d: Dim) -> ProtoBytes {
    var dim = ProtoBytes()
    switch d {
    case .fixed(let v): dim.int(1, v)
    case .symbolic(let s): if !s.isEmpty { dim.string(2, s) }
    }
    return dim
  }

  /// `ValueInfoProto` of a tensor whose `TensorShapeProto.Dimension`s are given as written.
  static func valueInfo(_ name: String, elemType: Int = 1, dimensions: [ProtoBytes]?) -> ProtoBytes {
    valueInfo(name, type: tensorType(elemType: elemType, dimensions: dimensions))
  }

  /// `ValueInfoProto` (name 1, type 2) of the `TypeProto` `type`.
  static func valueInfo(_ name: String, type: ProtoBytes) -> ProtoBytes {
    var v = ProtoBytes()
    v.string(1, name)
    v.message(2, type)
    return v
  }

  /// `TypeProto` of a tensor: tensor_type 1 (elem_type 1, shape 2 of `dimensions`).
  static func tensorType(elemType: Int = 1, dimensions: [ProtoBytes]?) -> ProtoBytes {
    var tensorType = ProtoBytes()
    tensorType.int(1, elemType)
    if let dimensions {
      var shape = ProtoBytes()
      for dim in dimensions { shape.message(1, dim) }
      tensorType.message(2, shape)
    }
    var type = ProtoBytes()
    type.message(1, tensorType)
    return type
  }

  /// `TypeProto` of a container around the `TypeProto` `element`: sequence_type 4 (elem_type 1),
  /// map_type 5 (key_type 1 = INT64, value_type 2) or optional_type 9 (elem_type 1).
  static func containerType(_ field: Int, of element: ProtoBytes) -> ProtoBytes {
    var container = ProtoBytes()
    if field == 5 { container.int(1, 7) }
    container.message(field == 5 ? 2 : 1, element)
    var type = ProtoBytes()
    type.message(field, container)
    return type
  }

  /// `TensorProto`: dims 1 (unpacked), data_type 2, name 8, then `extra` fields.
  static func tensor(_ name: String, dims: [Int], dataType: Int = 1, extra: (inout ProtoBytes) -> Void = { _ in })
    -> ProtoBytes
  {
    var t = ProtoBytes()
    for d in dims { t.int(1, d) }
    t.int(2, dataType)
    t.string(8, name)
    extra(&t)
    return t
  }

  /// A tensor stored in an external file: external_data 13 (`location`), data_location 14 = EXTERNAL.
  static func externalTensor(_ name: String, dims: [Int], location: String) -> ProtoBytes {
    tensor(name, dims: dims) { t in
      var entry = ProtoBytes()
      entry.string(1, "location")
      entry.string(2, location)
      t.message(13, entry)
      t.int(14, 1)
    }
  }

  /// A one-Relu model on `x` of the given dims.
  static func reluModel(dims: [Dim] = [1, 3, 8, 8]) -> ProtoBytes {
    model(
      graph(
        nodes: [node("Relu", ["x"], ["y"], name: "/act/Relu")], inputs: [valueInfo("x", dims: dims)],
        outputs: [valueInfo("y", dims: dims)]))
  }
}
