import ConvScopeCore

/// A decoded `TensorProto`: name, element type and dims, and the values when the
/// tensor is small enough for shapes to depend on it.
struct ONNXTensor: Sendable {
  var name: String
  var constant: ConstantTensor
}

/// A tensor as errors name it, `initializer 'conv1.weight'`: written out only when an error
/// is, not once per tensor read.
struct TensorLabel: CustomStringConvertible, Sendable {
  var kind: String
  var name: String
  var description: String { "\(kind) '\(name)'" }
}

/// One occurrence of a data field (`raw_data`, `float_data`, `int64_data`...):
/// where its bytes are, decoded only when the tensor turns out to be small.
struct TensorPayloadField: Sendable {
  var number: Int
  var wireType: WireType
  var range: Range<Int>
}

extension ONNXDecoder {
  /// Integer tensors of 16 bits or more (shape vectors, axes, indices) with at
  /// most this many elements have their values decoded.
  static let smallTensorLimit = 65_536
  /// Real and 8-bit tensors are what weights are made of: only the small ones
  /// shapes can depend on (Resize scales, Clip bounds, Range limits) are decoded,
  /// so that a ResNet's many small conv kernels are never read.
  static let smallWeightLimit = 1_024

  /// The most elements of `dataType` whose values are decoded.
  static func valueLimit(for dataType: DataType) -> Int {
    dataType.isFloatingPoint || dataType.bitWidth <= 8 ? smallWeightLimit : smallTensorLimit
  }

  /// More elements than this in one tensor means a corrupt file (2^40, 4 TiB of bytes).
  static let elementLimit = 1 << 40

  /// Decodes a `TensorProto` (onnx.proto: dims 1, data_type 2, float_data 4,
  /// int32_data 5, int64_data 7, name 8, raw_data 9, double_data 10,
  /// uint64_data 11, external_data 13, data_location 14). Payloads are skipped
  /// by length; `kind` ("initializer", "attribute tensor") is used in errors.
  func tensor(in range: Range<Int>, kind: String) throws(ProtobufError) -> ONNXTensor {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var dims: [Int] = []
    var dimsOffset = range.lowerBound
    var typeCode = 0
    var name = ""
    var payload: [TensorPayloadField] = []
    var external: [String: String] = [:]
    var externalOffset = range.lowerBound
    var dataLocation = 0
    while let field = try reader.nextField() {
      switch field.number {
      case 1:
        if dims.isEmpty { dimsOffset = field.offset }
        try reader.appendInts(field, "TensorProto.dims", to: &dims)
      case 2: typeCode = try reader.int(field, "TensorProto.data_type")
      case 8: name = try reader.string(field, "TensorProto.name")
      case 4, 5, 7, 9, 10, 11:
        payload.append(
          TensorPayloadField(number: field.number, wireType: field.wireType, range: try reader.valueRange(field)))
      case 13:
        externalOffset = field.offset
        let (key, value) = try entry(in: try reader.message(field, "TensorProto.external_data"))
        external[key] = value
      case 14: dataLocation = try reader.int(field, "TensorProto.data_location")
      default: try reader.skip(field)
      }
    }
    let label = TensorLabel(kind: kind, name: name)
    let count = try Self.checkedElementCount(dims, label: label, offset: dimsOffset)
    let dataType = DataType(onnxCode: typeCode) ?? .undefined

    var constant = ConstantTensor(dataType: dataType, dims: dims)
    if dataLocation == 1 || !external.isEmpty {
      try Self.checkLocation(external["location"], label: label, offset: externalOffset)
    } else {
      constant.values = try values(of: payload, dataType: dataType, count: count, label: label)
    }
    return ONNXTensor(name: name, constant: constant)
  }

  /// Decodes a `SparseTensorProto` (values 1, indices 2, dims 3) as the dense
  /// tensor it stands for: dims and type only.
  func sparseTensor(in range: Range<Int>, kind: String) throws(ProtobufError) -> ONNXTensor {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var values: ONNXTensor?
    var dims: [Int] = []
    var dimsOffset = range.lowerBound
    while let field = try reader.nextField() {
      switch field.number {
      case 1: values = try tensor(in: try reader.message(field, "SparseTensorProto.values"), kind: kind)
      case 3:
        if dims.isEmpty { dimsOffset = field.offset }
        try reader.appendInts(field, "SparseTensorProto.dims", to: &dims)
      default: try reader.skip(field)
      }
    }
    let name = values?.name ?? ""
    _ = try Self.checkedElementCount(dims, label: TensorLabel(kind: "sparse \(kind)", name: name), offset: dimsOffset)
    return ONNXTensor(
      name: name, constant: ConstantTensor(dataType: values?.constant.dataType ?? .undefined, dims: dims))
  }

  /// The product of `dims`, refusing negative dims and absurd sizes.
  static func checkedElementCount(_ dims: [Int], label: TensorLabel, offset: Int) throws(ProtobufError) -> Int {
    var count = 1
    for dim in dims {
      guard dim >= 0 else {
        throw ProtobufError(offset: offset, field: "TensorProto.dims", "\(label) has a negative dim in \(dims)")
      }
      let (product, overflow) = count.multipliedReportingOverflow(by: dim)
      guard !overflow, product <= elementLimit else {
        throw ProtobufError(
          offset: offset, field: "TensorProto.dims", "\(label) has dims \(dims): more than 2^40 elements")
      }
      count = product
    }
    return count
  }

  /// Refuses an external data location that is missing, absolute, or leaves the
  /// model's directory through `..`. The file itself is never opened.
  static func checkLocation(_ location: String?, label: TensorLabel, offset: Int) throws(ProtobufError) {
    guard let location, !location.isEmpty else {
      throw ProtobufError(
        offset: offset, field: "TensorProto.external_data", "\(label) stores its data externally but names no location")
    }
    let components = location.split(whereSeparator: { $0 == "/" || $0 == "\\" })
    let isAbsolute =
      location.hasPrefix("/") || location.hasPrefix("\\") || location.dropFirst().hasPrefix(":")
    guard !isAbsolute, !components.contains("..") else {
      throw ProtobufError(
        offset: offset, field: "TensorProto.external_data",
        "\(label) points its data at '\(location)'; only relative paths without '..'"
          + " (inside the model's directory) are allowed")
    }
  }
}
