import ConvScope
import Foundation
import Testing

/// Bad prototxts give one located line, never a crash.
@Suite struct CaffeImportErrorTests {
  private func error(_ text: String) -> String {
    do {
      _ = try CaffeImporterTests.graph(text)
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  @Test func syntaxErrorsGiveLineAndColumn() {
    #expect(
      error("name: \"x\"\nlayer {\n  name: \"a\"\n  type \"ReLU\"\n}")
        == "deploy.prototxt:4:8: expected ':' or '{' after field 'type', found '\"'")
    #expect(error("layer {\n  name: \"a\"\n") == "deploy.prototxt:3:1: expected '}' before the end of the file")
    #expect(error("name: \"unterminated\n") == "deploy.prototxt:1:7: unterminated string")
  }

  @Test func bottomThatNoLayerProducesSuggestsTheClosest() {
    let text = """
      input: "data"
      input_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8
      layer { name: "relu" type: "ReLU" bottom: "dta" top: "relu" }
      """
    #expect(
      error(text)
        == "deploy.prototxt:3:1: layer 'relu' (ReLU), field 'bottom': bottom blob 'dta' is not produced by any earlier layer or input; did you mean 'data'?"
    )
  }

  @Test func unknownLayerTypeSuggestsTheClosest() {
    let text = """
      input: "data"
      input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
      layer { name: "c" type: "Convolutoin" bottom: "data" top: "c" }
      """
    #expect(
      error(text)
        == "deploy.prototxt:3:1: layer 'c' (Convolutoin), field 'type': unknown Caffe layer type 'Convolutoin'; did you mean 'Convolution'?"
    )
  }

  @Test func inputWithoutShapeAndBadParameter() {
    #expect(error("input: \"data\"\n").hasPrefix("deploy.prototxt:1:1: field 'input': input 'data' has no shape"))
    let text = """
      input: "data"
      input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
      layer { name: "c" type: "Convolution" bottom: "data" top: "c"
        convolution_param { num_output: many kernel_size: 3 } }
      """
    #expect(
      error(text)
        == "deploy.prototxt:4:23: layer 'c' (Convolution), field 'convolution_param.num_output': expected an integer")
  }

  @Test func recognizesPrototxtButNotJSON() {
    let importer = CaffeImporter()
    #expect(importer.recognizes(fileName: "deploy.prototxt", prefix: Data()))
    #expect(importer.recognizes(fileName: "net.txt", prefix: Data("name: \"n\"\nlayer {\n".utf8)))
    #expect(!importer.recognizes(fileName: "model.json", prefix: Data(#"{"layer {": 1}"#.utf8)))
  }
}
