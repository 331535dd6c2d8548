import ConvScope
import Testing

@Suite struct NumberFormattingTests {
  @Test func groupsThousands() {
    #expect(NumberFormatting.grouped(326_260) == "326,260")  // the seed article's total
    #expect(NumberFormatting.grouped(999) == "999")
    #expect(NumberFormatting.grouped(1_000) == "1,000")
    #expect(NumberFormatting.grouped(0) == "0")
    #expect(NumberFormatting.grouped(-1_234_567) == "-1,234,567")
    #expect(NumberFormatting.grouped(Int.max) == "9,223,372,036,854,775,807")
  }

  @Test func decimalUnitsWithTwoDecimals() {
    #expect(NumberFormatting.human(999) == "999")
    #expect(NumberFormatting.human(259_920) == "259.92 K")  // 57*57*16 * 1*5*1
    #expect(NumberFormatting.human(15_468_704_000) == "15.47 G")
    #expect(NumberFormatting.human(999_996) == "1.00 M")  // rounding carries to the next unit
    #expect(NumberFormatting.human(4_100_000_000_000) == "4.10 T")
  }

  @Test func binaryUnitsForBytes() {
    #expect(NumberFormatting.bytes(512) == "512 B")
    #expect(NumberFormatting.bytes(1_023) == "1023 B")
    #expect(NumberFormatting.bytes(1_024) == "1.0 KiB")
    #expect(NumberFormatting.bytes(1_258_291) == "1.2 MiB")  // 1.2 * 1024 * 1024 rounded down
    #expect(NumberFormatting.bytes(207_936) == "203.1 KiB")  // 57*57*16 float32 values = 203.0625 KiB
    #expect(NumberFormatting.bytes(1_048_575) == "1.0 MiB")  // 1023.999 KiB rounds up a unit
  }

  @Test func percentagesAndFixedDecimals() {
    #expect(NumberFormatting.percent(0.0168) == "1.7%")
    #expect(NumberFormatting.percent(1) == "100.0%")
    #expect(NumberFormatting.percent(0) == "0.0%")
    #expect(NumberFormatting.percent(0.0001) == "<0.1%")
    #expect(NumberFormatting.fixed(0.0168012, decimals: 6) == "0.016801")
    #expect(NumberFormatting.fixed(2.5, decimals: 0) == "3")
    #expect(NumberFormatting.fixed(-0.25, decimals: 1) == "-0.3")
  }
}
