import ConvScope
import Foundation
import Testing

/// Bad Keras input gives one located line, never a crash.
@Suite struct KerasImportErrorTests {
  typealias K = KerasTesting

  private func error(_ body: () throws -> Graph) -> String {
    do {
      _ = try body()
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  @Test func malformedJSONNamesTheFile() {
    let message = error { try K.graph(#"{"class_name": "Sequential", "config": {"layers": [}"#) }
    #expect(message.hasPrefix("inline.json: malformed JSON"))
    #expect(!message.contains("\n"))
  }

  /// A list of more than twice the layer budget's entries is refused before any entry is read
  /// (two million one-byte entries took 360 MB of heads, then 720 MB once read on two threads).
  /// Nearer the budget the graph's own check decides: an `InputLayer` entry is no node, so a
  /// model of 100,000 layers and its input is 100,001 entries.
  @Test func aLayerListFarPastTheBudgetIsRefusedBeforeItIsRead() {
    func message(entries: Int) -> String {
      let list = Array(repeating: "1", count: entries).joined(separator: ",")
      return error { try K.graph(#"{"class_name": "Functional", "config": {"layers": ["# + list + "]}}") }
    }
    #expect(
      message(entries: 200_001)
        == "inline.json: field 'layers': the model lists 200,001 layers, more than the layer budget of 100,000 "
        + "(CONVSCOPE_MAX_LAYERS raises it)")
    #expect(message(entries: 200_000).contains("field 'layers[0]': expected a layer object"))
  }

  @Test func unknownLayerClassSuggestsTheClosestOne() {
    let json = K.sequential(input: "[null, 8]", [K.layer("Dence", "d", #""units": 4"#)])
    #expect(
      error { try K.graph(json) }
        == "inline.json: layer 'd' (Dence), field 'class_name': unknown Keras layer class 'Dence'; did you mean 'Dense'?"
    )
  }

  @Test func lambdaLayersSayWhyTheyCannotBeRead() {
    let json = K.sequential(input: "[null, 8]", [K.layer("Lambda", "l", #""function": "x * 2""#)])
    #expect(
      error { try K.graph(json) }.hasSuffix(
        "a Lambda layer runs Python code that the config does not describe; it cannot be analysed"))
  }

  @Test func inboundLayerThatDoesNotExist() {
    let json = #"""
      {"class_name": "Functional", "config": {"name": "f", "layers": [
        {"class_name": "InputLayer", "name": "image", "config": {"name": "image", "batch_input_shape": [null, 4]}, "inbound_nodes": []},
        {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 2}, "build_config": {"input_shape": [null, 4]},
         "inbound_nodes": [[["imgae", 0, 0, {}]]]}
      ], "input_layers": [["image", 0, 0]], "output_layers": [["d", 0, 0]]}}
      """#
    #expect(
      error { try K.graph(json) }
        == "inline.json: layer 'd' (Dense), field 'inbound_nodes': reads 'imgae', which is not a layer of this model; did you mean 'image'?"
    )
  }

  @Test func notAModel() {
    #expect(
      error { try K.graph(#"{"class_name": "Dense", "config": {"units": 3}}"#) }
        == "inline.json: field 'class_name': expected a Keras model (Sequential or Functional), found class 'Dense'")
  }

  @Test func zipWithoutConfigIsNotAKerasArchive() throws {
    // A stored zip holding only `hello.txt`, written out byte by byte.
    let name = Array("hello.txt".utf8)
    let body = Array("hi".utf8)
    func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8((value >> (8 * $0)) & 0xFF) } }
    let crc = 0xD893_2AAC  // CRC-32 of "hi"
    let local =
      [0x50, 0x4B, 0x03, 0x04] + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(crc, 4)
      + le(body.count, 4) + le(body.count, 4) + le(name.count, 2) + le(0, 2) + name + body
    let central =
      [0x50, 0x4B, 0x01, 0x02] + le(20, 2) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(crc, 4)
      + le(body.count, 4) + le(body.count, 4) + le(name.count, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 2)
      + le(0, 4) + le(0, 4) + name
    let end =
      [0x50, 0x4B, 0x05, 0x06] + le(0, 2) + le(0, 2) + le(1, 2) + le(1, 2) + le(central.count, 4)
      + le(local.count, 4) + le(0, 2)
    let zip = Data(local + central + end)
    #expect(KerasImporter().recognizes(fileName: "model.zip", prefix: zip.prefix(512)))
    let message = error { try KerasImporter().importGraph(from: zip, fileName: "model.zip", directory: nil) }
    #expect(message.hasPrefix("model.zip: not a Keras archive: the zip has no config.json"))
  }

  @Test func legacyHDF5ModelsSayHowToConvert() {
    let h5 = Data([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64))
    #expect(KerasImporter().recognizes(fileName: "model.h5", prefix: h5))
    #expect(
      error { try KerasImporter().importGraph(from: h5, fileName: "model.h5", directory: nil) }
        == #"model.h5: a legacy HDF5 Keras model; save it with model.save("model.keras") or write model.to_json() to a file"#
    )
  }

  @Test func recognizesKerasJSONButNotOtherJSON() {
    let importer = KerasImporter()
    #expect(importer.recognizes(fileName: "m.json", prefix: Data(#"{"class_name": "Sequential", "config": {}}"#.utf8)))
    #expect(!importer.recognizes(fileName: "spec.json", prefix: Data(#"{"name": "lenet", "layers": []}"#.utf8)))
    #expect(!importer.recognizes(fileName: "deploy.prototxt", prefix: Data("name: \"x\"\nlayer {".utf8)))
    // JSON's blanks may come first; a document holding both words is Keras only when it
    // opens as an object.
    #expect(
      importer.recognizes(fileName: "m.json", prefix: Data(" \r\n\t{\"class_name\": \"Model\", \"config\": {}}".utf8)))
    #expect(!importer.recognizes(fileName: "m.json", prefix: Data("[\"class_name\", \"config\"]".utf8)))
  }
}
