import ConvScope
import Foundation

/// libFuzzer target: TFLite FlatBuffers (`TFLiteImporter`), then the analysis.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTFLite(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  FuzzHarness.run(start, count, importer: TFLiteImporter()) { _ in "fuzz.tflite" }
}
