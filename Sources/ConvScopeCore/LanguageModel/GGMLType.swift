/// A ggml storage type: how a GGUF file stores a tensor's elements, in blocks of
/// `blockElements` values taking `blockBytes` bytes each (the scales and mins of a quantised
/// type included).
///
/// The one table of ggml types in ConvScope: the GGUF reader maps a tensor info's type id
/// through it, and the `llm` view sizes weights at a quantisation with it.
///
/// Source: ggml's `type_traits` table (`ggml/src/ggml.c`, `blck_size` and `type_size`) and the
/// block structs of `ggml/src/ggml-common.h`; the same figures as `GGML_QUANT_SIZES` in
/// llama.cpp's `gguf-py/gguf/constants.py`. Example: Q4_K packs 256 weights into 144 bytes
/// (two fp16 super-scales, 12 bytes of 6-bit sub-scales and mins, 128 bytes of nibbles),
/// 4.5 bits per weight.
public struct GGMLType: Sendable, Hashable, Codable {
  /// The type id a GGUF tensor info stores (`GGML_TYPE_Q4_K` = 12).
  public let id: Int
  /// The name as ggml spells it (`Q4_K`, `F16`, `BF16`).
  public let name: String
  /// Elements per block (1 for the plain types).
  public let blockElements: Int
  /// Bytes per block.
  public let blockBytes: Int
  /// Whether ggml uses the type only at run time (as the activations' side of a dot product)
  /// rather than to store weights in files.
  public let runtimeOnly: Bool

  /// Creates a type entry.
  public init(id: Int, name: String, blockElements: Int, blockBytes: Int, runtimeOnly: Bool = false) {
    self.id = id
    self.name = name
    self.blockElements = blockElements
    self.blockBytes = blockBytes
    self.runtimeOnly = runtimeOnly
  }

  /// Bits each element takes on average, scales included (Q4_K: 4.5, Q8_0: 8.5).
  public var bitsPerWeight: Double {
    Double(blockBytes * 8) / Double(blockElements)
  }

  /// Bytes a row-major tensor of `elements` values takes, or `nil` when `elements` is not a
  /// whole number of blocks (ggml requires the innermost dimension to be).
  public func storedBytes(elements: Int) throws(OpError) -> Int? {
    guard elements >= 0, elements % blockElements == 0 else { return nil }
    return try Checked.multiply(elements / blockElements, blockBytes)
  }

  /// Bytes for a tensor of `elements` values rounded up to whole blocks: the size of weights
  /// whose rows are not known, as the `llm` view's totals use it.
  public func roundedBytes(elements: Int) throws(OpError) -> Int {
    let blocks = try Checked.add(elements, blockElements - 1) / blockElements
    return try Checked.multiply(blocks, blockBytes)
  }

  /// The type with GGUF id `id`, or `nil` for an unknown or retired id (4, 5, 31–33, 36–38).
  public static func withID(_ id: Int) -> GGMLType? {
    all.first { $0.id == id }
  }

  /// The type named `name` (case-insensitive: `q4_k`, `Q4_K`), or `nil`.
  public static func named(_ name: String) -> GGMLType? {
    let upper = name.uppercased()
    return all.first { $0.name == upper }
  }

  /// Every ggml type ConvScope knows, by id.
  public static let all: [GGMLType] = [
    GGMLType(id: 0, name: "F32", blockElements: 1, blockBytes: 4),
    GGMLType(id: 1, name: "F16", blockElements: 1, blockBytes: 2),
    // 32-element blocks: an fp16 scale (and min for _1), then the packed quants.
    GGMLType(id: 2, name: "Q4_0", blockElements: 32, blockBytes: 18),
    GGMLType(id: 3, name: "Q4_1", blockElements: 32, blockBytes: 20),
    GGMLType(id: 6, name: "Q5_0", blockElements: 32, blockBytes: 22),
    GGMLType(id: 7, name: "Q5_1", blockElements: 32, blockBytes: 24),
    GGMLType(id: 8, name: "Q8_0", blockElements: 32, blockBytes: 34),
    GGMLType(id: 9, name: "Q8_1", blockElements: 32, blockBytes: 36, runtimeOnly: true),
    // K-quants: 256-element super-blocks with sub-block scales.
    GGMLType(id: 10, name: "Q2_K", blockElements: 256, blockBytes: 84),
    GGMLType(id: 11, name: "Q3_K", blockElements: 256, blockBytes: 110),
    GGMLType(id: 12, name: "Q4_K", blockElements: 256, blockBytes: 144),
    GGMLType(id: 13, name: "Q5_K", blockElements: 256, blockBytes: 176),
    GGMLType(id: 14, name: "Q6_K", blockElements: 256, blockBytes: 210),
    GGMLType(id: 15, name: "Q8_K", blockElements: 256, blockBytes: 292, runtimeOnly: true),
    // I-quants (lattice codebooks).
    GGMLType(id: 16, name: "IQ2_XXS", blockElements: 256, blockBytes: 66),
    GGMLType(id: 17, name: "IQ2_XS", blockElements: 256, blockBytes: 74),
    GGMLType(id: 18, name: "IQ3_XXS", blockElements: 256, blockBytes: 98),
    GGMLType(id: 19, name: "IQ1_S", blockElements: 256, blockBytes: 50),
    GGMLType(id: 20, name: "IQ4_NL", blockElements: 32, blockBytes: 18),
    GGMLType(id: 21, name: "IQ3_S", blockElements: 256, blockBytes: 110),
    GGMLType(id: 22, name: "IQ2_S", blockElements: 256, blockBytes: 82),
    GGMLType(id: 23, name: "IQ4_XS", blockElements: 256, blockBytes: 136),
    GGMLType(id: 24, name: "I8", blockElements: 1, blockBytes: 1),
    GGMLType(id: 25, name: "I16", blockElements: 1, blockBytes: 2),
    GGMLType(id: 26, name: "I32", blockElements: 1, blockBytes: 4),
    GGMLType(id: 27, name: "I64", blockElements: 1, blockBytes: 8),
    GGMLType(id: 28, name: "F64", blockElements: 1, blockBytes: 8),
    GGMLType(id: 29, name: "IQ1_M", blockElements: 256, blockBytes: 56),
    GGMLType(id: 30, name: "BF16", blockElements: 1, blockBytes: 2),
    // Ternary and 4-bit float formats.
    GGMLType(id: 34, name: "TQ1_0", blockElements: 256, blockBytes: 54),
    GGMLType(id: 35, name: "TQ2_0", blockElements: 256, blockBytes: 66),
    GGMLType(id: 39, name: "MXFP4", blockElements: 32, blockBytes: 17),
  ]
}
