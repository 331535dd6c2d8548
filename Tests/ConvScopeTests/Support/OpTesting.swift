import ConvScope

/// Builders for op-rule tests: run one rule on inputs of given shapes, as the analyzer would.
enum OpTesting {
  /// Runs the standard registry's rule for `op` (in `domain`, ONNX's default unless said) on
  /// inputs of the given shapes (float32 unless a type is given) and constant values, in a
  /// node of `outputs` outputs (three unless said).
  ///
  /// ```swift
  /// let out = try OpTesting.infer("Conv", [[1, 1, 57, 57], [16, 1, 1, 5]], ["pads": .ints([0, 2, 0, 2])])
  /// ```
  static func infer(
    _ op: String, _ shapes: [Shape?], _ attributes: [String: AttributeValue] = [:],
    types: [DataType]? = nil, constants: [Int: ConstantTensor] = [:], opset: Int = 21, domain: String = "",
    outputs: Int = 3
  ) throws -> OpOutcome {
    guard let rule = OpRegistry.standard.rule(domain: domain, opType: op) else {
      throw OpError("no rule for \(op) in domain '\(domain)'")
    }
    let inputs: [TensorInfo?] = shapes.enumerated().map { i, shape in
      shape.map { TensorInfo(name: "in\(i)", dataType: types?[i] ?? constants[i]?.dataType ?? .float32, shape: $0) }
    }
    let node = Node(
      name: "node", opType: op, domain: domain, inputs: inputs.enumerated().map { $1 == nil ? "" : "in\($0)" },
      outputs: (0..<outputs).map { "out\($0)" }, attributes: attributes)
    let values = shapes.indices.map { constants[$0] }
    return try rule.infer(NodeContext(node: node, inputs: inputs, constants: values, opset: opset))
  }

  /// The shape of output 0.
  static func shape(
    _ op: String, _ shapes: [Shape?], _ attributes: [String: AttributeValue] = [:],
    constants: [Int: ConstantTensor] = [:]
  ) throws -> Shape {
    try infer(op, shapes, attributes, constants: constants).outputs[0].shape
  }
}
