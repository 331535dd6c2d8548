import ConvScopeCore
import ConvScopeReport

/// The `llm` view's report as titled tables, shared by the table, Markdown, CSV and HTML
/// renderers: each cell has its shown text and its exact value (CSV writes the exact one).
struct LanguageModelSection: Sendable {
  var title: String
  var header: [String]
  /// Each row's cells as shown (`1.23 G`).
  var rows: [[String]]
  /// Each row's cells exact (`1234567890`), for CSV.
  var exactRows: [[String]]

  /// A row of cells given as (shown, exact) pairs.
  mutating func add(_ cells: [(String, String)]) {
    rows.append(cells.map(\.0))
    exactRows.append(cells.map(\.1))
  }

  init(_ title: String, _ header: [String]) {
    self.title = title
    self.header = header
    rows = []
    exactRows = []
  }

  /// Every section of `report`, in reading order.
  static func all(_ report: LanguageModelReport) -> [LanguageModelSection] {
    var sections = [model(report), parameters(report)]
    sections += flops(report)
    if let kv = report.kvCache { sections.append(cache(kv)) }
    sections.append(weights(report))
    if let roofline = report.roofline { sections += bounds(roofline) }
    sections.append(thumbs(report))
    return sections
  }

  private static func count(_ value: Int) -> (String, String) { (NumberFormatting.human(value), String(value)) }
  private static func exact(_ value: Int) -> (String, String) { (NumberFormatting.grouped(value), String(value)) }
  private static func bytes(_ value: Int) -> (String, String) { (NumberFormatting.bytes(value), String(value)) }
  private static func text(_ value: String) -> (String, String) { (value, value) }
  private static func real(_ value: Double, _ shown: String) -> (String, String) { (shown, String(value)) }

  private static func model(_ report: LanguageModelReport) -> LanguageModelSection {
    var section = LanguageModelSection("Model: \(report.model) (\(report.source))", ["Field", "Value"])
    guard let shape = report.shape else {
      section.add([text("architecture"), text("not recovered")])
      return section
    }
    let experts = shape.experts.map { "\($0.active) of \($0.count) per token" } ?? "none (dense)"
    let fields: [(String, String)] = [
      ("architecture", shape.architecture), ("layers", "\(shape.layers)"),
      ("encoder layers", "\(shape.encoderLayers)"), ("hidden", "\(shape.hidden)"), ("heads", "\(shape.heads)"),
      ("kv heads", "\(shape.kvHeads)"), ("head dim", "\(shape.headDim)"),
      ("ffn", "\(shape.ffn) (\(shape.ffnKind.rawValue))"), ("vocabulary", "\(shape.vocabulary)"),
      ("tied embeddings", "\(shape.tiedEmbeddings)"), ("positional", shape.positional.rawValue),
      ("context", "\(shape.context)"), ("norm", shape.norm.rawValue), ("experts", experts),
    ]
    for (key, value) in fields { section.add([text(key), text(value)]) }
    return section
  }

  private static func parameters(_ report: LanguageModelReport) -> LanguageModelSection {
    let p = report.parameters
    let origin = p.fromTensorTable ? "exact from the stored tensors" : "from the architecture"
    var section = LanguageModelSection("Parameters (\(origin))", ["Part", "Params", "Share"])
    let parts =
      [("embeddings", p.embeddings), ("attention", p.attention)]
      + (p.crossAttention.map { [("cross-attention", $0)] } ?? [])
      + [("mlp", p.mlp), ("norms", p.norms), ("head", p.head), ("other", p.other)]
    for (name, value) in parts where value > 0 || name != "other" {
      let share = p.total > 0 ? Double(value) / Double(p.total) : 0
      section.add([text(name), exact(value), real(share, NumberFormatting.percent(share))])
    }
    section.add([text("total"), exact(p.total), real(1, "100%")])
    if p.active != p.total { section.add([text("active per token"), exact(p.active), text("")]) }
    return section
  }

