import ConvScopeCore

/// An ONNX file as read: the model's graph in the core IR, and what the file
/// says about itself.
public struct ONNXModel: Sendable, Hashable {
  /// `ModelProto.ir_version` (0 when absent).
  public var irVersion: Int
  /// The tool that wrote the file (`pytorch`), and its version.
  public var producerName: String
  public var producerVersion: String
  /// Operator set versions by domain; the default ONNX domain is `""`.
  public var opsetImports: [String: Int]
  /// `metadata_props`.
  public var metadata: [String: String]
  /// The main graph.
  public var graph: Graph
  /// Model-local functions, as the file defines them; the graph has their calls expanded
  /// (``ONNXFunctionExpansion``).
  public var functions: [ONNXFunction]
}

/// A model-local function (`FunctionProto`): a node whose domain and op type name it is
/// replaced by its nodes at import.
public struct ONNXFunction: Sendable, Hashable {
  public var name: String
  public var domain: String
  public var inputs: [String]
  public var outputs: [String]
  /// The names of the function's attributes.
  public var attributes: [String]
  /// The attributes' default values (`attribute_proto`), for a call that does not give them.
  public var defaults: [String: AttributeValue]
  public var nodes: [Node]
  /// The declared types of the body's values (`value_info`) that give a shape.
  public var valueInfo: [TensorInfo] = []
}

/// The main graph's nodes decoded before the rest of the file was read (``ONNXStreamingRead``):
/// the nodes at `ranges`, in order, as ``ONNXDecoder/node(in:depth:)`` decodes them under the
/// default-domain `opset`.
struct ONNXDecodedNodes: Sendable {
  var ranges: [Range<Int>]
  var nodes: [Node]
  var opset: Int?
  /// `nodes` named uniquely (``ONNXNodeNames/makeUnique(_:)``), when `ranges` are all the
  /// graph's nodes.
  var uniquelyNamed: [Node]?
}

/// Decodes ONNX messages from a file's bytes, one method per message, with the
/// field numbers of the public `onnx.proto`. Payloads are skipped by length.
struct ONNXDecoder {
  /// The whole file.
  let bytes: UnsafeRawBufferPointer
  /// The default-domain opset, given to every graph.
  var opset: Int?
  /// The main graph's nodes as decoded already, taken in place of decoding them again.
  var decodedNodes: ONNXDecodedNodes?

  /// How deep subgraphs and nested types may go before the file is called corrupt.
  static let maxDepth = 32

  init(bytes: UnsafeRawBufferPointer, opset: Int? = nil) {
    self.bytes = bytes
    self.opset = opset
  }

  /// Decodes the file as a `ModelProto` (ir_version 1, producer_name 2,
  /// producer_version 3, graph 7, opset_import 8, metadata_props 14, functions 25).
  func model() throws(ProtobufError) -> ONNXModel {
    // The opsets usually follow the graph; read them first (skipping the graph by length).
    let opsets = try modelOpsets().opsets
    var decoder = ONNXDecoder(bytes: bytes, opset: opsets[""])
    // Nodes decoded under another opset would hold their subgraphs under it.
    if decodedNodes?.opset == opsets[""] { decoder.decodedNodes = decodedNodes }

    var reader = ProtobufReader(bytes: bytes)
    var model = ONNXModel(
      irVersion: 0, producerName: "", producerVersion: "", opsetImports: opsets, metadata: [:],
      graph: Graph(name: "", inputs: [], outputs: [], nodes: []), functions: [])
    var sawGraph = false
    var functionOffsets: [Int] = []
    while let field = try reader.nextField() {
      switch field.number {
      case 1: model.irVersion = try reader.int(field, "ModelProto.ir_version")
      case 2: model.producerName = try reader.string(field, "ModelProto.producer_name")
      case 3: model.producerVersion = try reader.string(field, "ModelProto.producer_version")
      case 7:
        model.graph = try decoder.graph(in: try reader.message(field, "ModelProto.graph"), depth: 0)
        sawGraph = true
      case 14:
        let (key, value) = try entry(in: try reader.message(field, "ModelProto.metadata_props"))
        model.metadata[key] = value
      case 25:
        model.functions.append(try decoder.function(in: try reader.message(field, "ModelProto.functions")))
        functionOffsets.append(field.offset)
      default: try reader.skip(field)
      }
    }
    guard sawGraph else {
      throw ProtobufError(offset: 0, field: "ModelProto.graph", "the file has no graph; it is not an ONNX model")
    }
    // Without functions the graph's nodes stay as ``graph(in:depth:)`` named them, uniquely.
    if !model.functions.isEmpty {
      var expansion = ONNXFunctionExpansion(Array(zip(model.functions, functionOffsets)))
      model.graph.nodes = try expansion.expand(model.graph.nodes)
      model.graph.valueInfo.merge(expansion.declared) { inFile, _ in inFile }
      ONNXNodeNames.makeUnique(&model.graph.nodes)
    }
    return model
  }

