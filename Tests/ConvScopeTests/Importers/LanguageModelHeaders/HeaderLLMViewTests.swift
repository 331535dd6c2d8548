import ConvScope
import Foundation
import Testing

/// `convscope llm` on a GGUF or safetensors file: the header reader's tensor table and shape
/// feed the llm view (LanguageModelPipeline), checked against torch's numbers for the same
/// model (Tests/Fixtures/llm-headers/manifest.json).
@Suite("llm view of weights-file headers")
struct HeaderLLMViewTests {
  static let files = HeaderFixtureTests.names.flatMap { name in
    [HeaderFixtureTests.manifest.models[name]!.gguf, HeaderFixtureTests.manifest.models[name]!.safetensors]
  }

  @Test(arguments: files) func parametersAndShapeComeFromTheHeader(file: String) throws {
    let path = Fixtures.url("llm-headers/\(file)").path
    let name = String(file.prefix { $0 != "." && $0 != "/" })
    let torch = try #require(HeaderFixtureTests.manifest.models[name]).torchParameters
    let report = try LanguageModelPipeline.report(
      for: LanguageModelRequest(path: path, options: LanguageModelOptions(contexts: [64], batches: [1])))
    let header = try LanguageModelHeaderReader.read(fileAt: path)
    #expect(report.parameters.fromTensorTable)
    #expect(report.parameters.total == torch)
    #expect(report.shape == header.shape)
    let parts = report.parameters
    #expect(parts.embeddings + parts.attention + parts.mlp + parts.norms + parts.head + parts.other == parts.total)
    // Every tensor name the fixtures use (llama.cpp's and Hugging Face's) is given its part.
    #expect(parts.other == 0, "\(file): \(parts)")
    // The KV cache: keys and values, per layer, kv heads × head dim per token, at fp16.
    let shape = try #require(header.shape)
    let perToken = shape.layers * 2 * shape.kvHeads * shape.headDim * 2
    #expect(report.kvCache?.contexts.first?.totalBytes == 64 * perToken)
  }
}
