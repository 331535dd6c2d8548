import ConvScopeCore

/// Walks a Keras model config (Sequential or Functional, nested models, shared
/// layers) and emits each layer call through its mapping in ``KerasLayerTable``.
struct KerasModelReader {
  let state: KerasGraphState
  /// Graph inputs created so far (top-level input layers).
  private(set) var inputs: [TensorInfo] = []

  /// Where a model's layers go: prefixes for node and weight names, and whether it is frozen.
  struct Scope {
    var nodePrefix = ""
    var weightPrefix = ""
    var frozen = false
  }

  static let modelClasses: Set<String> = ["Sequential", "Functional", "Model"]

  init(state: KerasGraphState) { self.state = state }

  /// Reads `model`, whose entries are `layers` (its `config.layers` when not given); `callInputs`
  /// are the tensors it is called on (`nil` at the top level, where its input layers become graph
  /// inputs). Returns its output tensors.
  mutating func readModel(
    _ model: KerasLayer, layers given: KerasLayerList? = nil, callInputs: [KerasTensor]?, scope: Scope
  ) throws(ConvScopeError) -> [KerasTensor] {
    let layers: KerasLayerList
    if let given {
      layers = given
    } else {
      guard let layerList = model.config["layers"]?.array else {
        throw model.error("layers", "a \(model.className) config needs a 'layers' list")
      }
      layers = KerasLayerList(values: layerList)
    }
    let heads = try layers.checkedHeads()
    if model.className == "Sequential"
      || (model.config["input_layers"] == nil && heads.allSatisfy({ !$0.hasInboundNodes }))
    {
      return try readSequential(model, layers: layers, callInputs: callInputs, scope: scope)
    }
    return try readFunctional(model, layers: layers, heads: heads, callInputs: callInputs, scope: scope)
  }

  // MARK: Sequential

  private mutating func readSequential(
    _ model: KerasLayer, layers: KerasLayerList, callInputs: [KerasTensor]?, scope: Scope
  ) throws(ConvScopeError) -> [KerasTensor] {
    state.assembler.reserveCapacity(layers: layers.count)
    var current: KerasTensor? = callInputs?.first
    for position in 0..<layers.count {
      let layer = try layers.layer(at: position)
      if layer.className == "InputLayer" {
        if current == nil { current = try graphInput(layer, scope: scope) }
        continue
      }
      if current == nil {
        guard let shape = Self.sequentialInputShape(model, first: layer) else {
          throw model.error(
            "layers", "the model declares no input shape (no InputLayer, build_input_shape or batch_input_shape)")
        }
        current = makeInput(name: scope.nodePrefix + "input", shape: shape, dataType: .float32)
      }
      guard let input = current else { continue }
      let outputs = try call(layer, inputs: [input], keyword: [:], scalars: KerasScalars(), callIndex: 0, scope: scope)
      guard let next = outputs.first else { throw layer.error(nil, "the layer produced no output") }
      current = next
    }
    guard let output = current else { throw model.error("layers", "the model has no layers") }
    return [output]
  }

  /// A Sequential model's input shape when it has no InputLayer.
  private static func sequentialInputShape(_ model: KerasLayer, first: KerasLayer) -> [Dim]? {
    let candidates: [JSONValue?] = [
      model.config["build_input_shape"], model.entry["build_config"]?["input_shape"],
      first.config["batch_input_shape"], first.config["batch_shape"], first.entry["build_config"]?["input_shape"],
    ]
    return candidates.lazy.compactMap { $0.flatMap(KerasLayer.shape) }.first
  }

  // MARK: Functional

