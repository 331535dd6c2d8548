import ConvScope
import Foundation

/// libFuzzer target: ONNX protobuf (`ONNXImporter`), then the analysis.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  FuzzHarness.run(start, count, importer: ONNXImporter()) { _ in "fuzz.onnx" }
}
