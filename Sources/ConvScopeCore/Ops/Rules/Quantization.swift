/// `QuantizeLinear` and `DequantizeLinear`: linear (de)quantisation per tensor, per axis or
/// per block. <https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html>,
/// <https://onnx.ai/onnx/operators/onnx__DequantizeLinear.html>
///
/// Shape: `Y` like `X`. The scale (and zero point) is a scalar or `[1]` (per tensor), `[X[axis]]`
/// (per axis, `axis` default 1), or, with `block_size > 0` (opset 21), X's shape with
/// `ceil(X[axis] / block_size)` at `axis` (per block).
/// Type: `QuantizeLinear` gives the zero point's type, else `output_dtype` (opset 21), else
/// uint8; `DequantizeLinear` gives the scale's type, else `output_dtype` (opset 23).
///
/// Cost per element (``QuantizationCost``): quantise `saturate(round(x / scale) + zero_point)`
/// 1 divide, 1 round (`others`), 1 add, 2 compares; dequantise `(x - zero_point) * scale`
/// 1 add (with a zero point) and 1 multiply.
///
/// Counting: scale and zero point are `.quantization` (their bytes count with the weights, they
/// are not parameters); X is data. A `DequantizeLinear` of a stored int8 weight folds, and the
/// node that reads the folded float weight counts the int8 tensor as its weight, at one byte each.
///
/// Example (QDQ Conv): `DequantizeLinear(W int8 [16,3,3,3], scale [16], zp int8 [16], axis 0)`
/// → float `[16,3,3,3]`; the Conv reading it counts 432 params, `432 + 16*4 + 16` bytes.
public struct QuantizeLinearRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["QuantizeLinear", "DequantizeLinear"] }
  /// A change of element type (with a scale), as conventions treat casts.
  public func family(of opType: String) -> OpFamily { .dataMovement(.cast) }
  public var summary: String { "Y like X; quantise 1 divide, 1 round, 1 add, 2 compares; dequantise 1 add, 1 multiply" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    try QuantizationCost.checkScale(context, x: x.shape, index: 1)
    if context.has(2) { try QuantizationCost.checkScale(context, x: x.shape, index: 2) }
    let count = try ElementCounting.count(x.shape, field: "inputs[0]")
    let quantize = context.node.opType == "QuantizeLinear"
    let declared = try context.int("output_dtype", default: 0)
    let outType: DataType
    if quantize {
      outType = context.has(2) ? try context.input(2).dataType : try QuantizationCost.type(declared, or: .uint8)
    } else {
      outType = try QuantizationCost.type(declared, or: try context.input(1).dataType)
    }
    let cost =
      quantize
      ? try QuantizationCost.quantize.scaled(by: count)
      : try QuantizationCost.dequantize(zeroPoint: context.has(2)).scaled(by: count)
    return OpOutcome(
      outputs: [.init(dataType: outType, shape: x.shape)], cost: cost, inputRoles: [1: .quantization, 2: .quantization])
  }
}

/// `DynamicQuantizeLinear`: quantises X to uint8 with a scale and zero point computed from its
/// range. <https://onnx.ai/onnx/operators/onnx__DynamicQuantizeLinear.html>
///
/// Shape: `X` → `y` uint8 like X, `y_scale` float32 scalar, `y_zero_point` uint8 scalar.
///
/// Cost: the range `min(0, min(x))`, `max(0, max(x))`: `2n` compares; `scale = (max - min) / 255`
/// and `zero_point = saturate(round(-min / scale))`: 2 adds, 2 divides, 1 round, 2 compares;
/// then ``QuantizationCost/quantize`` per element.
///
/// Example (ONNX test `dynamicquantizelinear`): X `[6]` → y `[6]`, compares `2*6 + 2 + 2*6 = 26`.
public struct DynamicQuantizeLinearRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["DynamicQuantizeLinear"] }
  /// A change of element type (with a scale), as conventions treat casts.
  public func family(of opType: String) -> OpFamily { .dataMovement(.cast) }
  public var summary: String { "y uint8 like X, scalar y_scale, y_zero_point; range 2n compares, then quantise n" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let scalar = Shape([Int]())
    return OpOutcome(
      outputs: [
        .init(dataType: .uint8, shape: x.shape), .init(dataType: x.dataType, shape: scalar),
        .init(dataType: .uint8, shape: scalar),
      ],
      cost: try QuantizationCost.dynamicQuantize(try ElementCounting.count(x.shape, field: "inputs[0]")))
  }
}