  /// The `ModelProto`'s opsets (opset_import 8) by domain, the highest version where one is
  /// given twice, and whether the model defines functions (25); every other field, the graph
  /// included, skipped by its length.
  func modelOpsets() throws(ProtobufError) -> (opsets: [String: Int], definesFunctions: Bool) {
    var opsets: [String: Int] = [:]
    var definesFunctions = false
    var scan = ProtobufReader(bytes: bytes)
    while let field = try scan.nextField() {
      switch field.number {
      case 8:
        let (domain, version) = try operatorSet(in: try scan.message(field, "ModelProto.opset_import"))
        opsets[domain] = max(opsets[domain] ?? version, version)
      case 25:
        definesFunctions = true
        try scan.skip(field)
      default: try scan.skip(field)
      }
    }
    return (opsets, definesFunctions)
  }

  /// Decodes an `OperatorSetIdProto` (domain 1, version 2); `ai.onnx` is the default domain `""`.
  func operatorSet(in range: Range<Int>) throws(ProtobufError) -> (String, Int) {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var domain = ""
    var version = 0
    while let field = try reader.nextField() {
      switch field.number {
      case 1: domain = try reader.string(field, "OperatorSetIdProto.domain")
      case 2: version = try reader.int(field, "OperatorSetIdProto.version")
      default: try reader.skip(field)
      }
    }
    return (domain == "ai.onnx" ? "" : domain, version)
  }

  /// Decodes a `StringStringEntryProto` (key 1, value 2).
  func entry(in range: Range<Int>) throws(ProtobufError) -> (String, String) {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var key = ""
    var value = ""
    while let field = try reader.nextField() {
      switch field.number {
      case 1: key = try reader.string(field, "StringStringEntryProto.key")
      case 2: value = try reader.string(field, "StringStringEntryProto.value")
      default: try reader.skip(field)
      }
    }
    return (key, value)
  }

  /// Decodes a `FunctionProto` (name 1, input 4, output 5, attribute 6, node 7,
  /// domain 10, attribute_proto 11, value_info 12).
  func function(in range: Range<Int>) throws(ProtobufError) -> ONNXFunction {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var function = ONNXFunction(
      name: "", domain: "", inputs: [], outputs: [], attributes: [], defaults: [:], nodes: [])
    while let field = try reader.nextField() {
      switch field.number {
      case 1: function.name = try reader.string(field, "FunctionProto.name")
      case 4: function.inputs.append(try reader.string(field, "FunctionProto.input"))
      case 5: function.outputs.append(try reader.string(field, "FunctionProto.output"))
      case 6: function.attributes.append(try reader.string(field, "FunctionProto.attribute"))
      case 7: function.nodes.append(try node(in: try reader.message(field, "FunctionProto.node"), depth: 0))
      case 10: function.domain = try reader.string(field, "FunctionProto.domain")
      case 12:
        let info = try valueInfo(in: try reader.message(field, "FunctionProto.value_info"))
        if info.shape != nil && !info.name.isEmpty { function.valueInfo.append(info.tensorInfo) }
      case 11:
        let (name, value) = try attribute(in: try reader.message(field, "FunctionProto.attribute_proto"), depth: 0)
        function.attributes.append(name)
        function.defaults[name] = value
      default: try reader.skip(field)
      }
    }
    ONNXNodeNames.makeUnique(&function.nodes)
    return function
  }
}
