/// The file formats ConvScope reads, as the report names them (`model.format` in the JSON).
public enum ModelFormat: String, Sendable, Codable, CaseIterable {
  /// ONNX `ModelProto`, any opset.
  case onnx
  /// Keras `model.to_json()` or a `.keras` archive's `config.json`.
  case keras
  /// A `torch.export` archive (`torch.export.save`): its serialized ExportedProgram.
  case pt2
  /// A Caffe deploy `.prototxt`.
  case caffe
  /// ConvScope's own YAML or JSON spec.
  case spec
  /// A Core ML `.mlmodel` or `.mlpackage` (NeuralNetwork or ML Program).
  case coreml
  /// A TensorFlow Lite FlatBuffer (`.tflite`, schema version 3).
  case tflite
}
