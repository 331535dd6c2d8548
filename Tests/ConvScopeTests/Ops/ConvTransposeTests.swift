import ConvScope
import Testing

@Suite struct ConvTransposeTests {
  @Test func strideTwoUpsamplingDoublesTheSize() throws {
    // DCGAN-style: 4x4 kernel, stride 2, pads 1: 2*(16-1)+0+4-1-1 = 32.
    let out = try OpTesting.infer(
      "ConvTranspose", [[1, 128, 16, 16], [128, 64, 4, 4], [64]],
      ["strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])])
    #expect(out.outputs[0].shape == [1, 64, 32, 32])
    // Every input element meets every tap of every output channel: N*Cin*prod(I) * Cout*prod(K).
    #expect(out.cost.macs == 1 * 128 * 16 * 16 * 64 * 4 * 4)
    #expect(out.cost.adds == 64 * 32 * 32)  // one bias add per output element
    #expect(out.paramFormula == "4*4*64*128+64 = 131136")
    #expect(out.shapeFormulas == ["2*(16-1)+0+4-1-1 = 32", "2*(16-1)+0+4-1-1 = 32"])
    #expect(out.inputRoles[1] == .weight && out.inputRoles[2] == .bias)
    #expect(out.window?.transposed == true && out.window?.strides == [2, 2])
  }

  @Test func groupsMultiplyTheOutputChannels() throws {
    // ONNX convtranspose_group_2: W [Cin=2, Cout/group=1, 3, 3], group 2 → Cout 2; 1*(3-1)+3 = 5.
    let out = try OpTesting.infer("ConvTranspose", [[3, 2, 3, 3], [2, 1, 3, 3]], ["group": .int(2)])
    #expect(out.outputs[0].shape == [3, 2, 5, 5])
    #expect(out.cost.macs == 3 * 2 * 3 * 3 * 1 * 3 * 3)  // N*Cin*prod(I) * Cout/g * prod(K)
    #expect(out.cost.adds == 0)
    #expect(out.paramFormula == "3*3*1*2 = 18")
  }

  @Test func outputShapeOverridesThePads() throws {
    // ONNX convtranspose_kernel_shape: output_shape [10, 8] with output_padding [1, 1].
    let out = try OpTesting.infer(
      "ConvTranspose", [[1, 1, 3, 3], [1, 2, 3, 3]],
      [
        "kernel_shape": .ints([3, 3]), "strides": .ints([3, 2]), "output_padding": .ints([1, 1]),
        "output_shape": .ints([10, 8]),
      ])
    #expect(out.outputs[0].shape == [1, 2, 10, 8])
  }

  @Test func mismatchedWeightsAreErrors() {
    // Weight's first dim is Cin: 4 != 3.
    #expect(throws: OpError.self) { try OpTesting.infer("ConvTranspose", [[1, 3, 8, 8], [4, 2, 3, 3]]) }
    // group 2 does not divide 3 input channels.
    #expect(throws: OpError.self) {
      try OpTesting.infer("ConvTranspose", [[1, 3, 8, 8], [3, 2, 3, 3]], ["group": .int(2)])
    }
    // kernel_shape disagrees with the weight.
    #expect(throws: OpError.self) {
      try OpTesting.infer("ConvTranspose", [[1, 3, 8, 8], [3, 2, 3, 3]], ["kernel_shape": .ints([5, 5])])
    }
    // bias must have Cout = 2 * 1 = 2 entries.
    #expect(throws: OpError.self) {
      try OpTesting.infer("ConvTranspose", [[1, 2, 8, 8], [2, 1, 3, 3], [4]], ["group": .int(2)])
    }
  }
}
