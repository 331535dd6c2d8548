import ConvScope
import Foundation

/// libFuzzer target: GGUF headers (`LanguageModelHeaderReader`), then the shape mapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  FuzzHarness.runHeader(start, count, fileName: "fuzz.gguf")
}
