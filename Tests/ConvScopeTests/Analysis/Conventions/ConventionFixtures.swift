import Foundation

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// Layer rows for convention tests, built the way the analyzer fills them: data-input
/// shapes (weights left out), the first output, the window, the cost and the parameters.
enum ConventionFixtures {
  /// One row. `inputs` are tensor names (weights included, as in the graph);
  /// `dataInputs` of shape `input` are the non-constant inputs.
  static func row(
    _ name: String, _ op: String, inputs: [String] = [], input: Shape?, dataInputs: Int = 1, output: Shape,
    kernel: [Int]? = nil, strides: [Int]? = nil, pads: [Int]? = nil, cost: Cost = .zero,
    params: Int = 0, statistics: Int = 0
  ) -> LayerRow {
    let window = kernel.map { kernel in
      Window(
        kernel: kernel, strides: strides ?? kernel.map { _ in 1 }, dilations: kernel.map { _ in 1 },
        padsBegin: Array((pads ?? kernel.flatMap { _ in [0, 0] }).prefix(kernel.count)),
        padsEnd: Array((pads ?? kernel.flatMap { _ in [0, 0] }).suffix(kernel.count)))
    }
    let inputShapes = input.map { shape in (0..<dataInputs).map { tensor("\(name).in\($0)", shape) } } ?? []
    let names = inputs.isEmpty ? ["\(name).in0"] : inputs
    let family = OpRegistry.standard.rule(domain: "", opType: op)?.family(of: op) ?? .other
    return LayerRow(
      name: name, op: op, inputs: names, inputShapes: inputShapes,
      outputs: [tensor("\(name).out", output)], window: window, shapeFormulas: [], paramFormula: nil,
      params: params, nonTrainableParams: statistics, weightBytes: 4 * (params + statistics), cost: cost,
      macs: cost.macs, flops: (try? cost.flops()) ?? 0, activationElements: output.elementCount ?? 0,
      activationBytes: 4 * (output.elementCount ?? 0), macsShare: 0, paramsShare: 0, supported: true,
      folded: false, warnings: [], group: nil, facts: OpFacts(family: family, inputs: names, roles: roles(family)))
  }

  /// The weight and bias slots the rules declare (`Convolution.swift`, `Linear.swift`,
  /// `Normalization.swift`), for rows whose `inputs` are written `[data, weight, bias]`.
  static func roles(_ family: OpFamily) -> [Int: InputRole] {
    switch family {
    case .convolution, .transposedConvolution, .linear, .normalization: [1: .weight, 2: .bias]
    case .matrixProduct: [1: .weight]
    default: [:]
    }
  }

  static func tensor(_ name: String, _ shape: Shape) -> TensorSummary {
    TensorSummary(name: name, dtype: .float32, shape: shape, displayShape: shape)
  }

  /// The rows of a zoo model's node table (`Tests/Fixtures/conventions/NAME.nodes.tsv`,
  /// written by `make_zoo_tables.py` from the reference ONNX file and its inferred shapes).
  static func zooRows(_ model: String) throws -> [LayerRow] {
    let text = try String(decoding: Fixtures.data("conventions/\(model).nodes.tsv"), as: UTF8.self)
    return try text.split(whereSeparator: \.isNewline).dropFirst().map { line in
      let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard f.count == 11, let dataInputs = Int(f[3]), let macs = Int(f[9]), let params = Int(f[10]) else {
        throw OpError("bad fixture line: \(line)")
      }
      return row(
        f[0], f[1], inputs: f[2].split(separator: ";").map(String.init), input: shape(f[4]), dataInputs: dataInputs,
        output: shape(f[5]), kernel: ints(f[6]), strides: ints(f[7]), pads: ints(f[8]), cost: Cost(macs: macs),
        params: params)
    }
  }

  /// A zoo model's reference totals (`Tests/Fixtures/conventions/NAME.totals.json`).
  static func zooTotals(_ model: String) throws -> [String: Int] {
    let object = try JSONSerialization.jsonObject(with: Fixtures.data("conventions/\(model).totals.json"))
    return (object as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
  }

  static func shape(_ text: String) -> Shape { Shape(text.split(separator: "x").compactMap { Int($0) }) }

  static func ints(_ text: String) -> [Int]? {
    text.isEmpty ? nil : text.split(separator: ",").compactMap { Int($0) }
  }

  /// `convention` applied to `rows` at batch `batch`.
  static func apply(
    _ convention: Convention, _ rows: [LayerRow], batch: Int = 1, options: ConventionOptions = .init()
  ) throws -> ConventionResult {
    try convention.apply(to: rows, batch: batch, options: options)
  }
}
