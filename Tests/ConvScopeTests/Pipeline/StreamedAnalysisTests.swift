import ConvScopeAnalysis
import ConvScopeCore
import ConvScopeImporters
import Foundation
import Testing

@testable import ConvScope

/// A large spec is analysed while it is read: the importer hands its layers over from a thread
/// of its own (`GraphStream`) and the analysis walks them as they come. The report, the graph
/// and every error must be those of the same spec read whole.
@Suite("Pipeline: a spec streamed into the analysis")
struct StreamedAnalysisTests {
  /// A spec of `blocks` residual blocks (conv, relu, a second conv, an add reading the block's
  /// input, then a pool every 50 blocks), over 64 KiB from 300 blocks on: each piece sent holds
  /// a block cut in two and adds reading layers of the piece before.
  private static func residualSpec(blocks: Int) -> String {
    var text = "name: residual\nlayout: CHW\ninput: {name: image, shape: [8, 64, 64]}\nlayers:\n"
    var previous = "image"
    for block in 0..<blocks {
      text += "  - {name: b\(block).conv1, op: conv, filters: 8, kernel: 3, padding: 1, activation: relu}\n"
      text += "  - {name: b\(block).conv2, op: conv, filters: 8, kernel: 3, padding: 1, bias: false}\n"
      text += "  - {name: b\(block).add, op: add, inputs: [b\(block).conv2, \(previous)]}\n"
      previous = "b\(block).add"
      if block % 50 == 49 {
        text += "  - {name: b\(block).pool, op: maxpool, kernel: 2, stride: 1}\n"
        previous = "b\(block).pool"
      }
    }
    return text
  }

