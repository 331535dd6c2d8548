import ConvScopeCore

extension ONNXDecoder {
  /// Decodes a `GraphProto` (node 1, name 2, initializer 5, input 11, output 12,
  /// value_info 13, sparse_initializer 15) into the core graph. Inputs that are
  /// initializers are not model inputs; value_info and outputs with a declared
  /// shape become ``Graph/valueInfo``. The main graph's inputs have their unknown
  /// dims named (``ONNXValueInfo/inputInfo``).
  func graph(in range: Range<Int>, depth: Int) throws(ProtobufError) -> Graph {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var name = ""
    var nodes: [Node] = []
    // Gathered first, then hashed into a table sized once (a growing one rehashes every doubling).
    var stored: [(name: String, constant: ConstantTensor, offset: Int)] = []
    var inputs: [ONNXValueInfo] = []
    var outputs: [ONNXValueInfo] = []
    var declared: [ONNXValueInfo] = []
    while let field = try reader.nextField() {
      switch field.number {
      case 1: nodes.append(try node(in: try reader.message(field, "GraphProto.node"), depth: depth))
      case 2: name = try reader.string(field, "GraphProto.name")
      case 5, 15:
        let body = try reader.message(
          field, field.number == 5 ? "GraphProto.initializer" : "GraphProto.sparse_initializer")
        let tensor =
          field.number == 5
          ? try tensor(in: body, kind: "initializer") : try sparseTensor(in: body, kind: "initializer")
        guard !tensor.name.isEmpty else {
          throw ProtobufError(offset: field.offset, field: "TensorProto.name", "an initializer has no name")
        }
        stored.append((tensor.name, tensor.constant, field.offset))
      case 11: inputs.append(try valueInfo(in: try reader.message(field, "GraphProto.input")))
      case 12: outputs.append(try valueInfo(in: try reader.message(field, "GraphProto.output")))
      case 13: declared.append(try valueInfo(in: try reader.message(field, "GraphProto.value_info")))
      default: try reader.skip(field)
      }
    }
    var initializers = [String: ConstantTensor](minimumCapacity: stored.count)
    for (name, constant, offset) in stored where initializers.updateValue(constant, forKey: name) != nil {
      throw ProtobufError(offset: offset, field: "TensorProto.name", "initializer '\(name)' is defined twice")
    }
    var valueInfo = [String: TensorInfo](minimumCapacity: declared.count + outputs.count)
    for info in declared + outputs where info.shape != nil && !info.name.isEmpty {
      valueInfo[info.name] = info.tensorInfo
    }
    ONNXNodeNames.makeUnique(&nodes)
    return Graph(
      name: name, inputs: inputs.filter { initializers[$0.name] == nil }.map(depth == 0 ? \.inputInfo : \.tensorInfo),
      outputs: outputs.map(\.tensorInfo), nodes: nodes, initializers: initializers, valueInfo: valueInfo,
      layout: .nchw, opsetVersion: opset)
  }
}
