import ConvScope
import Foundation
import Testing

/// The GGUF and safetensors fixtures (`Tests/Fixtures/llm-headers/`, written by
/// `Scripts/llm-header-fixtures/make.sh` from tiny Hugging Face configs): parameters against
/// torch's `sum(numel)` of the same model, and the mapped shapes against the configs.
@Suite("LLM header fixtures")
struct HeaderFixtureTests {
  struct Manifest: Decodable {
    struct Model: Decodable {
      var gguf: String
      var safetensors: String
      var torchParameters: Int
      var ggufTypes: [String]
      var config: [String: ConfigValue]
      enum CodingKeys: String, CodingKey {
        case gguf, safetensors, config
        case torchParameters = "torch_parameters"
        case ggufTypes = "gguf_types"
      }
    }
    var models: [String: Model]
  }

  /// A config value: a number, a boolean or a string.
  enum ConfigValue: Decodable, Equatable {
    case int(Int)
    case bool(Bool)
    case string(String)
    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let value = try? container.decode(Bool.self) {
        self = .bool(value)
      } else if let value = try? container.decode(Int.self) {
        self = .int(value)
      } else {
        self = .string(try container.decode(String.self))
      }
    }
  }

  static let manifest: Manifest = {
    let data = try! Fixtures.data("llm-headers/manifest.json")
    return try! JSONDecoder().decode(Manifest.self, from: data)
  }()
  static let names = manifest.models.keys.sorted()

  static func parameters(_ header: LanguageModelHeader) -> Int {
    header.tensors.reduce(0) { $0 + $1.shape.reduce(1, *) }
  }

  @Test(arguments: names) func ggufParametersEqualTorch(name: String) throws {
    let model = try #require(Self.manifest.models[name])
    let header = try LanguageModelHeaderReader.read(fileAt: Fixtures.url("llm-headers/\(model.gguf)").path)
    #expect(header.format == .gguf)
    #expect(Self.parameters(header) == model.torchParameters)
    #expect(Set(header.tensors.map(\.storageType)) == Set(model.ggufTypes))
  }

  @Test(arguments: names) func safetensorsParametersEqualTorch(name: String) throws {
    let model = try #require(Self.manifest.models[name])
    let header = try LanguageModelHeaderReader.read(fileAt: Fixtures.url("llm-headers/\(model.safetensors)").path)
    #expect(header.format == .safetensors)
    #expect(Self.parameters(header) == model.torchParameters)
    #expect(header.tensors.allSatisfy { $0.storageType == "F16" && $0.storedBytes == 2 * $0.shape.reduce(1, *) })
  }

  /// The shape's fields against the config, by each architecture's own key names and defaults
  /// (transformers' GPT2Config, LlamaConfig, MistralConfig, MixtralConfig, Qwen2Config, Phi3Config).
  @Test(arguments: names) func mappedShapesEqualTheConfig(name: String) throws {
    let model = try #require(Self.manifest.models[name])
    func int(_ key: String) -> Int? { if case .int(let value) = model.config[key] { value } else { nil } }
    func bool(_ key: String) -> Bool? { if case .bool(let value) = model.config[key] { value } else { nil } }
    let gpt2 = name == "gpt2"
    let hidden = try #require(gpt2 ? int("n_embd") : int("hidden_size"))
    let heads = try #require(gpt2 ? int("n_head") : int("num_attention_heads"))
    for file in [model.gguf, model.safetensors] {
      let header = try LanguageModelHeaderReader.read(fileAt: Fixtures.url("llm-headers/\(file)").path)
      let shape = try #require(header.shape, "\(file): \(header.unmappedReason ?? "")")
      #expect(shape.layers == (gpt2 ? int("n_layer") : int("num_hidden_layers")), "\(file)")
      #expect(shape.hidden == hidden, "\(file)")
      #expect(shape.heads == heads, "\(file)")
      #expect(shape.kvHeads == (int("num_key_value_heads") ?? heads), "\(file)")
      #expect(shape.headDim == (int("head_dim") ?? hidden / heads), "\(file)")
      #expect(shape.ffn == (gpt2 ? (int("n_inner") ?? 4 * hidden) : int("intermediate_size")), "\(file)")
      #expect(shape.vocabulary == int("vocab_size"), "\(file)")
      #expect(shape.context == (gpt2 ? int("n_positions") : int("max_position_embeddings")), "\(file)")
      #expect(shape.tiedEmbeddings == (bool("tie_word_embeddings") ?? gpt2), "\(file)")
      #expect(shape.ffnKind == (gpt2 ? .mlp : .gated), "\(file)")
      #expect(shape.norm == (gpt2 ? .layerNorm : .rmsNorm), "\(file)")
      #expect(shape.positional == (gpt2 ? .learned : .rotary), "\(file)")
      #expect(shape.attentionBias == (gpt2 || name == "qwen2"), "\(file)")
      #expect(shape.ffnBias == gpt2, "\(file)")
      let experts = int("num_local_experts").map {
        TransformerShape.ExpertRouting(count: $0, active: int("num_experts_per_tok")!)
      }
      #expect(shape.experts == experts, "\(file)")
    }
  }

  /// GGUF's byte sizes by the block layout: Q4_K packs 256 weights in 144 bytes, Q8_0 32 in 34.
  @Test func quantisedTensorsTakeTheirBlockBytes() throws {
    let header = try LanguageModelHeaderReader.read(fileAt: Fixtures.url("llm-headers/llama.gguf").path)
    let down = try #require(header.tensors.first { $0.name == "blk.0.ffn_down.weight" })
    #expect(down.storageType == "Q4_K" && down.shape == [64, 256] && down.storedBytes == 64 * 256 / 256 * 144)
    let query = try #require(header.tensors.first { $0.name == "blk.0.attn_q.weight" })
    #expect(query.storageType == "Q8_0" && query.shape == [64, 64] && query.storedBytes == 64 * 64 / 32 * 34)
    let embedding = try #require(header.tensors.first { $0.name == "token_embd.weight" })
    #expect(embedding.storageType == "F16" && embedding.shape == [96, 64] && embedding.storedBytes == 96 * 64 * 2)
    #expect(header.metadata.contains { $0.key == "general.architecture" && $0.value == "llama" })
    #expect(header.metadata.contains { $0.key == "tokenizer.ggml.tokens" && $0.value.contains("96") })
  }

  /// `analyze` reads the header, then points to `convscope llm` in one line.
  @Test func analyzeSaysTheFileIsForTheLLMView() throws {
    for file in ["llm-headers/qwen2.gguf", "llm-headers/qwen2/model.safetensors"] {
      let path = Fixtures.url(file).path
      #expect {
        _ = try ModelLoader.standard.load(path: path)
      } throws: { error in
        let text = (error as? ConvScopeError)?.description ?? ""
        return text.contains("convscope llm") && text.contains("21,792 parameters") && !text.contains("\n")
      }
    }
  }
}