/// `ConvInteger` and `QLinearConv`: integer convolutions, shaped as ``ConvRule``.
/// <https://onnx.ai/onnx/operators/onnx__ConvInteger.html>,
/// <https://onnx.ai/onnx/operators/onnx__QLinearConv.html>
///
/// `ConvInteger(x, w, x_zero_point, w_zero_point)` → int32 `y`, no bias.
/// `QLinearConv(x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B)`
/// → `y` of `y_zero_point`'s type; B is int32.
///
/// Cost: the convolution's MACs (the zero-point subtractions are not counted: kernels fold them
/// into a per-output correction); `QLinearConv` adds the int32 bias and requantises each output
/// (``QuantizationCost/requantize``). Params: W (one byte each for int8/uint8) and B; scales and
/// zero points are `.quantization`.
///
/// Example (ONNX test `qlinearconv`): x 1x1x7x7, w 1x1x1x1 → y 1x1x7x7, 49 MACs, params 1.
public struct IntegerConvRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["ConvInteger", "QLinearConv"] }
  public func family(of opType: String) -> OpFamily { .convolution }
  public var summary: String { "as Conv on integers; ConvInteger int32 out; QLinearConv requantises each output" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    try Self.outcome(context, channelsLast: false)
  }

  /// The outcome of either op; `channelsLast` reads X and Y as `N, D.., C` (ONNX Runtime's
  /// `com.microsoft` `QLinearConv` with `channels_last = 1`).
  static func outcome(_ context: NodeContext, channelsLast: Bool) throws(OpError) -> OpOutcome {
    guard context.node.opType == "QLinearConv" else {
      var outcome = try ConvRule.convolve(
        context, inputs: .init(data: 0, weight: 1, bias: nil), outputType: .int32)
      outcome.inputRoles[2] = .quantization
      outcome.inputRoles[3] = .quantization
      return outcome
    }
    let outType = context.has(7) ? try context.input(7).dataType : try context.input(0).dataType
    var outcome = try ConvRule.convolve(
      context, inputs: .init(data: 0, weight: 3, bias: 8, channelsLast: channelsLast), outputType: outType)
    for index in [1, 2, 4, 5, 6, 7] { outcome.inputRoles[index] = .quantization }
    let outputs = try ElementCounting.count(outcome.outputs[0].shape, field: "outputs[0]")
    outcome.cost = try outcome.cost.adding(try QuantizationCost.requantize.scaled(by: outputs))
    return outcome
  }
}

/// The per-element costs of quantisation, and the checks its scales share.
enum QuantizationCost {
  /// `saturate(round(x / scale) + zero_point)`: 1 divide, 1 round, 1 add, 2 compares.
  static let quantize = Cost(adds: 1, divides: 1, compares: 2, others: 1)
  /// An int32 accumulator to the output scale, `saturate(round(acc * (sx * sw / sy)) + zy)`:
  /// 1 multiply, 1 round, 1 add, 2 compares.
  static let requantize = Cost(adds: 1, multiplies: 1, compares: 2, others: 1)

  /// `(x - zero_point) * scale`: 1 multiply, and 1 add when there is a zero point.
  static func dequantize(zeroPoint: Bool) -> Cost { Cost(adds: zeroPoint ? 1 : 0, multiplies: 1) }

  /// ``DynamicQuantizeLinearRule``'s cost for `n` elements: range, scale and zero point, quantise.
  static func dynamicQuantize(_ n: Int) throws(OpError) -> Cost {
    let range = Cost(compares: try Checked.multiply(2, n))
    let parameters = Cost(adds: 2, divides: 2, compares: 2, others: 1)
    return try range.adding(parameters).adding(try quantize.scaled(by: n))
  }

  /// The element type an `output_dtype` attribute names, or `fallback` when it is 0 (unset).
  static func type(_ code: Int, or fallback: DataType) throws(OpError) -> DataType {
    guard code != 0 else { return fallback }
    guard let type = DataType(onnxCode: code) else {
      throw OpError(field: "output_dtype", "\(code) is not an ONNX element type")
    }
    return type
  }

  /// Throws when the known shape of scale or zero point `index` fits none of per-tensor
  /// (one element), per-axis (`[X[axis]]`) and, with `block_size`, per-block quantisation.
  static func checkScale(_ context: NodeContext, x: Shape, index: Int) throws(OpError) {
    guard let scale = try? context.sizes(index), let sizes = x.sizes else { return }
    let blockSize = try context.int("block_size", default: 0)
    guard blockSize >= 0 else { throw OpError(field: "block_size", "must not be negative, got \(blockSize)") }
    if scale.allSatisfy({ $0 == 1 }) && scale.count <= 1 && blockSize == 0 { return }
    let axis = try NormalizationInputs.axis(try context.int("axis", default: 1), rank: max(sizes.count, 1))
    guard axis < sizes.count else { throw OpError(field: "axis", "X \(x) has no axis \(axis)") }
    var expected = [sizes[axis]]
    if blockSize > 0 {
      expected = sizes
      expected[axis] = try Checked.add(sizes[axis], blockSize - 1) / blockSize
    }
    guard scale == expected else {
      throw OpError(
        field: "inputs[\(index)]",
        "shape \(Shape(scale)) is neither one element nor \(Shape(expected)) for X \(x) (axis \(axis), block_size \(blockSize))"
      )
    }
  }
}
