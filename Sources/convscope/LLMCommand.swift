import ArgumentParser
import ConvScope

extension CausalConvention: ExpressibleByArgument {}

/// `convscope llm MODEL`: the language-model view.
struct LLMCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "llm",
    abstract: "Language-model view: params by part, prefill and decode FLOPs, KV cache, weight bytes, tokens/s bounds.",
    discussion: """
      MODEL is a spec with a `transformer:` block (docs/spec-format.md), a GGUF or safetensors \
      weights file (its header only; a config.json beside a safetensors file gives the \
      architecture) or a transformer graph (ONNX, .pt2) whose shape is recovered. FLOPs count matmuls, 2 per multiply-accumulate; \
      docs/llm.md gives every formula.

      Examples:
        convscope llm Examples/llama-3-8b.yaml --context 1k,8k,32k --device h100-sxm
        convscope llm Tests/Fixtures/llm-headers/llama.gguf --context 4k --device l4
        convscope llm Examples/llama-3-8b.yaml --kv-dtype fp8 -o llama.html
      """)

  @Argument(help: ArgumentHelp("The model file.", valueName: "model"))
  var model: String

  @Option(help: ArgumentHelp("Prompt tokens for prefill (512, 2k).", valueName: "tokens"))
  var prompt: String = "512"

  @Option(
    help: ArgumentHelp(
      "Encoder input tokens of an encoder-decoder model (default: the prompt length).", valueName: "tokens"))
  var source: String?

  @Option(
    help: ArgumentHelp("Context lengths for decode and the KV cache.", valueName: "tokens"),
    transform: IntListArgument.tokens(parsing:))
  var context: IntListArgument = try! IntListArgument.tokens(parsing: "1k,8k,32k")

  @Option(
    help: ArgumentHelp("Batch sizes for the roofline bounds.", valueName: "sizes"),
    transform: IntListArgument.init(parsing:))
  var batch: IntListArgument = try! IntListArgument(parsing: "1,8,64")

  @Option(name: .customLong("kv-dtype"), help: "The KV cache's element type: fp32, bf16, fp16, fp8, int8, int4.")
  var kvDType: String = "fp16"

  @Option(
    name: .customLong("weight-dtype"),
    help: ArgumentHelp(
      "The weights' format for the roofline: fp32, bf16, fp16, fp8, int8, int4, a GGUF type (Q4_K, Q8_0...) "
        + "or stored (a header's own types; the default for headers, bf16 otherwise).", valueName: "format"))
  var weightDType: String?

  @Option(
    help: ArgumentHelp(
      "Roofline bounds on a device: a built-in name (see `convscope devices`) or a YAML profile file.",
      valueName: "device"))
  var device: String?

  @Option(help: "Causal masking in prefill attention: full (N² pairs) or halved (N(N+1)/2); both are shown.")
  var causal: CausalConvention = .full

  @Option(name: [.customShort("f"), .long], help: "The output format: table, markdown, csv, json or html.")
  var format: OutputFormat = .table

  @Option(
    name: [.short, .long],
    help: ArgumentHelp("Write the report to a file instead of standard output.", valueName: "file"))
  var output: String?

  func validate() throws {
    if format == .dot || format == .netron {
      throw ValidationError("llm writes table, markdown, csv, json or html, not \(format.rawValue)")
    }
    _ = try promptTokens()
    _ = try sourceTokens()
  }

  private func promptTokens() throws -> Int { try Self.oneCount(prompt, flag: "--prompt") }

  private func sourceTokens() throws -> Int? { try source.map { try Self.oneCount($0, flag: "--source") } }

  private static func oneCount(_ text: String, flag: String) throws -> Int {
    let list = try IntListArgument.tokens(parsing: text).values
    guard list.count == 1 else { throw ValidationError("\(flag) takes one token count, not a list") }
    return list[0]
  }

  func run() throws {
    let tokens = try promptTokens()
    let sourceCount = try sourceTokens()
    try ErrorReporting.run { () throws(ConvScopeError) in
      var options = LanguageModelOptions(
        prompt: tokens, contexts: context.values, batches: batch.values, kvDType: kvDType, weightDType: weightDType,
        causal: causal)
      options.source = sourceCount
      // The HTML page's batch plot needs a device: the charts' default when none is named.
      let chosen = device ?? (format == .html ? DeviceProfile.defaultForCharts.name : nil)
      var report = try LanguageModelPipeline.report(
        for: LanguageModelRequest(path: model, options: options, device: chosen.map(DeviceChoice.named)))
      if device == nil, chosen != nil {
        report.notes.append("no --device given: the bounds and the batch plot assume \(chosen ?? "")")
      }
      let text = try LanguageModelRenderer.render(report, format: format)
      try OutputSettings.write({ (write) throws(ConvScopeError) in try write(text) }, to: output, format: format)
    }
  }
}
