import ConvScopeCore
import Foundation

/// Reads a spec's `transformer:` block (docs/spec-format.md, "Transformer block") into a
/// ``TransformerShape`` for the `llm` view:
///
/// ```yaml
/// name: llama-3-8b
/// transformer: {layers: 32, hidden: 4096, heads: 32, kv_heads: 8, ffn: 14336, ffn_kind: gated,
///               vocab: 128256, positional: rotary, context: 8192, norm: rms}
/// ```
public enum SpecTransformer {
  /// The keys a `transformer:` block takes.
  static let keys = [
    "architecture", "layers", "encoder_layers", "hidden", "heads", "kv_heads", "head_dim", "ffn", "ffn_kind",
    "vocab", "tied_embeddings", "positional", "context", "norm", "experts", "active_experts", "attention_bias",
    "attention_output_bias", "ffn_bias",
  ]

  /// The shape a spec's `transformer:` block describes, or `nil` when the document has none.
  public static func shape(from data: Data, fileName: String) throws(ConvScopeError) -> TransformerShape? {
    guard let root = try SpecComposer.compose(data, fileName: fileName).rootNode, root.kind == .mapping,
      let block = root.value("transformer")
    else { return nil }
    let name = root.value("name")?.text ?? FileReading.baseName(of: fileName)
    return try read(block, location: SpecLocation(file: fileName), modelName: name)
  }

  /// The shape in `node`, a `transformer:` mapping.
  static func read(_ node: SpecNode, location: SpecLocation, modelName: String) throws(ConvScopeError)
    -> TransformerShape
  {
    let fields = try SpecFields(node, location: location, what: "transformer block")
    let layers = try fields.int("layers") ?? 0
    let encoderLayers = try fields.int("encoder_layers") ?? 0
    guard layers >= 0, encoderLayers >= 0, layers > 0 || encoderLayers > 0 else {
      throw fields.error("layers", "a transformer needs decoder `layers` or `encoder_layers` (positive)")
    }
    // Each within the layer budget, so that their sum (every layer) cannot overflow.
    let budget = try ResourceLimits.layers
    for (field, count) in [("layers", layers), ("encoder_layers", encoderLayers)] where count > budget {
      throw fields.error(field, ResourceLimits.overLayerBudget(count, "layers", verb: "has", limit: budget))
    }
    let hidden = try fields.positiveInt("hidden", required: true) ?? 0
    let heads = try fields.positiveInt("heads", required: true) ?? 0
    let kvHeads = try fields.positiveInt("kv_heads") ?? heads
    guard heads % kvHeads == 0 else {
      throw fields.error("kv_heads", "must divide heads (\(heads)), got \(kvHeads)")
    }
    let headDim = try fields.positiveInt("head_dim")
    if headDim == nil, hidden % heads != 0 {
      throw fields.error("heads", "does not divide hidden (\(hidden)); give head_dim")
    }
    let ffn = try fields.positiveInt("ffn", required: true) ?? 0
    let ffnKind = try choice(fields, "ffn_kind", TransformerShape.FeedForwardKind.self, default: .mlp)
    let vocabulary = try fields.positiveInt("vocab", required: true) ?? 0
    let positional = try choice(fields, "positional", TransformerShape.PositionalKind.self, default: .rotary)
    let context = try fields.positiveInt("context", required: positional == .learned) ?? 0
    let norm = try normKind(fields)
    var experts: TransformerShape.ExpertRouting?
    if let count = try fields.positiveInt("experts") {
      let active = try fields.positiveInt("active_experts", required: true) ?? 0
      guard active <= count else { throw fields.error("active_experts", "must be at most experts (\(count))") }
      experts = TransformerShape.ExpertRouting(count: count, active: active)
    }
    let attentionBias = try fields.bool("attention_bias") ?? false
    let shape = TransformerShape(
      architecture: try fields.string("architecture") ?? modelName, layers: layers, encoderLayers: encoderLayers,
      hidden: hidden, heads: heads, kvHeads: kvHeads, headDim: headDim, ffn: ffn, ffnKind: ffnKind,
      vocabulary: vocabulary, tiedEmbeddings: try fields.bool("tied_embeddings") ?? false, positional: positional,
      context: context, norm: norm, experts: experts, attentionBias: attentionBias,
      ffnBias: try fields.bool("ffn_bias") ?? false,
      attentionOutputBias: try fields.bool("attention_output_bias") ?? attentionBias)
    try fields.finish(allowed: keys)
    return shape
  }

  /// A value among `T`'s raw values.
  private static func choice<T: RawRepresentable & CaseIterable>(
    _ fields: SpecFields, _ key: String, _: T.Type, default fallback: T
  ) throws(ConvScopeError) -> T where T.RawValue == String {
    guard let written = try fields.string(key) else { return fallback }
    guard let value = T(rawValue: written) else {
      let names = T.allCases.map(\.rawValue)
      throw fields.error(key, "unknown value '\(written)'; expected \(names.joined(separator: ", "))")
    }
    return value
  }

  /// `norm: layer` (LayerNorm, the default) or `norm: rms` (RMSNorm).
  private static func normKind(_ fields: SpecFields) throws(ConvScopeError) -> TransformerShape.NormKind {
    switch try fields.string("norm") {
    case nil, "layer", "layer_norm", "layerNorm": .layerNorm
    case "rms", "rms_norm", "rmsNorm": .rmsNorm
    case let other?: throw fields.error("norm", "unknown value '\(other)'; expected layer or rms")
    }
  }
}
