import ConvScope
import Testing

@Suite struct LivenessTests {
  @Test func lenetPeaksInTheFirstReluWithItsInputAndOutputAlive() throws {
    var b = GraphBuilder(input: [1, 1, 32, 32])
    b.conv("conv1", channels: 1, filters: 6, kernel: 5)
    b.add("Relu", "relu1")
    b.add("MaxPool", "pool1", attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])
    b.output()
    let memory = try Analyzer.analyze(b.graph).memory
    let image = 32 * 32 * 4
    let convOut = 6 * 28 * 28 * 4
    let pooled = 6 * 14 * 14 * 4
    #expect(memory.timeline.map(\.liveBytes) == [image + convOut, convOut + convOut, convOut + pooled])
    #expect(memory.peakActivationBytes == 2 * convOut)  // 37,632, as the reference liveness gives for LeNet-5
    #expect(memory.peakNode == "relu1")
  }

  @Test func residualInputStaysAliveUntilTheAdd() throws {
    var b = GraphBuilder(input: [1, 8, 16, 16])
    let a = b.conv("a", channels: 8, filters: 8, kernel: 3, pad: 1)
    let c = b.conv("b", input: a, channels: 8, filters: 8, kernel: 3, pad: 1)
    b.add("Add", "sum", inputs: ["x", c])
    b.output()
    let memory = try Analyzer.analyze(b.graph).memory
    let s = 8 * 16 * 16 * 4
    // a: x + a; b: x + a + b (a freed after); sum: x + b + sum.
    #expect(memory.timeline.map(\.liveBytes) == [2 * s, 3 * s, 3 * s])
    #expect(memory.peakActivationBytes == 3 * s)
    #expect(memory.peakNode == "b")
  }

  @Test func inceptionBranchesAllLiveAtTheConcat() throws {
    var b = GraphBuilder(input: [1, 4, 8, 8])
    let one = b.conv("one", input: "x", channels: 4, filters: 2, kernel: 1)
    let three = b.conv("three", input: "x", channels: 4, filters: 3, kernel: 3, pad: 1)
    let five = b.conv("five", input: "x", channels: 4, filters: 5, kernel: 5, pad: 2)
    b.add("Concat", "cat", inputs: [one, three, five], attributes: ["axis": .int(1)])
    b.output()
    let memory = try Analyzer.analyze(b.graph).memory
    let plane = 8 * 8 * 4
    let x = 4 * plane
    let o1 = 2 * plane
    let o3 = 3 * plane
    let o5 = 5 * plane
    let cat = 10 * plane
    // x is freed after the last branch reads it; all branches are alive with the concat output.
    #expect(memory.timeline.map(\.liveBytes) == [x + o1, x + o1 + o3, x + o1 + o3 + o5, o1 + o3 + o5 + cat])
    #expect(memory.peakActivationBytes == o1 + o3 + o5 + cat)
  }
}
