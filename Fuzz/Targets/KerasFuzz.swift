import ConvScope
import Foundation

/// libFuzzer target: Keras JSON configs and `.keras` zip archives (`KerasImporter`), then the
/// analysis.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeras(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  FuzzHarness.run(start, count, importer: KerasImporter()) { _ in "fuzz.keras" }
}
