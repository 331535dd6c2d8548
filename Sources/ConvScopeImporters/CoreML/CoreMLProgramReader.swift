import ConvScopeCore

/// Reads an ML Program (`MIL.proto` `Program`): the `main` function's block for its opset,
/// `const` operations as typed values (their `BlobFileValue` payloads never opened), every
/// other operation translated by ``CoreMLProgramOps``. Each operation's declared output types
/// go to ``Graph/valueInfo``, so an operation without a mapping still passes its shapes on.
struct CoreMLProgramReader {
  private let program: ProtobufMessage
  private let state = CoreMLGraphState()
  private var values: [String: MILValue] = [:]
  private var valueInfo: [String: TensorInfo] = [:]

  init(program: ProtobufMessage) { self.program = program }

  /// The graph of the main function; `features` name the inputs (with their flexible dims)
  /// and the declared outputs.
  mutating func read(features: CoreMLFeatures, name: String) throws(ProtobufError) -> Graph {
    let functions = try program.map(2, "functions", type: "Function")
    guard let function = (functions.first { $0.key == "main" } ?? functions.first)?.value else {
      throw program.error("functions", "the program has no function")
    }
    let opset = try function.string(2, "opset") ?? ""
    let blocks = try function.map(3, "block_specializations", type: "Block")
    guard let block = (blocks.first { $0.key == opset } ?? blocks.first)?.value else {
      throw function.error("block_specializations", "the function has no block for opset '\(opset)'")
    }
    let declared = Dictionary(features.inputs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    var inputs: [TensorInfo] = []
    for input in try function.messages(1, "inputs", type: "NamedValueType") {
      let inputName = try input.string(1, "name") ?? ""
      let (dataType, dims) = try MILDecoding.type(try input.message(2, "type", type: "ValueType"))
      let info = declared[inputName] ?? TensorInfo(name: inputName, dataType: dataType, shape: Shape(dims ?? []))
      state.assembler.reserve(inputName)
      values[inputName] = MILValue(tensor: inputName, dataType: info.dataType, dims: info.shape.dims)
      inputs.append(info)
    }
    for operation in try block.messages(3, "operations", type: "Operation") { try translate(operation) }
    var outputs: [TensorInfo] = []
    for (index, output) in try block.strings(2, "outputs").enumerated() {
      guard let value = values[output] else {
        throw block.error("outputs", "no operation produces the block output '\(output)'")
      }
      let feature = index < features.outputs.count ? features.outputs[index] : nil
      if let feature, feature.shape.rank > 0 {
        valueInfo[value.tensor] = TensorInfo(name: value.tensor, dataType: feature.dataType, shape: feature.shape)
      }
      outputs.append(valueInfo[value.tensor] ?? TensorInfo(name: value.tensor, shape: Shape([Dim]())))
    }
    var graph = Graph(
      name: name, inputs: inputs, outputs: outputs, nodes: state.assembler.nodes,
      initializers: state.assembler.initializers, valueInfo: valueInfo, layout: .nchw, opsetVersion: 21)
    graph.initializerRoles = state.assembler.initializerRoles
    return graph
  }

  private mutating func translate(_ operation: ProtobufMessage) throws(ProtobufError) {
    let type = try operation.string(1, "type") ?? ""
    let attributes = try operation.map(5, "attributes", type: "Value")
    var outputs: [MILValue] = []
    for output in try operation.messages(3, "outputs", type: "NamedValueType") {
      let outputName = try output.string(1, "name") ?? ""
      let (dataType, dims) = try MILDecoding.type(try output.message(2, "type", type: "ValueType"))
      outputs.append(MILValue(tensor: outputName, dataType: dataType, dims: dims))
    }
    if type == "const" || type.hasPrefix("constexpr_") {
      try declareConstant(type, attributes: attributes, outputs: outputs, offset: operation.offset)
      return
    }
    var name = outputs.first?.tensor ?? type
    if let attribute = attributes.first(where: { $0.key == "name" }) {
      name = try MILDecoding.value(attribute.value, tensor: name).strings.first ?? name
    }
    var arguments: [String: [MILValue]] = [:]
    for (key, argument) in try operation.map(2, "inputs", type: "Argument") {
      var bound: [MILValue] = []
      for (index, binding) in try argument.messages(1, "arguments", type: "Binding").enumerated() {
        if let reference = try binding.string(1, "name") {
          guard let value = values[reference] else {
            throw ProtobufError(
              offset: binding.offset, field: "\(type).\(key)", layer: name,
              "argument '\(key)' refers to '\(reference)', which no earlier operation produces")
          }
          bound.append(value)
        } else if let inline = try binding.message(2, "value", type: "Value") {
          bound.append(try MILDecoding.value(inline, tensor: "\(name).\(key)\(index == 0 ? "" : "_\(index)")"))
        }
      }
      arguments[key] = bound
    }
    var context = CoreMLOperationContext(
      type: type, name: name, arguments: arguments, outputs: outputs, state: state,
      emission: state.assembler.layer(name), offset: operation.offset)
    let produced: [String]
    if let mapping = CoreMLProgramOps.mappings[type] {
      produced = try mapping(&context)
    } else {
      produced = try CoreMLProgramOps.unmapped(&context)
    }
    for (output, value) in zip(produced, outputs) {
      let tensor = output == value.tensor ? output : state.assembler.unique(value.tensor)
      context.emission.rename(output, to: tensor)
      var renamed = value
      renamed.tensor = tensor
      values[value.tensor] = renamed
      if let dims = value.dims {
        valueInfo[tensor] = TensorInfo(name: tensor, dataType: value.dataType, shape: Shape(dims))
      }
    }
    state.assembler.commit(context.emission)
  }

  /// A `const` (its `val` attribute) or a `constexpr_*` decompression (its output type is the
  /// dense weight's): a typed value, an initializer once an operation reads it as a tensor.
  private mutating func declareConstant(
    _ type: String, attributes: [(key: String, value: ProtobufMessage)], outputs: [MILValue], offset: Int
  ) throws(ProtobufError) {
    guard let output = outputs.first else {
      throw ProtobufError(offset: offset, field: "\(type).outputs", "the constant has no output")
    }
    var value = output
    if type == "const", let stored = attributes.first(where: { $0.key == "val" }) {
      value = try MILDecoding.value(stored.value, tensor: output.tensor)
      if value.dims == nil { value.dims = output.dims }
      if value.dataType == .undefined { value.dataType = output.dataType }
    }
    value.isConstant = true
    state.assembler.reserve(output.tensor)
    values[output.tensor] = value
  }
}
