import ConvScopeCore
import ConvScopeReport

/// Builds the `llm` view's ``LanguageModelReport`` from what a source gives: a
/// ``TransformerShape`` (a spec's `transformer:` block, a graph's recovered shape) or a
/// ``LanguageModelHeader`` (a GGUF or safetensors header, whose tensor table makes the
/// parameters exact).
public enum LanguageModelAnalysis {
  /// The report for an architecture alone: the weights are written out from `shape`.
  public static func report(
    model: String, source: String, shape: TransformerShape, notes: [String] = [], options: LanguageModelOptions
  ) throws(ConvScopeError) -> LanguageModelReport {
    try report(
      model: model, source: source,
      cost: LanguageModelCost(tensors: LanguageModelTensors.tensors(of: shape), shape: shape),
      fromTable: false, notes: notes, options: options)
  }

  /// The report for a weights file's header: parameters and stored bytes from its tensor
  /// table, the rest from its shape (when it has one).
  public static func report(
    model: String, header: LanguageModelHeader, notes: [String] = [], options: LanguageModelOptions
  ) throws(ConvScopeError) -> LanguageModelReport {
    var notes = notes
    if let reason = header.unmappedReason { notes.append(reason) }
    let cost = LanguageModelCost(tensors: LanguageModelTensors.tensors(of: header), shape: header.shape)
    return try report(
      model: model, source: "\(header.format.rawValue) header", cost: cost, fromTable: true, notes: notes,
      options: options)
  }

  /// The report for a graph's recovered shape (``TransformerRecovery``): parameters exact
  /// from its stored weights, the rest from `shape`.
  public static func report(
    model: String, source: String, shape: TransformerShape?, weights: [TransformerRecovery.RecoveredWeight],
    notes: [String], options: LanguageModelOptions
  ) throws(ConvScopeError) -> LanguageModelReport {
    let tensors = weights.map { ModelTensor(name: $0.name, shape: $0.shape, part: $0.part) }
    return try report(
      model: model, source: source, cost: LanguageModelCost(tensors: tensors, shape: shape), fromTable: true,
      notes: notes, options: options)
  }

  private static func report(
    model: String, source: String, cost: LanguageModelCost, fromTable: Bool, notes: [String],
    options: LanguageModelOptions
  ) throws(ConvScopeError) -> LanguageModelReport {
    try options.validate()
    let weightName = options.weightDType ?? (cost.tensors.contains { $0.storedBytes != nil } ? "stored" : "bf16")
    let weightFormat = weightName.lowercased() == "stored" ? nil : StorageFormat(named: weightName)
    guard let cache = StorageFormat(named: options.kvDType) else {
      throw ConvScopeError(field: "kv-dtype", message: "unknown cache type '\(options.kvDType)'")
    }
    var notes = notes
    let unplaced = cost.tensors.filter { $0.part == .other }.map(\.name)
    if !unplaced.isEmpty {
      notes.append(
        "\(unplaced.count) stored tensor(s) fit no part (\(unplaced.prefix(3).joined(separator: ", "))): "
          + "counted in the parameters, not in the FLOPs")
    }
    if cost.shape == nil {
      notes.append("no architecture: attention FLOPs, the KV cache and the roofline need one")
    } else if let shape = cost.shape, shape.layers == 0 {
      notes.append("an encoder-only model: prefill only (no decode step, no KV cache)")
    } else if let shape = cost.shape, shape.isEncoderDecoder {
      notes.append(
        "an encoder-decoder model: the encoder runs once over the source tokens in prefill; a decode token uses "
          + "the decoder's weights only (2N counts both stacks)")
    }
    let sourceTokens = cost.shape?.isEncoderDecoder == true ? options.source ?? options.prompt : nil
    do {
      let parameters = try cost.parameters(fromTable: fromTable)
      let prefill = try cost.prefill(tokens: options.prompt, source: sourceTokens, causal: options.causal)
      var decode: [DecodeCost] = []
      for context in options.contexts {
        if let step = try cost.decode(context: context, source: sourceTokens) { decode.append(step) }
      }
      var formats: [WeightFormatSize] = []
      if fromTable, cost.tensors.contains(where: { $0.storedBytes != nil }) {
        formats.append(try cost.weightSize(format: nil))
      }
      for name in StorageFormat.tableNames {
        if let format = StorageFormat(named: name) { formats.append(try cost.weightSize(format: format)) }
      }
      let roofline = try options.device.map { (device) throws(OpError) in
        try LanguageModelRooflinePass(
          cost: cost, device: device, weights: weightFormat, cache: cache, causal: options.causal, source: sourceTokens
        ).run(prompt: options.prompt, contexts: options.contexts, batches: options.batches)
      }
      var settings = LanguageModelSettings(
        prompt: options.prompt, contexts: options.contexts, batches: options.batches, kvDType: cache.name,
        weightDType: weightFormat?.name ?? "stored", causal: options.causal)
      settings.source = sourceTokens
      return LanguageModelReport(
        model: model, source: source, shape: cost.shape, notes: notes,
        settings: settings, parameters: parameters, prefill: prefill, decode: decode,
        kvCache: try cost.kvCache(format: cache, contexts: options.contexts, source: sourceTokens),
        weightFormats: formats,
        roofline: roofline ?? nil,
        rulesOfThumb: try rulesOfThumb(parameters: parameters, prefill: prefill))
    } catch {
      throw ConvScopeError(file: model, message: error.message)
    }
  }

  /// 2N and 6N with N the active parameters, beside the exact forward and training FLOPs
  /// per prompt token.
  private static func rulesOfThumb(parameters: LanguageModelParameters, prefill: PrefillCost?) throws(OpError)
    -> RulesOfThumb
  {
    let forward = prefill.map { $0.totalFlops / $0.tokens }
    return RulesOfThumb(
      inferenceFlopsPerToken: try Checked.multiply(2, parameters.active),
      trainingFlopsPerToken: try Checked.multiply(6, parameters.active),
      exactForwardFlopsPerToken: forward,
      exactTrainingFlopsPerToken: try forward.map { (f) throws(OpError) in try Checked.multiply(3, f) },
      explanation:
        "2N counts every parameter once per token; the exact figure leaves out the embedding lookup (no "
        + "multiplications), adds the tied output head's V×H when the head reuses the embedding, and adds "
        + "attention's QKᵀ and AV, which grow with the context (4 × layers × heads × head_dim per key). "
        + "6N is 2N forward plus 4N backward; the exact training figure is three forward passes at the prompt length.")
  }
}
