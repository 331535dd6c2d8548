import ConvScope
import Testing

@Suite struct ConvolutionTests {
  @Test func seedConv1MatchesTheArticle() throws {
    // Seed Conv1: 57x57x1 input, 1x5 kernel, 16 filters, 'same' padding (0 rows, 2 columns each side).
    let out = try OpTesting.infer(
      "Conv", [[1, 1, 57, 57], [16, 1, 1, 5], [16]], ["pads": .ints([0, 2, 0, 2])])
    #expect(out.outputs[0].shape == [1, 16, 57, 57])
    #expect(out.cost.macs == 57 * 57 * 16 * (1 * 5 * 1))
    #expect(out.cost.adds == 57 * 57 * 16)  // one bias add per output element
    #expect(out.paramFormula == "1*5*1*16+16 = 96")
    #expect(out.shapeFormulas == ["(57-1+0+0)/1+1 = 57", "(57-5+2+2)/1+1 = 57"])
  }

  @Test func dilatedKernelShowsItsExtentInTheFormula() throws {
    // A 3x3 kernel at dilation 2 spans F = (3-1)*2+1 = 5 inputs; W2 = (W1 - F + 2P)/S + 1 gives
    // (7-5+0)/1+1 = 3 rows and, padded by 1 each side, (7-5+2)/1+1 = 5 columns.
    let out = try OpTesting.infer(
      "Conv", [[1, 1, 7, 7], [1, 1, 3, 3]], ["dilations": .ints([2, 2]), "pads": .ints([0, 1, 0, 1])])
    #expect(out.outputs[0].shape == [1, 1, 3, 5])
    #expect(out.shapeFormulas == ["(7-((3-1)*2+1)+0+0)/1+1 = 3", "(7-((3-1)*2+1)+1+1)/1+1 = 5"])
    #expect(out.paramFormula == "3*3*1*1 = 9")
  }

  @Test func groupedConvolutionDividesInputChannels() throws {
    // Depthwise 3x3 on 32 channels: each output channel reads one input channel.
    let out = try OpTesting.infer(
      "Conv", [[1, 32, 112, 112], [32, 1, 3, 3]], ["group": .int(32), "pads": .ints([1, 1, 1, 1])])
    #expect(out.outputs[0].shape == [1, 32, 112, 112])
    #expect(out.cost.macs == 112 * 112 * 32 * 3 * 3)
  }

  @Test func channelMismatchIsAnErrorNamingTheWeight() {
    #expect(throws: OpError.self) {
      try OpTesting.infer("Conv", [[1, 3, 8, 8], [4, 2, 3, 3]])
    }
  }
}
