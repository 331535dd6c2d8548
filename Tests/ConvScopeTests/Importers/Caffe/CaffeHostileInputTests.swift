import ConvScope
import Foundation
import Testing

/// Caffe nets with absurd values: an error naming the layer and field, never a trap.
@Suite struct CaffeHostileInputTests {
  @Test func aNegativeInputDimIsAnError() throws {
    let text = """
      layer { name: "data" type: "Input" top: "data" input_param { shape: { dim: 1 dim: 4 dim: -9223372036854775808 dim: 8 } } }
      layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 4 kernel_size: 3 } }
      """
    let error = try #require(throws: ConvScopeError.self) {
      try CaffeImporter().importGraph(from: Data(text.utf8), fileName: "deploy.prototxt", directory: nil)
    }
    #expect(error.layer == "data" && error.field == "dim")
  }

  @Test func aDimThatIsNotAWholeNumberIsAnErrorAtItsPosition() throws {
    // Before: `1e308` was dropped and the input silently lost an axis.
    let text = """
      input: "data"
      input_shape { dim: 1 dim: 3 dim: 1e308 dim: 8 }
      layer { name: "r" type: "ReLU" bottom: "data" top: "r" }
      """
    let error = try #require(throws: ConvScopeError.self) {
      try CaffeImporter().importGraph(from: Data(text.utf8), fileName: "deploy.prototxt", directory: nil)
    }
    #expect(error.field == "dim" && error.line == 2 && error.column == 29)
  }
}
