import Foundation
import Testing

@testable import ConvScopeImporters

/// A Hugging Face `config.json` beside a safetensors file is mapped onto a transformer's shape
/// only with sizes a model can have.
@Suite struct HuggingFaceConfigTests {
  static func config(layers: String) throws -> JSONValue {
    let text = """
      {"model_type": "llama", "num_hidden_layers": \(layers), "hidden_size": 64, "num_attention_heads": 8,
       "intermediate_size": 128, "vocab_size": 10, "max_position_embeddings": 32}
      """
    return try JSONValue.parse(Data(text.utf8), fileName: "config.json")
  }

  @Test func sizesPastTwoToTheFortyAreNotMapped() throws {
    #expect(HuggingFaceConfig.shape(try Self.config(layers: "2")).shape?.layers == 2)
    // 2^63 - 1 layers: encoder and decoder counts are added up, which trapped past 2^62
    // (found by a hostile-input audit); such a count is taken as absent.
    let huge = HuggingFaceConfig.shape(try Self.config(layers: "9223372036854775807"))
    #expect(huge.shape == nil)
    #expect(huge.unmappedReason == "config.json has no whole number 'num_hidden_layers' from 1 to 2^40")
  }
}
