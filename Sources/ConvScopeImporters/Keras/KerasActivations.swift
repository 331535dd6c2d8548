import ConvScopeCore

/// Keras activations (`activation="relu"` on a layer, or an activation layer) as ONNX ops.
///
/// | Keras | ONNX |
/// |---|---|
/// | relu, sigmoid, tanh, elu, selu, softplus, softsign, exponential, mish | Relu, Sigmoid, Tanh, Elu, Selu, Softplus, Softsign, Exp, Mish |
/// | relu6 | Clip(0, 6) |
/// | softmax, log_softmax | Softmax, LogSoftmax on the last Keras axis |
/// | gelu | Gelu |
/// | swish, silu | Swish (alpha 1: `x * sigmoid(x)`) |
/// | hard_sigmoid | HardSigmoid(alpha 1/6, beta 0.5) |
/// | hard_swish, hard_silu | HardSwish |
/// | leaky_relu | LeakyRelu(alpha 0.2) |
enum KerasActivations {
  static let unary: [String: String] = [
    "relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "elu": "Elu", "selu": "Selu",
    "softplus": "Softplus", "softsign": "Softsign", "exponential": "Exp", "mish": "Mish",
    "gelu": "Gelu", "hard_swish": "HardSwish", "hard_silu": "HardSwish",
  ]
  static let others: Set<String> = ["relu6", "softmax", "log_softmax", "swish", "silu", "hard_sigmoid", "leaky_relu"]

  /// Emits activation `name` on `tensor` (Keras rank `rank`, batch included; 0 when unknown and
  /// not needed, outside channels-last models); returns its output.
  static func apply(_ name: String, to tensor: String, rank: Int, _ c: inout KerasLayerContext) throws(ConvScopeError)
    -> String
  {
    if let op = unary[name] { return c.node(op, [tensor]) }
    switch name {
    case "relu6":
      return c.node("Clip", [tensor, c.floats("min", [0]), c.floats("max", [6])])
    case "softmax", "log_softmax":
      let axis = rank == 0 ? -1 : try c.graphAxis(-1, rank: rank)
      return c.node(name == "softmax" ? "Softmax" : "LogSoftmax", [tensor], ["axis": .int(axis)])
    case "swish", "silu":
      return c.node("Swish", [tensor], ["alpha": .float(1)])
    case "hard_sigmoid":
      return c.node("HardSigmoid", [tensor], ["alpha": .float(1.0 / 6.0), "beta": .float(0.5)])
    case "leaky_relu":
      return c.node("LeakyRelu", [tensor], ["alpha": .float(0.2)])
    default:
      throw c.layer.error(
        "activation",
        "unknown activation '\(name)'"
          + NameSuggestion.hint(for: name, among: (Array(unary.keys) + Array(others)).sorted()))
    }
  }

  /// The activation a Conv or Dense layer carries (`activation=`) applied to its output.
  static func folded(into tensor: String, rank: Int, _ c: inout KerasLayerContext) throws(ConvScopeError) -> String {
    guard let name = try c.layer.activation() else { return tensor }
    return try apply(name, to: tensor, rank: rank, &c)
  }

  // MARK: Activation layers

  static func activationLayer(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let x = try c.input()
    guard let name = try c.layer.activation() else { return [c.node("Identity", [x.name])] }
    return [try apply(name, to: x.name, rank: c.axes.channelsLast ? try c.rank() : 0, &c)]
  }

  /// `ReLU(max_value, negative_slope, threshold)`: Relu, LeakyRelu, or Clip for a capped ReLU.
  static func relu(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let x = try c.input().name
    let slope = try c.layer.double("negative_slope", default: 0)
    let threshold = try c.layer.double("threshold", default: 0)
    let cap: Double? = c.layer.has("max_value") ? try c.layer.double("max_value", default: 0) : nil
    var y = x
    if threshold != 0 && slope == 0 {
      y = c.node("ThresholdedRelu", [y], ["alpha": .float(threshold)])
    } else if slope != 0 {
      y = c.node("LeakyRelu", [y], ["alpha": .float(slope)])
    } else if cap == nil {
      y = c.node("Relu", [y])
    }
    if let cap {
      y = c.node("Clip", [y, c.floats("min", [slope == 0 ? 0 : -.infinity]), c.floats("max", [cap])])
    }
    return [y]
  }

  static func leakyRelu(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let alpha = try c.layer.double("negative_slope", default: try c.layer.double("alpha", default: 0.3))
    return [c.node("LeakyRelu", [try c.input().name], ["alpha": .float(alpha)])]
  }

  static func elu(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    [c.node("Elu", [try c.input().name], ["alpha": .float(try c.layer.double("alpha", default: 1))])]
  }

  static func thresholdedRelu(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    [c.node("ThresholdedRelu", [try c.input().name], ["alpha": .float(try c.layer.double("theta", default: 1))])]
  }

  static func softmax(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let axes = try c.layer.ints("axis", default: [-1])
    guard axes.count == 1, let axis = axes.first else {
      throw c.layer.error("axis", "a softmax over several axes is not supported")
    }
    return [c.node("Softmax", [try c.input().name], ["axis": .int(try c.graphAxis(axis))])]
  }

  /// `PReLU`: a learned slope per element of the input (batch excluded), shared along `shared_axes`.
  static func prelu(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let rank = try c.rank()
    let shared = Set(try c.layer.ints("shared_axes", default: []))
    // The slope's sizes are the input's on the axes not shared: the PRelu rule completes them.
    let slope: [Int?] = (1..<max(rank, 1)).map { shared.contains($0) ? 1 : nil }
    let graphSlope = Array(c.axes.toGraph([1] + slope).dropFirst())
    return [c.node("PRelu", [try c.input().name, c.weight("alpha", graphSlope)])]
  }
}
