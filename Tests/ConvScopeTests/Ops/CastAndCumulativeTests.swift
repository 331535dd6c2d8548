import ConvScope
import Testing

/// BitCast (in CastRule) and CumProd (in CumSumRule): the spec's shapes, types and counts.
@Suite struct CastAndCumulativeTests {
  @Test func bitCastNeedsTheSameWidth() throws {
    // test_bitcast_float32_to_int32 (to = 6) and test_bitcast_bool_to_uint8 (to = 2).
    #expect(try OpTesting.infer("BitCast", [[3]], ["to": .int(6)]).outputs[0] == .init(dataType: .int32, shape: [3]))
    let bool = try OpTesting.infer("BitCast", [[4]], ["to": .int(2)], types: [.bool])
    #expect(bool.outputs[0] == .init(dataType: .uint8, shape: [4]))
    // float32 → int64 changes the width; the values of a known constant are not reinterpreted.
    #expect(throws: OpError.self) { try OpTesting.infer("BitCast", [[3]], ["to": .int(7)]) }
    let known = try OpTesting.infer("BitCast", [[2]], ["to": .int(11)], constants: [0: .int64s([1, 2])], opset: 26)
    #expect(known.outputs[0].constant == nil)
  }

  @Test func cumProdMultipliesAlongTheAxis() throws {
    // test_cumprod_2d_axis_1: 2x3 along axis 1 → 2x3, 2 lines of 2 multiplies.
    let axis = ConstantTensor(dataType: .int32, dims: [], values: .ints([1]))
    let out = try OpTesting.infer("CumProd", [[2, 3], []], constants: [1: axis], opset: 26)
    #expect(out.outputs[0].shape == [2, 3])
    #expect(out.cost == Cost(multiplies: 2 * (3 - 1)))
  }
}
