import ConvScope
import Foundation
import Testing

/// `ModelLoader.standard` sends each Keras and Caffe file to its importer.
@Suite struct LoaderRoutingTests {
  @Test(arguments: [
    ("keras/lenet5.json", "keras"), ("keras/lenet5.keras2.json", "keras"), ("keras/lenet5.keras", "keras"),
    ("caffe/bvlc_alexnet.prototxt", "caffe"), ("caffe/resnet50.prototxt", "caffe"),
  ])
  func routesByNameAndContent(file: String, format: String) throws {
    let loaded = try ModelLoader.standard.load(path: Fixtures.url(file).path)
    #expect(loaded.format.rawValue == format)
  }

  @Test func kerasJSONUnderAnyNameIsStillKeras() throws {
    let data = try Fixtures.data("keras/lenet5.json")
    #expect(try ModelLoader.standard.load(data: data, fileName: "-", directory: nil).format == .keras)
  }
}