  private static func flops(_ report: LanguageModelReport) -> [LanguageModelSection] {
    var sections: [LanguageModelSection] = []
    if let prefill = report.prefill {
      let source = prefill.sourceTokens.map { " after an encoder pass over \($0) source tokens" } ?? ""
      var section = LanguageModelSection(
        "Prefill of \(prefill.tokens) tokens\(source) (FLOPs; total with causal \(report.settings.causal.rawValue))",
        ["Term", "FLOPs"])
      if let encoder = prefill.encoderFlops, let sourceTokens = prefill.sourceTokens {
        section.add([text("encoder (weights × S + attention S², S = \(sourceTokens))"), count(encoder)])
      }
      if let keyValues = prefill.crossKeyValueFlops {
        section.add([text("cross-attention keys and values (once, S tokens)"), count(keyValues)])
      }
      let cross = prefill.sourceTokens == nil ? "" : " + cross N·S"
      section.add([text("weights (2 × matmul weights × tokens)"), count(prefill.weightFlops)])
      section.add([text("attention, full (N²\(cross))"), count(prefill.attentionFlopsFull)])
      section.add([text("attention, halved (N(N+1)/2\(cross))"), count(prefill.attentionFlopsHalved)])
      section.add([text("total"), count(prefill.totalFlops)])
      sections.append(section)
    }
    if !report.decode.isEmpty {
      let hasCross = report.decode.contains { $0.crossAttentionFlops != nil }
      var section = LanguageModelSection(
        "Decode, per generated token",
        ["Context", "Weights", "Attention"] + (hasCross ? ["Cross-attention"] : []) + ["Total", "vs 2N"])
      let twoN = report.rulesOfThumb.inferenceFlopsPerToken
      for step in report.decode {
        let ratio = twoN > 0 ? Double(step.totalFlops) / Double(twoN) : 0
        section.add(
          [exact(step.context), count(step.weightFlops), count(step.attentionFlops)]
            + (hasCross ? [count(step.crossAttentionFlops ?? 0)] : []) + [
              count(step.totalFlops), real(ratio, "x" + NumberFormatting.fixed(ratio, decimals: 3)),
            ])
      }
      sections.append(section)
    }
    return sections
  }

  private static func cache(_ kv: KVCacheSummary) -> LanguageModelSection {
    var section = LanguageModelSection(
      "KV cache at \(kv.dtype): \(NumberFormatting.bytes(kv.bytesPerTokenPerLayer)) per token per layer, "
        + "\(NumberFormatting.bytes(kv.bytesPerToken)) per token", ["Context", "Per layer", "Total"])
    for entry in kv.contexts {
      section.add([exact(entry.context), bytes(entry.bytesPerLayer), bytes(entry.totalBytes)])
    }
    if let cross = kv.crossAttention {
      section.add([
        (
          "cross-attention, \(NumberFormatting.grouped(cross.context)) source tokens (add to each)",
          "cross-attention \(cross.context)"
        ), bytes(cross.bytesPerLayer), bytes(cross.totalBytes),
      ])
    }
    return section
  }

  private static func weights(_ report: LanguageModelReport) -> LanguageModelSection {
    var section = LanguageModelSection("Weights by storage format", ["Format", "Bits/weight", "Bytes", "Active bytes"])
    for format in report.weightFormats {
      section.add([
        text(format.format), real(format.bitsPerWeight, NumberFormatting.fixed(format.bitsPerWeight, decimals: 3)),
        bytes(format.bytes), bytes(format.activeBytes),
      ])
    }
    return section
  }

  private static func bounds(_ roofline: LanguageModelRoofline) -> [LanguageModelSection] {
    let device =
      "\(roofline.device): \(NumberFormatting.human(Int(roofline.peakFlopsPerSecond)))FLOP/s \(roofline.computeType), "
      + "\(NumberFormatting.human(Int(roofline.memoryBytesPerSecond)))B/s"
    let header = ["Batch", "Context", "FLOPs", "Bytes", "Time", "Tokens/s", "Bound"]
    func row(_ bound: LanguageModelRoofline.Bound) -> [(String, String)] {
      [
        exact(bound.batch), exact(bound.context), count(bound.flops), bytes(bound.bytes),
        real(bound.seconds, NumberFormatting.duration(bound.seconds)),
        real(bound.tokensPerSecond, NumberFormatting.fixed(bound.tokensPerSecond, decimals: 1)),
        text(bound.bound.rawValue),
      ]
    }
    var prefill = LanguageModelSection("Prefill bound on \(device)", header)
    for bound in roofline.prefill { prefill.add(row(bound)) }
    var decode = LanguageModelSection("Decode bound on \(device)", header)
    for bound in roofline.decode { decode.add(row(bound)) }
    var crossover = LanguageModelSection("Batch where decode turns compute-bound", ["Context", "Batch"])
    for entry in roofline.computeBoundBatch {
      crossover.add([exact(entry.context), entry.batch.map(exact) ?? text("never")])
    }
    return [prefill, decode, crossover]
  }

  private static func thumbs(_ report: LanguageModelReport) -> LanguageModelSection {
    let rules = report.rulesOfThumb
    var section = LanguageModelSection("Rules of thumb (N = active parameters)", ["Figure", "FLOPs per token"])
    section.add([text("2N (inference)"), count(rules.inferenceFlopsPerToken)])
    if let first = report.decode.first {
      section.add([text("exact decode at context \(first.context)"), count(first.totalFlops)])
    }
    if let forward = rules.exactForwardFlopsPerToken {
      section.add([text("exact forward per prompt token"), count(forward)])
    }
    section.add([text("6N (training)"), count(rules.trainingFlopsPerToken)])
    if let training = rules.exactTrainingFlopsPerToken {
      section.add([text("exact training per prompt token (3 forwards)"), count(training)])
    }
    return section
  }
}
