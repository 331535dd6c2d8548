import ConvScopeCore

/// One layer: name, op, inputs, then the op's translation.
extension SpecTranslator {
  static let commonLayerKeys = ["name", "op", "inputs", "note"]

  /// Translates the layer of `entry`; `previous` is the tensor it reads when it
  /// names no `inputs:`. Returns the layer's output tensor.
  func translateLayer(
    _ entry: SpecLayerEntry, previous: String?, builder: inout SpecGraphBuilder, scope: inout SpecScope
  ) throws(ConvScopeError) -> String {
    let fields = try SpecFields(entry.node, location: SpecLocation(file: file), what: "layer")
    let written = try fields.string("name").map(entry.expand)
    fields.location.layer = written
    let opName = try fields.requiredString("op")
    fields.location.op = opName
    let domain = try fields.string("domain") ?? ""
    let op = try resolveOp(opName, domain: domain, fields: fields)
    let name = written ?? scope.autoName(for: opName)
    fields.location.layer = name
    guard !name.isEmpty else { throw fields.error("name", "must not be empty") }
    if scope.tensors[name] != nil || builder.isUsed(name) {
      throw fields.error("name", "the name '\(name)' is already used by an earlier input or layer")
    }

    let given = try fields.strings("inputs")
    guard given != nil || previous != nil else {
      throw fields.error("inputs", "the model has several inputs; say which this layer reads with `inputs: [...]`")
    }
    // Without `inputs:`, a layer reads the output of the layer (or the single input) before it.
    let references = given ?? scope.order.last.map { [$0] } ?? []  // not suffix(1): as [String], that is O(n)
    var tensors: [String] = given == nil ? previous.map { [$0] } ?? [] : []
    for (index, reference) in (given ?? []).enumerated() {
      if reference.isEmpty, op == nil {
        tensors.append("")
        continue
      }
      let defined = scope.tensors
      guard let tensor = entry.candidates(for: reference).lazy.compactMap({ defined[$0] }).first else {
        throw fields.error(
          "inputs",
          "'\(reference)' (inputs[\(index)]) is not an input or an earlier layer\(NameSuggestion.hint(for: reference, among: scope.order))"
        )
      }
      tensors.append(tensor)
    }
    if let op, !Self.takesSeveralInputs(op), tensors.count != 1 {
      throw fields.error("inputs", "'\(opName)' reads one input, got \(tensors.count)")
    }
    let note = try fields.string("note")
    let layer = SpecLayer(fields: fields, name: name, op: opName, inputs: tensors, inputNames: references)
    let start = builder.nodes.count
    let output: String
    if let op {
      output = try translate(layer, op, builder: &builder)
      try fields.finish(allowed: Self.commonLayerKeys + Self.keys(of: op))
    } else {
      output = try builder.rawOnnx(layer, opType: opName, domain: domain)
      try fields.finish(allowed: Self.commonLayerKeys + ["domain", "attributes", "weights", "output_shape"])
    }
    builder.finishLayer(layer, from: start, note: note)
    scope.define(name, tensor: output)
    return output
  }

  /// The friendly op `name` stands for, or nil for a verbatim ONNX op (or an op of another domain).
  private func resolveOp(_ name: String, domain: String, fields: SpecFields) throws(ConvScopeError) -> SpecOp? {
    if !domain.isEmpty || SpecOpNames.onnxOps.contains(name) { return nil }
    if let op = SpecOpNames.table[name.lowercased()] { return op }
    // Sorted: a tie in the suggestion goes the same way every run.
    let known = (Array(SpecOpNames.table.keys) + Array(SpecOpNames.onnxOps)).sorted()
    throw fields.error(
      "op",
      "unknown op '\(name)'\(NameSuggestion.hint(for: name, among: known)) (see docs/spec-format.md for the op names; any ONNX op name is accepted verbatim)"
    )
  }

  private func translate(_ layer: SpecLayer, _ op: SpecOp, builder: inout SpecGraphBuilder) throws(ConvScopeError)
    -> String
  {
    switch op {
    case .conv(let rank): return try builder.convolution(layer, rank: rank, depthwise: false)
    case .depthwiseConv(let rank): return try builder.convolution(layer, rank: rank, depthwise: true)
    case .convTranspose(let rank): return try builder.convolutionTranspose(layer, rank: rank)
    case .pool(let opType, let rank): return try builder.pool(layer, opType, rank: rank)
    case .globalPool(let opType): return try builder.globalPool(layer, opType)
    case .dense: return try builder.dense(layer)
    case .batchNorm: return try builder.batchNorm(layer)
    case .layerNorm: return try builder.layerNorm(layer)
    case .instanceNorm: return try builder.instanceNorm(layer)
    case .groupNorm: return try builder.groupNorm(layer)
    case .lrn: return try builder.localResponseNorm(layer)
    case .unary, .prelu, .clip, .softmax, .swish:
      return try builder.activation(layer, op, input: layer.inputs[0], name: layer.name, fields: layer.fields)
    case .elementwise(let opType, let variadic): return try builder.elementwise(layer, opType, variadic: variadic)
    case .concat: return try builder.concat(layer)
    case .flatten: return try builder.flatten(layer)
    case .reshape: return try builder.reshape(layer)
    case .transpose: return try builder.transpose(layer)
    case .pad: return try builder.pad(layer)
    case .resize(let mode): return try builder.resize(layer, mode: mode)
    case .dropout: return try builder.dropout(layer)
    case .identity:
      return try builder.emit(
        layer, name: layer.name, "Identity", inputs: layer.inputs, shape: builder.shape(of: layer.inputs[0]))
    }
  }

  private static func takesSeveralInputs(_ op: SpecOp) -> Bool {
    switch op {
    case .elementwise, .concat: true
    default: false
    }
  }

  /// The keys each op takes besides name, op, inputs and note (for "did you mean" and the key list).
  static func keys(of op: SpecOp) -> [String] {
    switch op {
    case .conv: ["filters", "kernel", "stride", "dilation", "padding", "groups", "bias", "activation", "in_channels"]
    case .depthwiseConv:
      ["kernel", "stride", "dilation", "padding", "depth_multiplier", "bias", "activation", "in_channels"]
    case .convTranspose:
      [
        "filters", "kernel", "stride", "dilation", "padding", "output_padding", "groups", "bias", "activation",
        "in_channels",
      ]
    case .pool(let opType, _):
      ["kernel", "stride", "padding", "ceil_mode"] + (opType == "MaxPool" ? ["dilation"] : ["count_include_pad"])
    case .globalPool, .swish, .flatten, .identity: []
    case .dense: ["units", "bias", "activation", "in_features"]
    case .batchNorm: ["epsilon", "momentum", "activation", "in_channels"]
    case .layerNorm: ["axis", "epsilon", "bias"]
    case .instanceNorm: ["epsilon", "in_channels"]
    case .groupNorm: ["groups", "epsilon", "in_channels"]
    case .lrn: ["size", "alpha", "beta", "k"]
    case .unary(_, let floats, let strings): Array(floats.keys) + Array(strings.keys)
    case .prelu: ["shared"]
    case .clip: ["min", "max"]
    case .softmax, .concat: ["axis"]
    case .elementwise: ["activation"]
    case .reshape: ["shape"]
    case .transpose: ["perm"]
    case .pad: ["padding", "mode"]
    case .resize: ["scale", "size", "mode"]
    case .dropout: ["rate"]
    }
  }
}
