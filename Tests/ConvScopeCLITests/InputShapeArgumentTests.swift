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
  }

  @Test func rejectsWhatIsNotAShape() {
    for text in ["", "name=", "1x-3", "1x3x2.5", "1xx3"] {
      #expect(throws: (any Error).self, "\(text)") { try InputShapeArgument(parsing: text) }
    }
  }
}
