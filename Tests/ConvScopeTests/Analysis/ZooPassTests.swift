import ConvScope
import Foundation
import Testing

/// The analysis passes on the ONNX zoo exports, against the reference's independent figures.
@Suite struct ZooPassTests {
  static let models = ["lenet5", "seed_resnet", "alexnet", "vgg16", "resnet18", "resnet50", "mobilenet_v2"]

  static func report(_ model: String) throws -> Report {
    let (graph, format) = try ModelLoader.standard.load(path: Fixtures.url("zoo/\(model).onnx").path)
    return try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: model, format: format))
  }

  /// `model → (act_bytes_sum, act_bytes_peak, onnx_core_macs)` from the reference summary.
  static func reference() throws -> [String: (sum: Int, peak: Int, coreMacs: Int)] {
    let text = try String(contentsOf: Fixtures.url("zoo/summary-subset.csv"), encoding: .utf8)
    var table: [String: (Int, Int, Int)] = [:]
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
      let fields = line.split(separator: ",").map(String.init)
      guard fields.count == 4, let sum = Int(fields[1]), let peak = Int(fields[2]), let macs = Int(fields[3])
      else { continue }
      table[fields[0]] = (sum, peak, macs)
    }
    return table
  }

  @Test(arguments: models) func peakLiveMemoryMatchesTheReferenceLiveness(model: String) throws {
    let expected = try #require(try Self.reference()[model])
    let report = try Self.report(model)
    #expect(report.memory.peakActivationBytes == expected.peak)
    #expect(report.totals.activationBytes == expected.sum)
  }

  @Test(arguments: models) func productMacsMatchTheReferenceGraphCount(model: String) throws {
    let expected = try #require(try Self.reference()[model])
    let report = try Self.report(model)
    let products: Set<String> = ["Conv", "ConvTranspose", "Gemm", "MatMul", "Einsum"]
    let macs = report.layers.filter { products.contains($0.op) && !$0.folded }.map(\.macs).reduce(0, +)
    #expect(macs == expected.coreMacs)
  }

  /// Second method for receptive fields on a real graph: walk back from the central output
  /// position of `layer` to the input along H, as an interval of positions per tensor
  /// (a window maps outputs `[a, b]` to inputs `[a*s - p, b*s - p + (k-1)*d]`; ops that keep
  /// the spatial dims pass the interval on; paths that meet take the union), and measure it.
  static func impulseSize(_ report: Report, layer: String) throws -> Int {
    let rows = report.layers.filter { !$0.folded }
    let index = try #require(rows.firstIndex { $0.name == layer })
    let height = try #require(rows[index].outputs.first?.shape.sizes?[2])
    var intervals: [String: (Int, Int)] = [rows[index].outputs[0].name: (height / 2, height / 2)]
    for row in rows[...index].reversed() {
      guard let (low, high) = row.outputs.compactMap({ intervals[$0.name] }).first else { continue }
      let mapped: (Int, Int)
      if let window = row.window {
        let s = window.strides[0]
        let p = window.padsBegin[0]
        let extent = window.effectiveKernel(0)
        mapped = (low * s - p, high * s - p + extent - 1)
      } else {
        mapped = (low, high)
      }
      for input in row.inputShapes {
        let merged = intervals[input.name].map { (min($0.0, mapped.0), max($0.1, mapped.1)) } ?? mapped
        intervals[input.name] = merged
      }
    }
    let input = try #require(intervals[report.inputs[0].name])
    return input.1 - input.0 + 1
  }

  @Test(arguments: [
    ("alexnet", "/features/features.12/MaxPool", 195),
    ("vgg16", "/features/features.30/MaxPool", 212),
    ("resnet50", "/layer4/layer4.2/conv3/Conv", 0),
  ])
  func receptiveFieldAgreesWithAnImpulseWalk(model: String, layer: String, published: Int) throws {
    let report = try Self.report(model)
    let row = try #require(report.layers.first { $0.name == layer })
    let field = try #require(row.receptiveField)
    let impulse = try Self.impulseSize(report, layer: layer)
    #expect(field.size == [impulse, impulse])
    if published > 0 { #expect(impulse == published) }
  }
}
