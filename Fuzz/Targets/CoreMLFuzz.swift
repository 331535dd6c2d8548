import ConvScope
import Foundation

/// libFuzzer target: Core ML protobuf specifications (`CoreMLImporter`: NeuralNetwork and ML
/// Program), then the analysis.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCoreML(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  FuzzHarness.run(start, count, importer: CoreMLImporter()) { _ in "fuzz.mlmodel" }
}