  /// `body` given the path of a temporary file holding `text`, removed afterwards.
  private static func withFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("streamed-\(UUID().uuidString).yaml")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
  }

  /// Whether the pipeline streams `request`'s model: started as it starts it, and read to the
  /// end (on the importer's thread, which must not outlive the test).
  private static func streams(_ request: AnalysisRequest) throws -> Bool {
    guard case .streaming(let stream, _) = try LoadedModel.start(request) else { return false }
    _ = try? Analyzer.analyze(stream) { _ in AnalysisOptions() }  // an error is the whole file's too
    return true
  }

  /// The report and graph of the file at `path` streamed, and read whole.
  private static func bothWays(_ path: String) throws -> (streamed: (Report, Graph), whole: (Report, Graph)) {
    let options = AnalysisOptions(sourceName: path)
    guard case .streaming(let stream, .spec) = try ModelLoader.standard.start(path: path, streamingFrom: 0) else {
      Issue.record("a spec file was not streamed")
      throw ConvScopeError(message: "not streamed")
    }
    let streamed = try Analyzer.analyze(stream) { _ in options }
    let graph = try ModelLoader.standard.load(path: path).graph
    return (streamed, (try Analyzer.analyze(graph, options: options), graph))
  }

  @Test func aStreamedSpecGivesTheReportAndGraphOfTheWholeFile() throws {
    let (streamed, whole) = try Self.withFile(Self.residualSpec(blocks: 400), Self.bothWays)
    let both = streamed
    #expect(both.1.nodes.count == 400 * 4 + 8)  // conv, relu, conv, add per block; 8 pools
    #expect(both.1 == whole.1)
    #expect(both.0 == whole.0)
    // The figures a user checks, derived: each block's two 3x3 convs of 8 -> 8 channels.
    #expect(whole.0.totals.params == 400 * (8 * 8 * 9 + 8) + 400 * (8 * 8 * 9))
  }

  @Test func aSpecShorterThanOnePieceStreamsAsTheWholeFileReads() throws {
    // Fewer layers than one piece: the header, then the end with every node.
    let (streamed, whole) = try Self.withFile(Self.residualSpec(blocks: 3), Self.bothWays)
    #expect(streamed.0 == whole.0)
    #expect(streamed.1 == whole.1)
  }

  @Test func aRepeatUnrollingToThousandsOfLayersStreamsAsTheWholeFileReads() throws {
    // 17 bytes of `repeat:` make 20,000 layers, sent in pieces from a tiny document.
    let text = "input: {shape: [4]}\nlayers:\n  - repeat: 20000\n    layers: [{op: relu}]\n"
    let (streamed, whole) = try Self.withFile(text, Self.bothWays)
    #expect(whole.1.nodes.count == 20_000)
    #expect(streamed.1 == whole.1)
    #expect(streamed.0 == whole.0)
  }

  /// The error `request` gives, or nil.
  private static func error(_ request: AnalysisRequest) -> ConvScopeError? {
    do {
      _ = try Pipeline.report(for: request)
      return nil
    } catch {
      return error
    }
  }

  /// The error of the spec `text` through the pipeline, from a file (streamed) and from its
  /// bytes (read whole), which must agree.
  private func sameErrorBothWays(_ text: String) throws -> ConvScopeError {
    try Self.withFile(text) { path in
      #expect(try Self.streams(AnalysisRequest(model: .file(path))))
      let streamed = try #require(Self.error(AnalysisRequest(model: .file(path))))
      let whole = try #require(Self.error(AnalysisRequest(model: .data(Data(text.utf8), name: path))))
      #expect(streamed.description == whole.description)
      return streamed
    }
  }

  @Test func anImportErrorAfterAShapeErrorIsTheOneReported() throws {
    // Layer b2.wide cannot be analysed (a 99x99 kernel on a 64x64 input), and a layer near the
    // end is no op at all: read whole, the import fails first, so streamed it must too.
    var text = Self.residualSpec(blocks: 400)
    text = text.replacingOccurrences(
      of: "  - {name: b2.add,", with: "  - {name: b2.wide, op: conv, filters: 8, kernel: 99}\n  - {name: b2.add,")
    text += "  - {name: last, op: frobnicate}\n"
    let error = try sameErrorBothWays(text)
    #expect(error.layer == "last")
  }

  @Test func aShapeErrorIsLocatedAsForTheWholeFile() throws {
    let text = Self.residualSpec(blocks: 400).replacingOccurrences(
      of: "  - {name: b350.add,", with: "  - {name: b350.wide, op: conv, filters: 8, kernel: 99}\n  - {name: b350.add,")
    let error = try sameErrorBothWays(text)
    #expect(error.layer == "b350.wide")
    #expect(error.field == "kernel")
  }

  @Test func anInputTheModelDoesNotHaveIsReportedAsForTheWholeFile() throws {
    let text = Self.residualSpec(blocks: 400)
    try Self.withFile(text) { path in
      var streamed = AnalysisRequest(model: .file(path))
      streamed.inputShapes = [InputBinding(name: "nope", shape: Shape([1, 8, 64, 64]))]
      #expect(try Self.streams(streamed))
      var whole = streamed
      whole.model = .data(Data(text.utf8), name: path)
      let streamedError = try #require(Self.error(streamed))
      #expect(streamedError.description == (try #require(Self.error(whole))).description)
    }
  }

  /// A spec over 64 KiB with what the importer treats apart: two inputs, raw ONNX ops with
  /// stored weights and a declared output shape, `repeat:` blocks, a classifier the width
  /// multiplier leaves as written, and `outputs:`.
  private static let everyConstruct: String = {
    var text = """
      name: constructs
      layout: CHW
      inputs: [{name: image, shape: [3, 8, 8]}, {name: extra, shape: [16, 8, 8]}]
      layers:
        - name: raw
          op: Conv
          inputs: [extra]
          attributes: {kernel_shape: [3, 3], pads: [1, 1, 1, 1]}
          weights: [[16, 16, 3, 3], [16]]
        - {name: joined, op: add, inputs: [raw, extra]}
        - {name: stem, op: conv, inputs: [image], filters: 16, kernel: 3, padding: 1, activation: relu}

      """
    for block in 0..<900 {
      text += "  - {name: c\(block), op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}\n"
    }
    text += """
        - repeat: 40
          layers:
            - {name: "r{i}", op: conv, filters: 16, kernel: 3, padding: 1}
            - {name: skip, op: add, inputs: ["r{i}", stem]}
        - {name: flat, op: Flatten, output_shape: [1024]}
        - {name: head, op: dense, units: 10}
      outputs: [head, joined]

      """
    return text
  }()

  @Test func everyConstructAndEveryRequestStreamAsTheyReadWhole() throws {
    try Self.withFile(Self.everyConstruct) { path in
      var requests: [AnalysisRequest] = []
      var plain = AnalysisRequest(model: .file(path))
      #expect(try Self.streams(plain))
      requests.append(plain)
      plain.mode = .training
      requests.append(plain)
      var other = AnalysisRequest(model: .file(path))
      other.batch = 4
      other.widthMultiplier = 0.5
      other.layout = .nhwc
      requests.append(other)
      other.depth = 1
      other.sweep = SweepRequest(.batch, [1, 2])
      requests.append(other)
      for request in requests {
        var whole = request
        whole.model = .data(Data(Self.everyConstruct.utf8), name: path)
        let report = try Pipeline.report(for: request)
        #expect(report == (try Pipeline.report(for: whole)))
        #expect(report.outputs.map(\.name) == ["head", "joined"])
      }
    }
  }

  @Test func aSweepOfAStreamedSpecMatchesTheWholeFiles() throws {
    let text = Self.residualSpec(blocks: 400)
    try Self.withFile(text) { path in
      var streamed = AnalysisRequest(model: .file(path))
      streamed.sweep = SweepRequest(.batch, [1, 4])
      streamed.layout = .nhwc
      var whole = streamed
      whole.model = .data(Data(text.utf8), name: path)
      let report = try Pipeline.report(for: streamed)
      #expect(report == (try Pipeline.report(for: whole)))
      #expect(report.sweep?.rows[1].macs == 4 * (report.sweep?.rows[0].macs ?? 0))
    }
  }
}