  private mutating func readFunctional(
    _ model: KerasLayer, layers: KerasLayerList, heads: [KerasLayerHead], callInputs: [KerasTensor]?,
    scope: Scope
  ) throws(ConvScopeError) -> [KerasTensor] {
    let inputReferences = KerasReference.list(model.config["input_layers"])
    var produced: [String: [Int: [KerasTensor]]] = [:]
    produced.reserveCapacity(heads.count)
    state.assembler.reserveCapacity(layers: heads.count)
    // `layer` is the entry's place in `layers`, `node` the call's place in `inbound_nodes`, `key`
    // the index other layers' references use.
    var pending: [(layer: Int, node: Int, key: Int, call: KerasCall)] = []  // in file order
    var inputOrder = 0
    for (position, layer) in heads.enumerated() {
      guard produced[layer.name] == nil else {
        throw layer.error("name", "two layers are named '\(layer.name)'")
      }
      produced[layer.name] = [:]
      if layer.className == "InputLayer" {
        if let callInputs {
          let position = inputReferences.firstIndex { $0.layer == layer.name } ?? inputOrder
          guard position < callInputs.count else {
            throw model.error(
              "input_layers", "the model is called on \(callInputs.count) tensor(s) but has more inputs")
          }
          produced[layer.name] = [0: [callInputs[position]]]
        } else {
          produced[layer.name] = [0: [try graphInput(try layers.layer(at: position), scope: scope)]]
        }
        inputOrder += 1
        continue
      }
      let skipped = layer.skipsFirstNode ? 1 : 0
      for (index, node) in layer.calls.enumerated() {
        pending.append((position, index, index + (node.isList ? skipped : 0), node.call))
      }
    }

    // Passes over the pending calls in file order (see KerasCallPasses), each call waiting
    // on the first input it lacks: `waiting[layer][node]` lists the calls waiting on it.
    var passes = KerasCallPasses(count: pending.count)
    var waiting: [String: [Int: [Int]]] = [:]
    while let position = passes.nextCall() {
      let item = pending[position]
      guard let resolved = Self.resolve(item.call, produced: produced) else {
        let lacking = item.call.all.first { produced[$0.layer]?[$0.node]?[ifPresent: $0.tensor] == nil }
        if let lacking { waiting[lacking.layer, default: [:]][lacking.node, default: []].append(position) }
        continue
      }
      let outputs = try call(
        try layers.layer(at: item.layer), inputs: resolved.positional, keyword: resolved.keyword,
        scalars: item.call.scalars, callIndex: item.node, scope: scope)
      let name = heads[item.layer].name
      produced[name]?[item.key] = outputs
      passes.emit(position, waking: waiting[name]?.removeValue(forKey: item.key) ?? [])
    }
    if let stuck = passes.stuck() {
      throw Self.unresolvedError(heads[pending[stuck].layer], pending[stuck].call, produced: produced)
    }

    let outputReferences = KerasReference.list(model.config["output_layers"])
    guard !outputReferences.isEmpty else { throw model.error("output_layers", "the model declares no outputs") }
    var outputs: [KerasTensor] = []
    for reference in outputReferences {
      guard let tensor = produced[reference.layer]?[reference.node]?[ifPresent: reference.tensor] else {
        throw model.error(
          "output_layers",
          "output '\(reference.layer)' is not produced by any layer"
            + NameSuggestion.hint(for: reference.layer, among: produced.keys.sorted()))
      }
      outputs.append(tensor)
    }
    return outputs
  }

  /// The call's tensors, once every one of them has been produced.
  private static func resolve(_ call: KerasCall, produced: [String: [Int: [KerasTensor]]]) -> (
    positional: [KerasTensor], keyword: [String: KerasTensor]
  )? {
    func lookup(_ reference: KerasReference) -> KerasTensor? {
      guard var tensor = produced[reference.layer]?[reference.node]?[ifPresent: reference.tensor] else { return nil }
      if let shape = reference.shape { tensor.shape = shape }  // viewed by the reader's `call`
      return tensor
    }
    var positional: [KerasTensor] = []
    for reference in call.positional {
      guard let tensor = lookup(reference) else { return nil }
      positional.append(tensor)
    }
    var keyword: [String: KerasTensor] = [:]
    for (key, reference) in call.keyword {
      guard let tensor = lookup(reference) else { return nil }
      keyword[key] = tensor
    }
    return (positional, keyword)
  }

