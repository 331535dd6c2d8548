import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeImporters

/// Every `keras.applications` model in `Tests/Fixtures/keras-applications` (made by
/// `Scripts/keras-applications/make_fixtures.py`), in both JSON layouts: ConvScope's params,
/// trainable and non-trainable, equal Keras' own `count_params()` split, and `--convention keras`
/// equals TensorFlow's profiler `float_ops` (`NAME.ref.json`).
@Suite struct KerasApplicationsTests {
  /// The models the fixtures hold: every model of `keras.applications` (Keras 3.15.1).
  static let models = [
    "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtSmall", "ConvNeXtTiny", "ConvNeXtXLarge", "DenseNet121", "DenseNet169",
    "DenseNet201", "EfficientNetB0", "EfficientNetB1", "EfficientNetB2", "EfficientNetB3", "EfficientNetB4",
    "EfficientNetB5", "EfficientNetB6", "EfficientNetB7", "EfficientNetV2B0", "EfficientNetV2B1", "EfficientNetV2B2",
    "EfficientNetV2B3", "EfficientNetV2L", "EfficientNetV2M", "EfficientNetV2S", "InceptionResNetV2", "InceptionV3",
    "MobileNet", "MobileNetV2", "MobileNetV3Large", "MobileNetV3Small", "NASNetLarge", "NASNetMobile", "ResNet101",
    "ResNet101V2", "ResNet152", "ResNet152V2", "ResNet50", "ResNet50V2", "VGG16", "VGG19", "Xception",
  ]

  static let directory = "keras-applications"

  /// Keras' numbers for one model: its `count_params` split and the profiler's figures.
  struct Reference {
    /// Keras' `count_params()`, trainable and non-trainable.
    struct Counts: Equatable {
      var total: Int
      var trainable: Int
      var nonTrainable: Int
    }

    let counts: Counts
    let keras2Counts: Counts
    let floatOps: Int
    let byOpType: [String: Int]

    init(_ model: String) throws {
      let data = try Fixtures.data("\(KerasApplicationsTests.directory)/\(model).ref.json")
      let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      func counts(_ object: [String: Any]?) throws -> Counts {
        let object = try #require(object)
        return Counts(
          total: try #require(object["count_params"] as? Int),
          trainable: try #require(object["trainable_params"] as? Int),
          nonTrainable: try #require(object["non_trainable_params"] as? Int))
      }
      self.counts = try counts(json)
      self.keras2Counts = try counts(json["keras2"] as? [String: Any])
      let flops = try #require(json["flops"] as? [String: Any])
      floatOps = try #require(flops["total_float_ops"] as? Int)
      byOpType = try #require(flops["by_op_type"] as? [String: Int])
    }
  }

  /// The Keras 3 layout: the weight-free `.keras` archive (its `config.json` is `model.to_json()`).
  static func keras3(_ model: String) throws -> Report {
    let path = Fixtures.url("\(directory)/\(model).keras").path
    return try Analyzer.analyze(try ModelLoader.standard.load(path: path).graph)
  }

  /// The tf.keras 2 layout: `model.to_json()` of `tf_keras.applications`, zipped as `config.json`.
  static func keras2(_ model: String) throws -> Report {
    let file = "\(model).keras2.json.zip"
    let json = try KerasArchive.config(from: try Fixtures.data("\(directory)/\(file)"), fileName: file)
    return try Analyzer.analyze(try KerasImporter().importGraph(from: json, fileName: file, directory: nil))
  }

  @Test func theFixturesAreTheModelsListed() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.url(Self.directory).path)
    let named = Set(files.filter { $0.hasSuffix(".ref.json") }.map { String($0.dropLast(".ref.json".count)) })
    #expect(named == Set(Self.models))
  }

  @Test(arguments: models) func keras3LayoutHasKerasCountsAndTheProfilerFigure(model: String) throws {
    let reference = try Reference(model)
    let report = try Self.keras3(model)
    #expect(report.unsupported.isEmpty, "\(report.unsupported)")
    #expect(report.totals.params == reference.counts.trainable)
    #expect(report.totals.nonTrainableParams == reference.counts.nonTrainable)
    let result = try Convention.keras.apply(to: report)
    #expect(result.params == reference.counts.total)
    #expect(result.figure == reference.floatOps)
    #expect(result.notes.isEmpty, "\(result.notes)")
  }

  @Test(arguments: models) func keras2LayoutHasKerasCountsAndTheProfilerFigure(model: String) throws {
    let reference = try Reference(model)
    // tf_keras builds the same architecture: the same counts as Keras 3.
    #expect(reference.keras2Counts == reference.counts)
    let report = try Self.keras2(model)
    #expect(report.unsupported.isEmpty, "\(report.unsupported)")
    #expect(report.totals.params == reference.keras2Counts.trainable)
    #expect(report.totals.nonTrainableParams == reference.keras2Counts.nonTrainable)
    let result = try Convention.keras.apply(to: report)
    #expect(result.params == reference.keras2Counts.total)
    #expect(result.figure == reference.floatOps)
  }

  /// The profiler's `Maximum` flops are a Normalization layer's `max(sqrt(variance), 1e-7)` over
  /// its 3 stored variances: ConvScope folds it (no cost of its own) and the Keras convention
  /// counts the folded row, 1 per element, as the profiler does on the frozen graph.
  @Test(arguments: models) func theProfilersMaximumIsTheFoldedNormalizationMax(model: String) throws {
    let reference = try Reference(model)
    let report = try Self.keras3(model)
    let folded = report.layers.filter(\.folded).map(\.name)
    let result = try Convention.keras.apply(to: report)
    let counted = folded.reduce(0) { $0 + (result.layers[$1] ?? 0) }
    #expect(counted == (reference.byOpType["Maximum"] ?? 0))
    #expect(counted == 0 || counted == 3)
  }
}
