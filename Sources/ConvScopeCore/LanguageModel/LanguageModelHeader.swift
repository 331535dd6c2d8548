/// What a weights file's header says about a language model, read without its tensor data:
/// a GGUF file's metadata and tensor table, or a safetensors file's JSON header (with a
/// Hugging Face `config.json` beside it when there is one).
public struct LanguageModelHeader: Sendable, Equatable {
  /// The header's format.
  public var format: HeaderFormat
  /// The architecture the metadata describes, or `nil` when it names one ConvScope cannot
  /// map (`unmappedReason` says why); the tensor table is exact either way.
  public var shape: TransformerShape?
  /// Why `shape` is `nil` (for example "architecture 'rwkv6' is not a transformer ConvScope
  /// maps"), shown in the report.
  public var unmappedReason: String?
  /// Every tensor the file stores, in file order.
  public var tensors: [HeaderTensor]
  /// Scalar metadata as text (`general.architecture: llama`), for display; arrays are
  /// summarised by their length.
  public var metadata: [(key: String, value: String)]

  /// Creates a header.
  public init(
    format: HeaderFormat, shape: TransformerShape?, unmappedReason: String?,
    tensors: [HeaderTensor], metadata: [(key: String, value: String)]
  ) {
    self.format = format
    self.shape = shape
    self.unmappedReason = unmappedReason
    self.tensors = tensors
    self.metadata = metadata
  }

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.format == rhs.format && lhs.shape == rhs.shape && lhs.unmappedReason == rhs.unmappedReason
      && lhs.tensors == rhs.tensors && lhs.metadata.elementsEqual(rhs.metadata, by: ==)
  }

  /// The weights-file formats whose headers ConvScope reads.
  public enum HeaderFormat: String, Sendable, Codable {
    /// llama.cpp's GGUF (versions 2 and 3).
    case gguf
    /// Hugging Face safetensors.
    case safetensors
  }
}

/// One stored tensor as a header lists it.
public struct HeaderTensor: Sendable, Equatable {
  /// The tensor's name (`blk.0.attn_q.weight`, `model.layers.0.self_attn.q_proj.weight`).
  public var name: String
  /// Dimensions, outermost first (GGUF stores them innermost first; the reader reverses).
  public var shape: [Int]
  /// The storage type's name as the format spells it (`F16`, `Q4_K`, `BF16`, `F32`).
  public var storageType: String
  /// Bytes the tensor occupies in the file (a quantised type's blocks and scales included).
  public var storedBytes: Int

  /// Creates a tensor entry.
  public init(name: String, shape: [Int], storageType: String, storedBytes: Int) {
    self.name = name
    self.shape = shape
    self.storageType = storageType
    self.storedBytes = storedBytes
  }
}
