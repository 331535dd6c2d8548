import ConvScope
import Foundation
import Testing

/// At 80 and 120 columns no line of the table, the comparison or the op list is wider than
/// the terminal, for the seed network, ResNet-50 and a generated 1,000-layer model with long
/// module paths.
@Suite struct TerminalWidthTests {
  /// 500 Conv + ReLU blocks with module-path names 40-odd characters long.
  static let thousandLayers: Report = {
    var text = """
      name: "generated_backbone_with_a_rather_long_name"
      layer { name: "data" type: "Input" top: "data" input_param { shape: { dim: 1 dim: 4 dim: 9 dim: 9 } } }

      """
    var previous = "data"
    for block in 1...500 {
      let path = "backbone.stage\(block % 4).block\(block).branch2.conv_expand"
      text += """
        layer { name: "\(path)" type: "Convolution" bottom: "\(previous)" top: "c\(block)"
          convolution_param { num_output: 4 kernel_size: 2 stride: 1 pad: 1 } }
        layer { name: "\(path).relu" type: "ReLU" bottom: "c\(block)" top: "r\(block)" }

        """
      previous = "r\(block)"
    }
    // Each conv grows the map by one: 9x9 in, 509x509 out; small enough to analyse fast.
    return try! Analyzer.analyze(
      try CaffeImporter().importGraph(from: Data(text.utf8), fileName: "generated.prototxt", directory: nil))
  }()

  static func report(_ path: String) throws -> Report {
    try Pipeline.report(for: AnalysisRequest(model: .file(path)))
  }

  static let seed = Fixtures.repositoryRoot.appendingPathComponent("Examples/seed-resnet.yaml").path
  static let resnet50 = Fixtures.url("zoo/resnet50.onnx").path

  /// The lines of `text` wider than `width` characters.
  static func overlong(_ text: String, _ width: Int) -> [String] {
    text.split(separator: "\n").filter { $0.count > width }.map(String.init)
  }

  @Test(arguments: [80, 120])
  func tablesFit(width: Int) throws {
    let reports = [try Self.report(Self.seed), try Self.report(Self.resnet50), Self.thousandLayers]
    #expect(Self.thousandLayers.layers.count == 1_000)
    for report in reports {
      for view in [TableView.fitted, .compact] {
        let text = TableRenderer.render(report, options: RenderOptions(width: width, view: view))
        #expect(Self.overlong(text, width) == [], "\(report.model.name) \(view)")
      }
    }
  }

  @Test(arguments: [80, 120])
  func passSectionsAndExactCountsFit(width: Int) throws {
    var request = AnalysisRequest(model: .file(Self.resnet50))
    request.device = .named("l4")
    request.sweep = SweepRequest(.batch, [1, 8, 64])
    request.training = TrainingSetup(optimizer: .adamw, precision: .amp)
    request.reconcile = true
    let report = try Pipeline.report(for: request)
    let text = TableRenderer.render(report, options: RenderOptions(width: width, exactCounts: true))
    #expect(Self.overlong(text, width) == [])
  }

  @Test(arguments: [80, 120])
  func comparisonsFit(width: Int) throws {
    let pairs = [
      (try Self.report(Self.seed), try Self.report(Self.resnet50)),
      (try Self.report(Self.resnet50), Self.thousandLayers),
    ]
    for (first, second) in pairs {
      let text = try ComparisonRenderer.render(
        Comparison(first, second), format: .table, options: RenderOptions(width: width))
      #expect(Self.overlong(text, width) == [])
      // ResNet-50's 120-odd layers that the other lacks: named in part, then counted.
      #expect(text.contains("more (--format json lists all)"))
    }
  }

  @Test(arguments: [80, 120])
  func opListFits(width: Int) {
    let entries = OpListRenderer.entries(of: OpRegistry.standard)
    let text = OpListRenderer.render(entries, options: RenderOptions(width: width))
    #expect(Self.overlong(text, width) == [])
    // Every summary is there, word for word, once its wrapping is undone.
    let flat = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    for entry in entries.prefix(50) {
      #expect(flat.contains(entry.summary.split(separator: " ").joined(separator: " ")), "\(entry.op)")
    }
  }

  @Test func narrowTablesShedDetailLinesThenColumnsInTheStatedOrder() throws {
    let report = try Self.report(Self.seed)
    let header = { (width: Int) -> String in
      let text = TableRenderer.render(report, options: RenderOptions(width: width))
      return String(text.split(separator: "\n").first { $0.hasPrefix("│ Layer") } ?? "")
    }
    // 100 columns: everything, with the detail lines.
    #expect(header(100).contains("MACs%"))
    #expect(TableRenderer.render(report, options: RenderOptions(width: 100)).contains("│   in 57x57x1 · kernel 1x5"))
    // 80: no detail lines, MACs% goes first.
    let at80 = TableRenderer.render(report, options: RenderOptions(width: 80))
    #expect(!at80.contains("│   in 57x57x1") && !header(80).contains("MACs%") && header(80).contains("Activation"))
    // 60: Activation and FLOPs go too; Layer, Params and MACs stay.
    #expect(!header(60).contains("Activation") && !header(60).contains("FLOPs"))
    #expect(header(60).contains("Layer") && header(60).contains("Params") && header(60).contains("MACs"))
  }

  @Test func wideShowsFullNamesAndEveryColumnWhateverTheWidth() {
    let text = TableRenderer.render(Self.thousandLayers, options: RenderOptions(width: 40, view: .wide))
    #expect(text.contains("│ backbone.stage1.block1.branch2.conv_expand "))
    #expect(text.contains("MACs%") && text.contains("│   in 1x4x9x9"))
  }

  @Test func compactIsOneLinePerLayer() throws {
    let report = try Self.report(Self.resnet50)
    let text = TableRenderer.render(report, options: RenderOptions(width: 120, view: .compact))
    // The layer table: from its top rule to its bottom one; its header, one row per visible
    // layer and the total.
    let lines = text.split(separator: "\n")
    let top = try #require(lines.firstIndex { $0.hasPrefix("╭") })
    let bottom = try #require(lines[top...].firstIndex { $0.hasPrefix("╰") })
    #expect(lines[top...bottom].filter { $0.hasPrefix("│ ") }.count == report.visibleLayerCount + 2)
  }
}

extension Report {
  /// Rows the table lists (folded shape arithmetic left out).
  fileprivate var visibleLayerCount: Int { layers.count { !$0.folded } }
}
