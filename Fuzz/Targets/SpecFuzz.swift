import ConvScope
import Foundation

/// libFuzzer target: ConvScope's native spec (`SpecImporter`), YAML or JSON by the first
/// byte, then the analysis.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpec(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  FuzzHarness.run(start, count, importer: SpecImporter()) { data in
    FuzzHarness.looksLikeJSON(data) ? "fuzz.json" : "fuzz.yaml"
  }
}
