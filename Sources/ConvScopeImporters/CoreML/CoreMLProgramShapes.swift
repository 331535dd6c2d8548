import ConvScopeCore

/// ML Program operations that move, combine or reduce tensors (``CoreMLProgramOps`` lists them).
enum CoreMLProgramShapes {
  /// `reduce_*(x, axes, keep_dims)` → the ONNX reduction with the axes as input 1 (all axes when
  /// absent). `reduce_mean` over H and W of an NCHW tensor, which is how a converter writes an
  /// adaptive average pool to 1x1, is GlobalAveragePool (+ a Reshape to `[N, C]` without
  /// `keep_dims`), as the ONNX export of the same model has it.
  static func reduce(_ op: String) -> CoreMLOperationMapping {
    { (c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] in
      let x = try c.tensor("x")
      let keep = try c.int("keep_dims", default: 0)
      guard let axes = c.value("axes") != nil ? try c.ints("axes") : nil else {
        return [c.node(op, [x], ["keepdims": .int(keep)])]
      }
      let rank = try c.rank("x")
      if op == "ReduceMean", rank == 4, Set(axes.map { $0 < 0 ? $0 + rank : $0 }) == [2, 3] {
        let pooled = c.node("GlobalAveragePool", [x])
        return [keep != 0 ? pooled : c.node("Reshape", [pooled, c.int64s("shape", [0, 0])], helper: true)]
      }
      return [c.node(op, [x, c.int64s("axes", axes)], ["keepdims": .int(keep)])]
    }
  }

  /// `softmax(x, axis)` → Softmax.
  static func softmax(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    [c.node("Softmax", [try c.tensor("x")], ["axis": .int(try c.int("axis", default: -1))])]
  }

  /// `concat(values, axis, interleave)` → Concat (an interleaved concat has the same shape).
  static func concat(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let axis = try c.int("axis", default: 0)
    return [c.node("Concat", try c.tensors("values"), ["axis": .int(axis)])]
  }

  /// `reshape(x, shape)` → Reshape by the constant shape, else by the declared output dims,
  /// else by the shape tensor computed at run time.
  static func reshape(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let x = try c.tensor("x")
    if let shape = try c.required("shape").ints {
      return [c.node("Reshape", [x, c.int64s("shape", shape)])]
    }
    if let dims = c.outputs.first?.dims, dims.allSatisfy({ $0.value != nil }) {
      return [c.node("Reshape", [x, c.int64s("shape", dims.compactMap(\.value))])]
    }
    return [c.node("Reshape", [x, try c.tensor("shape")])]
  }

  /// `transpose(x, perm)` → Transpose.
  static func transpose(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    [c.node("Transpose", [try c.tensor("x")], ["perm": .ints(try c.ints("perm"))])]
  }

  /// `squeeze(x, axes)` / `expand_dims(x, axes)` → Squeeze / Unsqueeze with the axes as input 1.
  static func axes(_ op: String) -> CoreMLOperationMapping {
    { (c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] in
      var inputs = [try c.tensor("x")]
      if c.value("axes") != nil { inputs.append(c.int64s("axes", try c.ints("axes"))) }
      return [c.node(op, inputs)]
    }
  }

  /// `cast(x, dtype)` → Cast to the named type (`fp16`, `fp32`, `int32`...).
  static func cast(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let codes = [
      "fp16": 10, "fp32": 1, "fp64": 11, "int8": 3, "uint8": 2, "int16": 5, "int32": 6, "int64": 7, "bool": 9,
    ]
    let name = c.string("dtype", default: "fp32")
    guard let code = codes[name] else { throw c.error("dtype", "unknown element type '\(name)'") }
    return [c.node("Cast", [try c.tensor("x")], ["to": .int(code)])]
  }

  /// `pad(x, pad, mode, constant_val)` → Pad. MIL pads the last `pad.count / 2` axes, each as
  /// (begin, end); ONNX lists every axis' begin, then every end.
  static func pad(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let rank = try c.rank("x")
    let pad = try c.ints("pad")
    guard pad.count % 2 == 0, pad.count / 2 <= rank else {
      throw c.error("pad", "gives \(pad.count) values for a rank-\(rank) tensor")
    }
    var begins = Array(repeating: 0, count: rank)
    var ends = begins
    for index in 0..<(pad.count / 2) {
      begins[rank - pad.count / 2 + index] = pad[2 * index]
      ends[rank - pad.count / 2 + index] = pad[2 * index + 1]
    }
    let modes = ["constant": "constant", "reflect": "reflect", "replicate": "edge"]
    let mode = modes[c.string("mode", default: "constant")] ?? "constant"
    return [c.node("Pad", [try c.tensor("x"), c.int64s("pads", begins + ends)], ["mode": .string(mode)])]
  }

  /// `upsample_*(x, scale_factor_height, scale_factor_width)` → Resize of the last two axes.
  static func upsample(_ mode: String) -> CoreMLOperationMapping {
    { (c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] in
      let rank = try c.rank("x")
      guard rank >= 2 else { throw c.error("x", "upsamples a tensor of rank \(rank)") }
      let scales =
        Array(repeating: 1.0, count: rank - 2) + [
          try c.float("scale_factor_height", default: 1), try c.float("scale_factor_width", default: 1),
        ]
      return [c.node("Resize", [try c.tensor("x"), "", c.floats("scales", scales)], ["mode": .string(mode)])]
    }
  }
}
