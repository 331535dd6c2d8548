import ConvScope
import Foundation

/// libFuzzer target: safetensors headers (`LanguageModelHeaderReader`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  FuzzHarness.runHeader(start, count, fileName: "fuzz.safetensors")
}
