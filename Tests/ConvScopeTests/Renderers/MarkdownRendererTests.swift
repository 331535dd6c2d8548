import ConvScope
import ConvScopeTestSupport
import Testing

@Suite struct MarkdownRendererTests {
  @Test func matchesTheGoldenFile() throws {
    let text = MarkdownRenderer.render(try SampleReport.report())
    #expect(try GoldenFile.mismatch(text, name: "report.md") == nil)
  }

  @Test func carriesTheTableInformation() throws {
    let text = MarkdownRenderer.render(try SampleReport.report())
    let conv1 = text.split(separator: "\n").first { $0.hasPrefix("| Conv1 |") }.map(String.init) ?? ""
    #expect(conv1.contains("| `57x57x1` | `1x5` | 1 | 0+0, 2+2 | `57x57x16` |"))
    #expect(conv1.contains("`H: (57-1+0+0)/1+1 = 57`<br>`W: (57-5+2+2)/1+1 = 57`"))
    #expect(conv1.contains("| `1*5*1*16+16 = 96` | 96 | 259,920 | 571,824 | 51,984 | 207,936 |"))
    #expect(text.contains("| Conv3\\* |"))  // the mark is escaped, not emphasis
    #expect(text.contains("| Parameters | 3,472 |"))  // 96 + 1,296 + 2,080
    #expect(text.contains("## Unsupported ops (no rule; totals are partial)"))
    #expect(!text.contains("ShapeConv"))
  }
}
