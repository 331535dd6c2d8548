import ConvScopeCore

/// Reads a `NeuralNetwork` (also the body of a NeuralNetworkClassifier or Regressor): blob
/// names are the edges, each layer's oneof is translated by ``CoreMLNeuralNetworkLayers``, and
/// weights stay byte ranges (their dims are the layer's declared sizes).
///
/// Under the legacy rank-5 input mapping (`arrayInputShapeMapping` 0, the default of old
/// converters) an array input `[C, H, W]` is read as `[1, C, H, W]` and `[C]` as
/// `[1, C, 1, 1]`, the batch axis Core ML leaves implicit; the declared outputs likewise.
struct CoreMLNeuralNetworkReader {
  private let network: ProtobufMessage
  private let state = CoreMLGraphState()
  /// The graph tensor each blob name stands for.
  private var blobs: [String: String] = [:]
  private var produced: [String] = []

  init(network: ProtobufMessage) { self.network = network }

  /// The graph of the network with `features` as its inputs and declared outputs.
  mutating func read(features: CoreMLFeatures, name: String) throws(ProtobufError) -> Graph {
    let rank5 = try network.int(5, "arrayInputShapeMapping") == 0
    var inputs: [TensorInfo] = []
    for var input in features.inputs {
      if rank5 { input.shape = Self.withBatch(input.shape) }
      let tensor = state.assembler.unique(input.name)
      state.ranks[tensor] = input.shape.rank
      blobs[input.name] = tensor
      input.name = tensor
      inputs.append(input)
    }
    for layer in try network.messages(1, "layers", type: "NeuralNetworkLayer") { try translate(layer) }
    var outputs: [TensorInfo] = []
    var declared: [String: TensorInfo] = [:]
    let probabilities = try network.string(200, "labelProbabilityLayerName")
    for var output in features.outputs {
      // A classifier's label and probability dictionary are made from the probability layer's
      // output (`labelProbabilityLayerName`, else the last layer's), not by a layer of their name.
      let isArray = output.shape.rank > 0
      guard let tensor = blobs[output.name] ?? (isArray ? nil : probabilities.flatMap { blobs[$0] } ?? produced.last)
      else {
        throw network.error("layers", "no layer produces the model output '\(output.name)'")
      }
      if outputs.contains(where: { $0.name == tensor }) { continue }
      if rank5 && output.shape.rank != 4 { output.shape = Self.withBatch(output.shape) }
      output.name = tensor
      outputs.append(output)
      if output.shape.rank > 0 { declared[tensor] = output }
    }
    var graph = Graph(
      name: name, inputs: inputs, outputs: outputs, nodes: state.assembler.nodes,
      initializers: state.assembler.initializers, valueInfo: declared, layout: .nchw, opsetVersion: 21)
    graph.initializerRoles = state.assembler.initializerRoles
    return graph
  }

  /// `[C, H, W]` → `[1, C, H, W]`, `[C]` → `[1, C, 1, 1]` (the rank-5 mapping's implicit batch).
  private static func withBatch(_ shape: Shape) -> Shape {
    switch shape.rank {
    case 1: Shape([.fixed(1), shape.dims[0], .fixed(1), .fixed(1)])
    case 3: Shape([.fixed(1)] + shape.dims)
    default: shape
    }
  }

  private mutating func translate(_ layer: ProtobufMessage) throws(ProtobufError) {
    let name = try layer.string(1, "name") ?? "layer\(produced.count)"
    let inputNames = try layer.strings(2, "input")
    let outputNames = try layer.strings(3, "output")
    guard let (number, value) = layer.oneof(where: { $0 >= 100 }) else {
      throw ProtobufError(offset: layer.offset, field: "NeuralNetworkLayer.layer", layer: name, "the layer has no type")
    }
    guard let (kind, mapping) = CoreMLNeuralNetworkLayers.mappings[number] else {
      throw ProtobufError(
        offset: value.field.offset, field: "NeuralNetworkLayer.layer", layer: name,
        "the layer type with field number \(number) is not supported (NeuralNetwork.proto names it)")
    }
    var inputs: [String] = []
    for input in inputNames {
      guard let tensor = blobs[input] else {
        throw ProtobufError(
          offset: layer.offset, field: "NeuralNetworkLayer.input", layer: name,
          "input blob '\(input)' is not produced by any earlier layer or model input"
            + NameSuggestion.hint(for: input, among: blobs.keys.sorted()))
      }
      inputs.append(tensor)
    }
    let params = try ProtobufMessage(layer.reader, range: value.range, name: "\(kind) layer")
    var context = CoreMLLayerContext(
      layer: name, params: params, inputs: inputs, state: state, emission: state.assembler.layer(name))
    let outputs = try mapping(&context)
    guard outputs.count == outputNames.count else {
      throw ProtobufError(
        offset: layer.offset, field: "NeuralNetworkLayer.output", layer: name,
        "a \(kind) layer gives \(outputs.count) output(s) but the layer names \(outputNames.count)")
    }
    let rank = context.outputRank ?? inputs.first.flatMap { state.ranks[$0] }
    for (output, blob) in zip(outputs, outputNames) {
      let tensor = output == blob ? output : state.assembler.unique(blob)
      context.emission.rename(output, to: tensor)
      blobs[blob] = tensor
      produced.append(tensor)
      state.ranks[tensor] = rank
    }
    state.assembler.commit(context.emission)
  }
}
