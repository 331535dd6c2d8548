import ConvScope
import Foundation

/// libFuzzer target: Caffe prototxt (`CaffeImporter`), then the analysis.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCaffe(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  FuzzHarness.run(start, count, importer: CaffeImporter()) { _ in "fuzz.prototxt" }
}
