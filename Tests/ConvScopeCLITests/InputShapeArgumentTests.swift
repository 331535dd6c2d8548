import ConvScope
import Testing

@testable import convscope

@Suite struct InputShapeArgumentTests {
  @Test func namedAndBareShapes() throws {
    let named = try InputShapeArgument(parsing: "image=1x3x224x224")
    #expect(named.name == "image" && named.shape == [1, 3, 224, 224])
    let bare = try InputShapeArgument(parsing: "1x3x224x224")
    #expect(bare.name.isEmpty && bare.shape == [1, 3, 224, 224])
  }

  @Test func symbolicDimsBracketsAndCommas() throws {
    #expect(try InputShapeArgument(parsing: "tokens=Nx128").shape == ["N", 128])
    #expect(try InputShapeArgument(parsing: "x=[1, 3, 32, 32]").shape == [1, 3, 32, 32])
    #expect(try InputShapeArgument(parsing: "ids=batch,max_len").shape == ["batch", "max_len"])
    // A name may itself contain '=' or ':'; the shape follows the last '='.
    #expect(try InputShapeArgument(parsing: "input:0=1x8").name == "input:0")
    // Upper-case X separates dims when there is no x and no comma.
    #expect(try InputShapeArgument(parsing: "1X3X112X112").shape == [1, 3, 112, 112])
    #expect(try InputShapeArgument(parsing: "NX3X112X112").shape == ["N", 3, 112, 112])
  }

  @Test func rejectsWhatIsNotAShape() {
    // Two shapes in one argument: "1x3x8x8" is not a dim name (names start with a letter).
    for text in ["", "name=", "1x-3", "1x3x2.5", "1xx3", "1x3x8x8,1x3x8x8", "3d"] {
      #expect(throws: (any Error).self, "\(text)") { try InputShapeArgument(parsing: text) }
    }
  }
}

@Suite struct InputShapeLayoutTests {
  static func onnx(_ text: String, declared: Shape, _ layout: TensorLayout) throws -> Shape {
    try InputShapeArgument(parsing: text).binding.onnxShape(declared: declared, layout: layout)
  }

  @Test func hwcShapesAsTheTableShowsThem() throws {
    // The seed is declared 1x1x57x57 and shown 57x57x1: both spellings mean the same input.
    #expect(try Self.onnx("64x64x1", declared: [1, 1, 57, 57], .hwc) == [1, 1, 64, 64])
    #expect(try Self.onnx("1x1x64x64", declared: [1, 1, 57, 57], .hwc) == [1, 1, 64, 64])
    // The declared batch dim is kept, so --batch still binds a symbolic one.
    #expect(try Self.onnx("64x64x3", declared: ["N", 3, 32, 32], .hwc) == ["N", 3, 64, 64])
    #expect(try Self.onnx("3x64x64", declared: [1, 3, 32, 32], .chw) == [1, 3, 64, 64])
  }

  @Test func nhwcMovesChannelsAndNCHWIsUnchanged() throws {
    #expect(try Self.onnx("8x224x224x3", declared: ["N", 3, 224, 224], .nhwc) == [8, 3, 224, 224])
    #expect(try Self.onnx("8x3x224x224", declared: ["N", 3, 224, 224], .nchw) == [8, 3, 224, 224])
    // One dim short: the shape without its batch, in every layout.
    #expect(try Self.onnx("3x160x160", declared: ["N", 3, 224, 224], .nchw) == ["N", 3, 160, 160])
    #expect(try Self.onnx("160x160x3", declared: ["N", 3, 224, 224], .nhwc) == ["N", 3, 160, 160])
    // Another rank the model does not declare is passed on as given, for the analyzer to report.
    #expect(try Self.onnx("224x224", declared: ["N", 3, 224, 224], .nchw) == [224, 224])
  }

  @Test func onnxOrderInAChannelsLastModelIsRecognisedByItsChannels() throws {
    // A Keras model declared Nx3x224x224 and shown NHWC: 1x3x160x160 has the 3 channels at
    // axis 1 and 160 last, so it is already ONNX order; 1x160x160x3 is NHWC.
    #expect(try Self.onnx("1x3x160x160", declared: ["N", 3, 224, 224], .nhwc) == [1, 3, 160, 160])
    #expect(try Self.onnx("1x160x160x3", declared: ["N", 3, 224, 224], .nhwc) == [1, 3, 160, 160])
    // 3 channels of a 3x3 image stay ambiguous and read as the layout says.
    #expect(try Self.onnx("1x3x3x3", declared: ["N", 3, 224, 224], .nhwc) == [1, 3, 3, 3])
  }
}
