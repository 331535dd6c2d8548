import Foundation
import Testing

@testable import ConvScopeImporters

/// The string helpers the loader and the importers' `recognizes` use in place of Foundation's
/// (which cost a tenth of a small model's run): each gives what Foundation gives.
@Suite struct FileNameAndPrefixTests {
  @Test(arguments: [
    ("layers:\n  - conv", "layers", true), ("x layers", "layers", true), ("layer", "layers", false),
    ("{\"class_name\": 1}", "\"class_name\"", true), ("abc", "abc", true), ("ab", "abc", false), ("", "a", false),
    ("aab", "ab", true), ("input_dim: 3", "input_dim:", true), ("layer{", "layer {", false),
    ("é layers", "layers", true),
  ])
  func aPrefixHoldsTextAsStringContainsSays(text: String, needle: String, holds: Bool) {
    #expect(Data(text.utf8).containsUTF8(needle) == holds)
    #expect(text.contains(needle) == holds)
  }

  @Test func theEmptyTextIsInEveryPrefix() {
    #expect(Data().containsUTF8(""))
    #expect(Data("abc".utf8).containsUTF8(""))
  }

  /// The folder of a relative path is the one `URL(fileURLWithPath:)` resolves against the
  /// working directory; of an absolute one, its parent (`.` components may stay in the path).
  @Test(arguments: ["model.onnx", "zoo/resnet18.onnx", "/tmp/models/m.yaml", "./a/b.json"])
  func theFolderOfAPathIsFoundationsFolder(path: String) {
    let foundations = URL(fileURLWithPath: path).deletingLastPathComponent()
    #expect(FileReading.folder(of: path).standardizedFileURL.path == foundations.standardizedFileURL.path)
  }

  @Test(arguments: [
    ("zoo/resnet18.onnx", "resnet18"), ("cnn.mlpackage/", "cnn"), ("m.tar.gz", "m.tar"), ("model", "model"),
    ("/a/b/c.pt2", "c"), (".hidden", ".hidden"), ("-", "-"), ("", ""),
  ])
  func theBaseNameIsTheLastComponentWithoutItsExtension(path: String, name: String) {
    #expect(FileReading.baseName(of: path) == name)
  }
}
