import ConvScopeCore
import ConvScopeReport

/// What the `llm` view computes: the prompt, contexts and batches, the cache and weight
/// formats, the causal convention and the device.
public struct LanguageModelOptions: Sendable {
  /// Prompt tokens for prefill (`--prompt`).
  public var prompt: Int
  /// Context lengths for decode and the KV cache (`--context`).
  public var contexts: [Int]
  /// Batch sizes for the roofline (`--batch`).
  public var batches: [Int]
  /// The KV cache's element type (`--kv-dtype`): one of ``StorageFormat/cacheNames``.
  public var kvDType: String
  /// The weights' format for the roofline (`--weight-dtype`): a plain type, a GGUF type, or
  /// `stored` (a header's own types); `nil` picks `stored` for a header and `bf16` otherwise.
  public var weightDType: String?
  /// The convention the prefill total uses (`--causal`); both are reported.
  public var causal: CausalConvention
  /// The device for the roofline (`--device`), if any.
  public var device: DeviceProfile?
  /// An encoder-decoder model's encoder input tokens (`--source`); `nil`: the prompt length.
  public var source: Int?

  /// Creates options; the defaults are the CLI's.
  public init(
    prompt: Int = 512, contexts: [Int] = [1024, 8192, 32768], batches: [Int] = [1, 8, 64], kvDType: String = "fp16",
    weightDType: String? = nil, causal: CausalConvention = .full, device: DeviceProfile? = nil
  ) {
    self.prompt = prompt
    self.contexts = contexts
    self.batches = batches
    self.kvDType = kvDType
    self.weightDType = weightDType
    self.causal = causal
    self.device = device
  }

  /// Refuses what cannot be computed, naming the option.
  public func validate() throws(ConvScopeError) {
    guard prompt > 0 else { throw ConvScopeError(field: "prompt", message: "must be a positive token count") }
    if let source, source <= 0 {
      throw ConvScopeError(field: "source", message: "must be a positive token count")
    }
    guard !contexts.isEmpty, contexts.allSatisfy({ $0 > 0 }) else {
      throw ConvScopeError(field: "context", message: "must list positive context lengths")
    }
    guard !batches.isEmpty, batches.allSatisfy({ $0 > 0 }) else {
      throw ConvScopeError(field: "batch", message: "must list positive batch sizes")
    }
    guard StorageFormat.cacheNames.contains(kvDType.lowercased()) else {
      throw ConvScopeError(
        field: "kv-dtype",
        message: "unknown cache type '\(kvDType)'; expected \(StorageFormat.cacheNames.joined(separator: ", "))")
    }
    if let weightDType, weightDType.lowercased() != "stored", StorageFormat(named: weightDType) == nil {
      let names = StorageFormat.plainNames + GGMLType.all.filter { !$0.runtimeOnly }.map(\.name)
      throw ConvScopeError(
        field: "weight-dtype",
        message:
          "unknown weight format '\(weightDType)'\(NameSuggestion.hint(for: weightDType, among: names + ["stored"]))")
    }
  }
}

/// A storage format for weights or the KV cache: a plain element type (bits per element, no
/// scales) or a ggml block type.
struct StorageFormat: Sendable {
  /// The name shown (`bf16`, `Q4_K`).
  var name: String
  /// Bits per element of a plain type; `nil` for a ggml block type.
  var bits: Int?
  /// The ggml block type.
  var ggml: GGMLType?

  /// The plain formats, widest first.
  static let plainNames = ["fp32", "bf16", "fp16", "fp8", "int8", "int4"]
  /// The KV cache's formats.
  static let cacheNames = plainNames
  /// The formats the weights table lists.
  static let tableNames =
    plainNames + ["Q8_0", "Q6_K", "Q5_K", "Q5_0", "Q5_1", "Q4_K", "Q4_0", "Q4_1", "IQ4_XS", "Q3_K", "Q2_K"]

  /// The format named `name` (case-insensitive), or `nil`.
  init?(named name: String) {
    let lower = name.lowercased()
    let plainBits = ["fp32": 32, "bf16": 16, "fp16": 16, "fp8": 8, "int8": 8, "int4": 4]
    if let bits = plainBits[lower] {
      self.name = lower
      self.bits = bits
    } else if let type = GGMLType.named(name), !type.runtimeOnly {
      self.name = type.name
      self.ggml = type
    } else {
      return nil
    }
  }

  /// The device profile's rate key a step at this format runs at: block formats and int4
  /// are dequantised to fp16 for the matmul.
  var computeType: String {
    switch name {
    case "fp32": "float32"
    case "bf16": "bfloat16"
    case "fp8": "float8e4m3fn"
    case "int8": "int8"
    default: "float16"
    }
  }

  /// Bytes of `tensor` (every copy) in this format. A ggml type stores each innermost row
  /// in whole blocks (rounded up when the row is not a multiple) and keeps 1-D tensors
  /// (norms, biases) in F32, as llama.cpp's converter does.
  func bytes(of tensor: ModelTensor) throws(OpError) -> Int {
    let elements = try tensor.totalElements()
    if let bits { return try Checked.add(Checked.multiply(elements, bits), 7) / 8 }
    guard let ggml, tensor.shape.count >= 2, let row = tensor.shape.last, row > 0 else {
      return try Checked.multiply(elements, 4)
    }
    return try Checked.multiply(elements / row, ggml.roundedBytes(elements: row))
  }
}