  private static func unresolvedError(
    _ layer: KerasLayerHead, _ call: KerasCall, produced: [String: [Int: [KerasTensor]]]
  )
    -> ConvScopeError
  {
    for reference in call.all where produced[reference.layer] == nil {
      return layer.error(
        "inbound_nodes",
        "reads '\(reference.layer)', which is not a layer of this model"
          + NameSuggestion.hint(for: reference.layer, among: produced.keys.sorted()))
    }
    let reference = call.all.first { produced[$0.layer]?[$0.node]?[ifPresent: $0.tensor] == nil }
    let what = reference.map { "output \($0.tensor) of call \($0.node) of '\($0.layer)'" } ?? "an input"
    return layer.error("inbound_nodes", "reads \(what), which is never produced (or the layers form a cycle)")
  }

  // MARK: Calls and inputs

  /// Emits one call of `layer` and returns its outputs.
  private mutating func call(
    _ layer: KerasLayer, inputs: [KerasTensor], keyword: [String: KerasTensor], scalars: KerasScalars,
    callIndex: Int, scope: Scope
  ) throws(ConvScopeError) -> [KerasTensor] {
    let frozen = scope.frozen || layer.config["trainable"]?.bool == false
    let nodeName = scope.nodePrefix + layer.name + (callIndex > 0 ? "#\(callIndex)" : "")
    try state.count(layer, named: nodeName)
    var inputs = inputs
    if callIndex == 0 {
      for (index, declared) in layer.declaredInputShapes.enumerated() where index < inputs.count {
        inputs[index].shape = declared
      }
    }
    for index in inputs.indices { inputs[index].shape = inputs[index].shape.map(state.axes.translationView) }
    let axes = state.axes
    let keyword = keyword.mapValues { KerasTensor(name: $0.name, shape: $0.shape.map(axes.translationView)) }
    if Self.modelClasses.contains(layer.className) {
      let inner = Scope(
        nodePrefix: nodeName + "/", weightPrefix: scope.weightPrefix + layer.name + "/", frozen: frozen)
      return try readModel(layer, callInputs: inputs, scope: inner)
    }
    guard let mapping = KerasLayerTable.mappings[layer.className] else {
      if layer.className.hasSuffix("Lambda") {
        throw layer.error(
          "class_name",
          "a \(layer.className) layer runs Python code that the config does not describe; it cannot be analysed")
      }
      throw layer.error(
        "class_name",
        "unknown Keras layer class '\(layer.className)'"
          + NameSuggestion.hint(for: layer.className, among: KerasLayerTable.mappings.keys.sorted()))
    }
    var context = KerasLayerContext(
      layer: layer, inputs: inputs, keywordInputs: keyword, scalars: scalars, weightScope: scope.weightPrefix,
      frozen: frozen,
      state: state, emission: state.assembler.layer(nodeName))
    let outputs = try mapping(&context)
    state.assembler.commit(context.emission)
    let shape = context.outputShape ?? inputs.first?.shape
    return outputs.map { KerasTensor(name: $0, shape: shape) }
  }

  /// The graph input an `InputLayer` declares.
  private mutating func graphInput(_ layer: KerasLayer, scope: Scope) throws(ConvScopeError) -> KerasTensor {
    let declared = layer.config["batch_shape"] ?? layer.config["batch_input_shape"]
    var shape = declared.flatMap(KerasLayer.shape)
    if shape == nil, let perSample = layer.config["shape"].flatMap(KerasLayer.shape) {
      shape = [.symbolic("N")] + perSample.map { $0 == .symbolic("N") ? .unknown : $0 }
    }
    guard let shape else {
      throw layer.error("batch_shape", "the input layer declares no shape")
    }
    let type = layer.config["dtype"]?.string.flatMap { DataType(userName: $0) } ?? .float32
    return makeInput(name: scope.nodePrefix + layer.name, shape: shape, dataType: type)
  }

  private mutating func makeInput(name: String, shape: [Dim], dataType: DataType) -> KerasTensor {
    let info = TensorInfo(name: name, dataType: dataType, shape: Shape(state.axes.toGraph(shape)))
    state.assembler.reserve(name)
    inputs.append(info)
    return KerasTensor(name: name, shape: state.axes.translationView(shape))
  }
}

extension Array {
  /// The element at `index`, or `nil` when out of range.
  fileprivate subscript(ifPresent index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
