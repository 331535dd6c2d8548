import ConvScope
import Testing

@Suite("ggml types")
struct GGMLTypeTests {
  /// Block sizes written out from ggml-common.h's block structs (fp16 = 2 bytes), not copied
  /// from the table.
  @Test func blockBytesFollowTheBlockStructs() {
    let half = 2
    let expected: [String: (elements: Int, bytes: Int)] = [
      "Q4_0": (32, half + 32 / 2),
      "Q4_1": (32, 2 * half + 32 / 2),
      "Q5_0": (32, half + 4 + 32 / 2),
      "Q5_1": (32, 2 * half + 4 + 32 / 2),
      "Q8_0": (32, half + 32),
      "Q8_1": (32, 2 * half + 32),
      "Q2_K": (256, 256 / 16 + 256 / 4 + 2 * half),
      "Q3_K": (256, 256 / 8 + 256 / 4 + 12 + half),
      "Q4_K": (256, 2 * half + 12 + 256 / 2),
      "Q5_K": (256, 2 * half + 12 + 256 / 8 + 256 / 2),
      "Q6_K": (256, 256 / 2 + 256 / 4 + 256 / 16 + half),
      "Q8_K": (256, 4 + 256 + 256 / 16 * 2),
      "IQ4_NL": (32, half + 32 / 2),
      "IQ4_XS": (256, half + 2 + 256 / 64 + 256 / 2),
    ]
    for (name, block) in expected {
      let type = GGMLType.named(name)
      #expect(type?.blockElements == block.elements, "\(name)")
      #expect(type?.blockBytes == block.bytes, "\(name)")
    }
  }

  @Test func idsAreUniqueAndRetiredIDsAreUnknown() {
    #expect(Set(GGMLType.all.map(\.id)).count == GGMLType.all.count)
    for retired in [4, 5, 31, 32, 33, 36, 37, 38] { #expect(GGMLType.withID(retired) == nil) }
    #expect(GGMLType.withID(12)?.name == "Q4_K")
    #expect(GGMLType.named("bf16")?.id == 30)
  }

  @Test func storedBytesNeedWholeBlocks() throws {
    let q4k = try #require(GGMLType.named("Q4_K"))
    #expect(try q4k.storedBytes(elements: 4096 * 4096) == 4096 * 4096 / 256 * 144)
    #expect(try q4k.storedBytes(elements: 100) == nil)
    #expect(try q4k.roundedBytes(elements: 257) == 2 * 144)
    #expect(q4k.bitsPerWeight == 4.5)
    #expect(GGMLType.named("Q6_K")?.bitsPerWeight == 6.5625)
  }
}
