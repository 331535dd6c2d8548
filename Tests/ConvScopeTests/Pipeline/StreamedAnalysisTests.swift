import ConvScope
import ConvScopeAnalysis
import ConvScopeCore
import ConvScopeImporters
import Foundation
import Testing

/// A large spec is analysed while it is read: the importer hands its layers over from a thread
/// of its own (`GraphStream`) and the analysis walks them as they come. The report, the graph
/// and every error must be those of the same spec read whole.
@Suite("Pipeline: a spec streamed into the analysis")
struct StreamedAnalysisTests {
  /// A spec of `blocks` residual blocks (conv, relu, a second conv, an add reading the block's
  /// input, then a pool every 50 blocks), over 64 KiB from 300 blocks on: each piece sent holds
  /// a block cut in two and adds reading layers of the piece before.
  private static func residualSpec(blocks: Int, extra: String = "") -> String {
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
    return text + extra
  }

  /// `text` written to a fresh temporary file named `name`.
  private static func file(_ text: String, name: String = "streamed.yaml") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// The report and graph of the file at `path` streamed, and read whole.
  private static func bothWays(_ path: String) throws -> (streamed: (Report, Graph), whole: (Report, Graph)) {
    let options = AnalysisOptions(sourceName: path)
    guard case .streaming(let stream, .spec) = try ModelLoader.standard.start(path: path, streaming: 0..<Int.max) else {
      Issue.record("a spec file was not streamed")
      throw ConvScopeError(message: "not streamed")
    }
    let streamed = try Analyzer.analyze(stream) { _ in options }
    let graph = try ModelLoader.standard.load(path: path).graph
    return (streamed, (try Analyzer.analyze(graph, options: options), graph))
  }

  @Test func aStreamedSpecGivesTheReportAndGraphOfTheWholeFile() throws {
    let (streamed, whole) = try Self.bothWays(try Self.file(Self.residualSpec(blocks: 400)))
    #expect(streamed.1.nodes.count == 400 * 4 + 8)  // conv, relu, conv, add per block; 8 pools
    #expect(streamed.1 == whole.1)
    #expect(streamed.0 == whole.0)
    // The figures a user checks, derived: each block's two 3x3 convs of 8 -> 8 channels.
    #expect(whole.0.totals.params == 400 * (8 * 8 * 9 + 8) + 400 * (8 * 8 * 9))
  }

  @Test func aSpecShorterThanOnePieceStreamsAsTheWholeFileReads() throws {
    // Fewer layers than one piece: the header, then the end with every node.
    let (streamed, whole) = try Self.bothWays(try Self.file(Self.residualSpec(blocks: 3)))
    #expect(streamed.0 == whole.0)
    #expect(streamed.1 == whole.1)
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

  /// The error of the spec `text` through the pipeline, from a file (streamed: over 64 KiB) and
  /// from its bytes (read whole), which must agree.
  private func sameErrorBothWays(_ text: String) throws -> ConvScopeError {
    #expect(text.utf8.count >= 64 << 10)
    let path = try Self.file(text)
    let streamed = try #require(Self.error(AnalysisRequest(model: .file(path))))
    let whole = try #require(Self.error(AnalysisRequest(model: .data(Data(text.utf8), name: path))))
    #expect(streamed.description == whole.description)
    return streamed
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
    #expect(error.line != nil)
  }

  @Test func anInputShapeTheModelRefusesIsReportedAsForTheWholeFile() throws {
    let text = Self.residualSpec(blocks: 400)
    let path = try Self.file(text)
    var streamed = AnalysisRequest(model: .file(path))
    streamed.inputShapes = [InputBinding(name: "nope", shape: Shape([1, 8, 64, 64]))]
    var whole = streamed
    whole.model = .data(Data(text.utf8), name: path)
    let streamedError = try #require(Self.error(streamed))
    let wholeError = try #require(Self.error(whole))
    #expect(streamedError.description == wholeError.description)
  }

  @Test func aSweepOfAStreamedSpecMatchesTheWholeFiles() throws {
    let text = Self.residualSpec(blocks: 400)
    let path = try Self.file(text)
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
