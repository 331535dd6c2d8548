import ConvScopeCore

/// A declared value (`ValueInfoProto`): its name, element type, its shape when the file
/// gives one (nil: rank unknown, or a sequence or map), and what kind of value it is.
struct ONNXValueInfo: Sendable {
  var name: String
  var dataType: DataType
  var shape: Shape?
  var kind: ValueKind = .tensor

  /// As a core tensor; an unknown shape becomes rank 0, which the analyzer treats as "not declared".
  var tensorInfo: TensorInfo {
    TensorInfo(name: name, dataType: dataType, shape: shape ?? Shape([Dim]()), kind: kind)
  }

  /// As a graph input: each unknown dim named `<name>_dim<axis>` (as a symbol name,
  /// ``Dim/symbolName(from:)``), so that the binding error can name it and `--input-shape`
  /// can be given in its terms.
  var inputInfo: TensorInfo {
    var info = tensorInfo
    for axis in info.shape.dims.indices where info.shape.dims[axis] == .unknown {
      info.shape.dims[axis] = .symbolic(Dim.symbolName(from: "\(name)_dim\(axis)"))
    }
    return info
  }
}

extension ONNXDecoder {
  /// Decodes a `ValueInfoProto` (name 1, type 2).
  func valueInfo(in range: Range<Int>) throws(ProtobufError) -> ONNXValueInfo {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var info = ONNXValueInfo(name: "", dataType: .undefined, shape: nil)
    while let field = try reader.nextField() {
      switch field.number {
      case 1: info.name = try reader.string(field, "ValueInfoProto.name")
      case 2:
        (info.dataType, info.shape, info.kind) = try type(
          in: try reader.message(field, "ValueInfoProto.type"), depth: 0)
      default: try reader.skip(field)
      }
    }
    return info
  }

  /// Decodes a `TypeProto`: a tensor (tensor_type 1, sparse_tensor_type 8) gives its
  /// element type and shape. A sequence (sequence_type 4: elem_type 1) gives the element's
  /// type and the shape its elements are declared with when it is fixed; a map (map_type 5: value_type 2) the values' type and no shape, an
  /// optional (optional_type 9: elem_type 1) what is inside (a tensor's shape included);
  /// each its ``ValueKind``. An opaque type is nothing known.
  func type(in range: Range<Int>, depth: Int) throws(ProtobufError) -> (DataType, Shape?, ValueKind) {
    guard depth < Self.maxDepth else {
      throw ProtobufError(offset: range.lowerBound, field: "TypeProto", "types nested more than \(Self.maxDepth) deep")
    }
    var reader = ProtobufReader(bytes: bytes, range: range)
    var result: (DataType, Shape?, ValueKind) = (.undefined, nil, .tensor)
    while let field = try reader.nextField() {
      switch field.number {
      case 1, 8:
        let (dataType, shape) = try tensorType(in: try reader.message(field, "TypeProto.tensor_type"))
        result = (dataType, shape, .tensor)
      case 4, 5:
        let isSequence = field.number == 4
        let container = try reader.message(field, isSequence ? "TypeProto.sequence_type" : "TypeProto.map_type")
        let element = try containedType(in: container, field: isSequence ? 1 : 2, depth: depth)
        // A sequence keeps its elements' declared shape when it is fixed (one shape for all).
        let fixed = element.1.flatMap { $0.sizes == nil ? nil : $0 }
        result = (element.0, isSequence ? fixed : nil, isSequence ? .sequence : .map)
      case 9:
        let element = try containedType(
          in: try reader.message(field, "TypeProto.optional_type"), field: 1, depth: depth)
        result = (element.0, element.2 == .tensor ? element.1 : nil, .optional)
      default: try reader.skip(field)
      }
    }
    return result
  }

  /// The `TypeProto` in field `number` of a container type (`Sequence`, `Map`, `Optional`).
  private func containedType(in range: Range<Int>, field number: Int, depth: Int) throws(ProtobufError) -> (
    DataType, Shape?, ValueKind
  ) {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var result: (DataType, Shape?, ValueKind) = (.undefined, nil, .tensor)
    while let field = try reader.nextField() {
      if field.number == number {
        result = try type(in: try reader.message(field, "TypeProto.elem_type"), depth: depth + 1)
      } else {
        try reader.skip(field)
      }
    }
    return result
  }

  /// Decodes a `TypeProto.Tensor` (elem_type 1, shape 2).
  private func tensorType(in range: Range<Int>) throws(ProtobufError) -> (DataType, Shape?) {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var dataType = DataType.undefined
    var shape: Shape?
    while let field = try reader.nextField() {
      switch field.number {
      case 1: dataType = DataType(onnxCode: try reader.int(field, "TypeProto.Tensor.elem_type")) ?? .undefined
      case 2: shape = try self.shape(in: try reader.message(field, "TypeProto.Tensor.shape"))
      default: try reader.skip(field)
      }
    }
    return (dataType, shape)
  }

  /// Decodes a `TensorShapeProto` (dim 1: `Dimension` with dim_value 1 or dim_param 2).
  /// A negative dim_value (exporters write -1 for "dynamic"), an empty dim_param, or a
  /// dimension with neither is unknown; a dim_value 0 is a size (an empty tensor), as in
  /// the ONNX node tests.
  private func shape(in range: Range<Int>) throws(ProtobufError) -> Shape {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var dims: [Dim] = []
    while let field = try reader.nextField() {
      guard field.number == 1 else {
        try reader.skip(field)
        continue
      }
      var dimension = reader.reader(for: try reader.message(field, "TensorShapeProto.dim"))
      var dim = Dim.unknown
      while let part = try dimension.nextField() {
        switch part.number {
        case 1:
          let value = try dimension.int(part, "TensorShapeProto.Dimension.dim_value")
          guard value <= Self.elementLimit else {
            throw ProtobufError(
              offset: part.offset, field: "TensorShapeProto.Dimension.dim_value",
              "dim_value \(value) is more than 2^40")
          }
          dim = value < 0 ? .unknown : .fixed(value)
        case 2: dim = .symbolic(try dimension.string(part, "TensorShapeProto.Dimension.dim_param"))
        default: try dimension.skip(part)
        }
      }
      dims.append(dim)
    }
    return Shape(dims)
  }
}
