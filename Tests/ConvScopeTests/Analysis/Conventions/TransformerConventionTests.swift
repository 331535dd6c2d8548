import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// Every PyTorch-side tool's total on issue 14's transformer set, from the exported ONNX graph
/// (`Tests/Fixtures/transformer-conventions/NAME.onnx`) against the figure the tool printed on
/// the PyTorch model (`references.json`, written by `Scripts/transformer-conventions/`).
///
/// A pair is exact unless ``tolerances`` says otherwise; a tolerance names its cause, which
/// `docs/conventions.md` must explain in its "Transformers" section (the test checks the note
/// is there). A pair whose figure depends on what the export cannot show is ``unknowable``: the
/// convention's notes must say so.
@Suite struct TransformerConventionTests {
  static let tools: [Convention] = [
    .fvcore, .ptflops, .ptflopsAten, .thop, .torchinfo, .onnxTool, .torchFlopCounter, .calflops,
  ]

  static let models = [
    "vit_b_16", "vit_b_32", "swin_t", "swin_v2_t", "nn_transformer", "encoder_fastpath", "encoder_slowpath",
    "multihead_attention", "multihead_attention_seq_first", "bert_small", "gpt2_small", "t5_small", "llama_small",
    "whisper_encoder_small",
  ]

  /// `model/tool` → the largest relative difference allowed, with its documented cause (none left:
  /// every pair the export can show is exact).
  static let tolerances: [String: (Double, String)] = [:]

  /// `model/tool` pairs whose figure depends on something the export cannot show: the tool's
  /// convention says so in its notes (the test checks the note, and that the difference is what it names).
  static let unknowable: [String: String] = [
    "whisper_encoder_small/torchinfo": "the export cannot show whether it was a module's output"
  ]

  static func references() throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Fixtures.data("transformer-conventions/references.json"))
    return (object as? [String: Any])?["models"] as? [String: Any] ?? [:]
  }

  static func totals(_ model: String) throws -> [String: Int] {
    let entry = try references()[model] as? [String: Any]
    return (entry?["totals"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
  }

  static func report(_ model: String) throws -> Report {
    let path = Fixtures.url("transformer-conventions/\(model).onnx").path
    return try Analyzer.analyze(try ModelLoader.standard.load(path: path).graph)
  }

  @Test(arguments: models)
  func everyToolTotalIsReproduced(model: String) throws {
    let report = try Self.report(model)
    #expect(report.unsupported.isEmpty, "\(model): \(report.unsupported)")
    let totals = try Self.totals(model)
    for tool in Self.tools {
      let key = "\(model)/\(tool.rawValue)"
      let reference = try #require(totals[tool.rawValue], "\(key): no reference figure")
      let figure = try tool.apply(to: report).figure
      if let (tolerance, _) = Self.tolerances[key] {
        let difference = abs(Double(figure - reference)) / Double(max(reference, 1))
        #expect(difference <= tolerance, "\(key): \(figure) vs \(reference)")
      } else if let reason = Self.unknowable[key] {
        try Self.expectStated(reason, tool.apply(to: report), reference: reference, key: key)
      } else {
        #expect(figure == reference, "\(key): \(figure) vs \(reference) (\(figure - reference))")
      }
    }
  }

  /// Whisper's `embed_positions` (an `nn.Embedding` of 50 x 64 looked up at positions 0..<50, output
  /// `[50, 64]`) is folded by the exporter into an anonymous constant: torchinfo counts it
  /// `output_size[0] * params` = 50 x 3,200; the note names the constant's 3,200 parameters, and the
  /// difference is a whole multiple of them.
  static func expectStated(_ reason: String, _ result: ConventionResult, reference: Int, key: String) throws {
    let note = try #require(result.notes.first { $0.contains(reason) }, "\(key): \(result.notes)")
    let params = try #require(
      note.split(separator: "(").dropFirst().first?.split(separator: " ").first.flatMap { Int($0) }, "\(note)")
    #expect(params > 0 && (reference - result.figure) % params == 0 && reference > result.figure, "\(key)")
  }

  /// Swin V2's `cpb_mlp.0` (`nn.Linear(2, 512)` on the stored `[1, 15, 15, 2]` coordinate table) is
  /// folded: its row costs nothing in ConvScope's totals but keeps the cost its rule gave it,
  /// 15 x 15 x 2 x 512 MACs, and its 2 x 512 weights (the bias is the `Add`'s: 512).
  @Test func foldedRowsKeepTheCostTheyWouldHaveHad() throws {
    let report = try Self.report("swin_v2_t")
    let scope = "/features/features.1/features.1.0/attn/cpb_mlp/cpb_mlp.0/"
    let product = try #require(report.layers.first { $0.name == scope + "MatMul" })
    let bias = try #require(report.layers.first { $0.name == scope + "Add" })
    #expect(product.folded && product.cost == .zero && product.params == 0)
    #expect(product.facts.foldedCost.macs == 15 * 15 * 2 * 512 && product.facts.foldedParams == 2 * 512)
    #expect(bias.folded && bias.facts.foldedCost.adds == 15 * 15 * 512 && bias.facts.foldedParams == 512)
    let counted = report.layers.filter { !$0.folded }.reduce(0) { $0 + $1.macs }
    #expect(report.totals.macs == counted)
  }

  /// `--reconcile` on ViT-B/16: every tool's figure, and for each tool that leaves attention out,
  /// the reason with the MACs at stake. ViT-B/16's SDPA: 12 layers x 2 products x 12 heads x
  /// 197 x 197 x 64; its `nn.MultiheadAttention` projections: 12 x 197 x 768 x (3 x 768 + 768),
  /// plus the SDPA products, in 12 x 30 nodes of the `self_attention` scopes.
  @Test func reconcileOnViTGivesEachToolsReason() throws {
    let rows = try Convention.reconcile(try Self.report("vit_b_16"))
    let totals = try Self.totals("vit_b_16")
    let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0.convention, $0) })
    for tool in Self.tools { #expect(byName[tool.rawValue]?.figure == totals[tool.rawValue], "\(tool.rawValue)") }
    let sdpa = 12 * 2 * 12 * 197 * 197 * 64
    let attention = 12 * 197 * 768 * (3 * 768 + 768) + sdpa
    for tool in ["fvcore", "torch-flop-counter", "calflops", "ptflops-aten"] {
      let notes = byName[tool]?.notes ?? []
      #expect(
        notes.contains { $0.contains("scaled_dot_product_attention") && $0.contains("\(sdpa) of ConvScope's MACs") },
        "\(tool)")
    }
    for tool in ["thop", "torchinfo"] {
      #expect(
        byName[tool]?.notes.contains { $0.contains("attention modules") && $0.contains("\(attention) of") } == true)
    }
    #expect(byName["ptflops"]?.notes.contains { $0.contains("multihead_attention_counter_hook") } == true)
  }

  @Test func everyToleranceAndGapIsExplainedInTheDocs() throws {
    let docs = try String(
      contentsOf: Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/conventions.md"), encoding: .utf8)
    for (key, (_, cause)) in Self.tolerances {
      #expect(docs.contains("`\(key)`") && docs.contains(cause), "\(key): docs/conventions.md lacks its note")
    }
    for key in Self.unknowable.keys { #expect(docs.contains("`\(key)`"), "\(key): docs/conventions.md lacks its note") }
  }
}
