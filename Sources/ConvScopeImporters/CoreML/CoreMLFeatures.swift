import ConvScopeCore

/// Reads a Core ML `ModelDescription` (`Model.proto` #2): the input and output features as
/// tensors. A multi-array gives its default shape; a flexible one (enumerated shapes or ranges,
/// `FeatureTypes.proto`) turns every axis whose size may vary into a symbolic dim
/// `input_dimN` that `--input-shape` binds (the leading one is the batch). An image is
/// `[1, channels, height, width]` (1 channel for grayscale, 3 for RGB and BGR).
struct CoreMLFeatures {
  var inputs: [TensorInfo] = []
  var outputs: [TensorInfo] = []

  init(description: ProtobufMessage) throws(ProtobufError) {
    for feature in try description.messages(1, "input", type: "FeatureDescription") {
      inputs.append(try Self.tensor(feature))
    }
    for feature in try description.messages(10, "output", type: "FeatureDescription") {
      outputs.append(try Self.tensor(feature))
    }
  }

  /// One feature as a tensor; a feature that is not an array or an image (a class label, a
  /// dictionary of probabilities) is a tensor of unknown shape.
  static func tensor(_ feature: ProtobufMessage) throws(ProtobufError) -> TensorInfo {
    let name = try feature.string(1, "name") ?? ""
    guard let type = try feature.message(3, "type", type: "FeatureType") else {
      return TensorInfo(name: name, dataType: .undefined, shape: Shape([Dim]()))
    }
    if let array = try type.message(5, "multiArrayType", type: "ArrayFeatureType") {
      return TensorInfo(
        name: name, dataType: dataType(try array.int(2, "dataType")), shape: try arrayShape(array, name))
    }
    if let image = try type.message(4, "imageType", type: "ImageFeatureType") {
      return TensorInfo(name: name, dataType: .float32, shape: try imageShape(image, name))
    }
    if type.has(1) { return TensorInfo(name: name, dataType: .int64, shape: Shape([Dim]())) }
    if type.has(2) { return TensorInfo(name: name, dataType: .float64, shape: Shape([Dim]())) }
    return TensorInfo(name: name, dataType: .undefined, shape: Shape([Dim]()))
  }

  /// `ArrayFeatureType.ArrayDataType` (0x10000 | bits for floats, 0x20000 | bits for integers).
  static func dataType(_ code: Int) -> DataType {
    switch code {
    case 65568: .float32
    case 65600: .float64
    case 65552: .float16
    case 131104: .int32
    case 131080: .int8
    default: .float32
    }
  }

  /// The default shape with the flexible axes symbolic.
  private static func arrayShape(_ array: ProtobufMessage, _ name: String) throws(ProtobufError) -> Shape {
    var dims = try array.ints(1, "shape").map(Dim.fixed)
    var alternatives: [[Int]] = []
    if let enumerated = try array.message(21, "enumeratedShapes", type: "EnumeratedShapes") {
      for shape in try enumerated.messages(1, "shapes", type: "Shape") {
        alternatives.append(try shape.ints(1, "shape"))
      }
    }
    if let range = try array.message(31, "shapeRange", type: "ShapeRange") {
      let sizes = try range.messages(1, "sizeRanges", type: "SizeRange")
      // A range whose bounds differ varies; give the lower and upper bounds as two alternatives.
      alternatives.append(
        try sizes.map { (size: ProtobufMessage) throws(ProtobufError) in try size.int(1, "lowerBound") })
      alternatives.append(
        try sizes.map { (size: ProtobufMessage) throws(ProtobufError) in try size.int(2, "upperBound") })
    }
    if dims.isEmpty, let first = alternatives.first { dims = first.map(Dim.fixed) }
    for alternative in alternatives {
      guard alternative.count == dims.count else {
        throw array.error(
          "shape", "feature '\(name)' has flexible shapes of rank \(alternative.count) and \(dims.count)")
      }
      for axis in dims.indices where dims[axis] != .fixed(alternative[axis]) {
        dims[axis] = .symbolic("\(name)_dim\(axis)")
      }
    }
    return Shape(dims)
  }

  /// `[1, C, H, W]`, with a flexible height or width symbolic.
  private static func imageShape(_ image: ProtobufMessage, _ name: String) throws(ProtobufError) -> Shape {
    let channels = [10, 40].contains(try image.int(3, "colorSpace")) ? 1 : 3
    var height = Dim.fixed(try image.int(2, "height"))
    var width = Dim.fixed(try image.int(1, "width"))
    if let sizes = try image.message(21, "enumeratedSizes", type: "EnumeratedImageSizes") {
      for size in try sizes.messages(1, "sizes", type: "ImageSize") {
        if height != .fixed(try size.int(2, "height")) { height = .symbolic("\(name)_dim2") }
        if width != .fixed(try size.int(1, "width")) { width = .symbolic("\(name)_dim3") }
      }
    }
    if let range = try image.message(31, "imageSizeRange", type: "ImageSizeRange") {
      if let rows = try range.message(2, "heightRange", type: "SizeRange"), try Self.varies(rows) {
        height = .symbolic("\(name)_dim2")
      }
      if let columns = try range.message(1, "widthRange", type: "SizeRange"), try Self.varies(columns) {
        width = .symbolic("\(name)_dim3")
      }
    }
    return Shape([.fixed(1), .fixed(channels), height, width])
  }

  /// Whether a `SizeRange` (#1 lowerBound, #2 upperBound, -1 unbounded) spans more than one size.
  private static func varies(_ range: ProtobufMessage) throws(ProtobufError) -> Bool {
    try range.int(1, "lowerBound") != range.int(2, "upperBound")
  }
}
