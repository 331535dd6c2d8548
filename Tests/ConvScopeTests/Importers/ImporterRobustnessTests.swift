import ConvScope
import Foundation
import Testing

/// Truncated, nested and garbled files throw a ``ConvScopeError``; nothing traps.
@Suite struct ImporterRobustnessTests {
  /// Imports every prefix of `data` cut at `step`-byte intervals; each must import or throw.
  private func everyPrefix(of data: Data, step: Int, _ importer: some ModelImporter, name: String) {
    for end in stride(from: 0, to: data.count, by: step) {
      do {
        _ = try importer.importGraph(from: data.prefix(end), fileName: name, directory: nil)
      } catch {
        #expect(!error.message.isEmpty)
      }
    }
  }

  @Test func truncatedPrototxtsAndConfigsThrow() throws {
    everyPrefix(of: try Fixtures.data("caffe/bvlc_alexnet.prototxt"), step: 41, CaffeImporter(), name: "a.prototxt")
    everyPrefix(of: try Fixtures.data("keras/lenet5.json"), step: 47, KerasImporter(), name: "l.json")
    everyPrefix(of: try Fixtures.data("keras/lenet5.deflated.keras"), step: 29, KerasImporter(), name: "l.keras")
  }

  @Test func deepNestingIsRefused() {
    let text = String(repeating: "a { ", count: 100_000)
    #expect(throws: ConvScopeError.self) {
      try CaffeImporter().importGraph(from: Data(text.utf8), fileName: "deep.prototxt", directory: nil)
    }
  }
}
