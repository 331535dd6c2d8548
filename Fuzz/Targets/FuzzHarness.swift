import ConvScope
import Foundation

/// What every fuzz target does with one input: reads it with one importer and, when that
/// succeeds, runs the whole pipeline on the same bytes (input binding, the op rules, the
/// passes), so the analysis is fuzzed too. A thrown `ConvScopeError` is a normal outcome; a
/// trap, a sanitizer report, a leak or a timeout is a finding.
enum FuzzHarness {
  /// Runs one input; always returns 0 (libFuzzer keeps every input that adds coverage).
  static func run(
    _ start: UnsafePointer<UInt8>?, _ count: Int, importer: any ModelImporter, fileName: (Data) -> String
  ) -> CInt {
    guard let start, count > 0 else { return 0 }
    let data = Data(bytes: start, count: count)
    let name = fileName(data)
    do {
      let graph = try importer.importGraph(from: data, fileName: name, directory: nil)
      guard graph.nodes.count <= (try ResourceLimits.layers) else { return 0 }
      _ = try Pipeline.report(for: AnalysisRequest(model: .data(data, name: name)))
    } catch {
      _ = error.description
    }
    return 0
  }

  /// Runs one input through the weights-file header reader (GGUF or safetensors, whichever
  /// the bytes open like; the analyze path's refusal, which reads the same header, too).
  static func runHeader(_ start: UnsafePointer<UInt8>?, _ count: Int, fileName: String) -> CInt {
    guard let start, count > 0 else { return 0 }
    let data = Data(bytes: start, count: count)
    do {
      let header = try LanguageModelHeaderReader.read(data: data, fileName: fileName, directory: nil)
      _ = header.tensors.count + header.metadata.count
      _ = try ModelLoader.standard.load(data: data, fileName: fileName, directory: nil)
    } catch {
      _ = error.description
    }
    return 0
  }

  /// Whether `data` opens like JSON (its first non-blank byte is `{` or `[`).
  static func looksLikeJSON(_ data: Data) -> Bool {
    let first = data.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
  }
}
