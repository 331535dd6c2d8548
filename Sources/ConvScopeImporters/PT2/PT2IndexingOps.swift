import ConvScopeCore

/// Indexing, reductions and tensor creation: `aten.embedding(weight, indices)` and
/// `aten.index_select` → `Gather` (the table counts as parameters where it is one),
/// `aten.select(dim, index)` → `Gather` of a scalar index (the axis goes), `aten.slice` →
/// `Slice`, `aten.index` with one index tensor → `Gather`, `aten.masked_fill` → `Where`,
/// `aten.fill` → `Expand` of the value, `aten.mean` / `sum` / `amax` / `amin` → `ReduceMean` / `ReduceSum` / `ReduceMax` /
/// `ReduceMin` (a spatial mean kept as `GlobalAveragePool`, see ``reduce(_:_:)``), and `aten.zeros` / `ones` / `full` / `empty` (a known size) or their `_like`
/// forms → `ConstantOfShape` (a made value, never a parameter).
enum PT2IndexingOps {
  /// Built from dictionary literals and factories only (see ``PT2ElementwiseOps/mappings``).
  static let mappings: [String: PT2Mapping] = Dictionary(
    uniqueKeysWithValues: ["mean": "ReduceMean", "sum": "ReduceSum", "amax": "ReduceMax", "amin": "ReduceMin"].map {
      ("aten.\($0.key)", reduction($0.value))
    }
      + ["zeros", "ones", "full", "empty", "new_zeros", "new_ones", "new_full", "new_empty"].map {
        ("aten.\($0)", constantOfKnownShape)
      } + ["zeros_like", "ones_like", "full_like", "empty_like"].map { ("aten.\($0)", constantLike) }
  ).merging(named) { first, _ in first }

  private static let named: [String: PT2Mapping] = [
    "aten.embedding": { e throws(ConvScopeError) in
      e.finish("Gather", [try e.tensor("weight"), try e.tensor("indices")], ["axis": .int(0)])
    },
    "aten.index_select": { e throws(ConvScopeError) in
      let axis = try e.int("dim")
      e.finish("Gather", [try e.tensor("self"), try e.tensor("index")], ["axis": .int(axis)])
    },
    "aten.select": { e throws(ConvScopeError) in
      let index = e.constant("index", .scalar(try e.int("index")))
      e.finish("Gather", [try e.tensor("self"), index], ["axis": .int(try e.int("dim"))])
    },
    "aten.slice": slice,
    "aten.index": index,
    "aten.masked_fill": { e throws(ConvScopeError) in
      let input = try e.tensor("self")
      let mask = try e.tensor("mask")
      let value = try PT2ElementwiseOps.operand(&e, "value", "value")
      e.finish("Where", [mask, value, input])
    },
    "aten.fill": { e throws(ConvScopeError) in
      let shape = e.emit("Shape", [try e.tensor("self")])
      let value = try PT2ElementwiseOps.operand(&e, "value", "value")
      e.finish("Expand", [value, shape])
    },
  ]

  /// `x[..., idx]` with one index tensor after leading full slices (`None`) is a `Gather` on
  /// that axis (a relative-position table read by its index); other advanced indexing stays
  /// an ATen node.
  static func index(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("self")
    var indices: [String?] = []
    switch e.argument("indices")?.value {
    case .optionalTensors(let list): indices = list
    case .tensors(let list): indices = list
    default: break
    }
    guard let axis = indices.firstIndex(where: { $0 != nil }), indices.compactMap({ $0 }).count == 1,
      let chosen = indices[axis]
    else {
      e.keepAsATen()
      return
    }
    e.finish("Gather", [input, chosen], ["axis": .int(axis)])
  }

  static func constantLike(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let shape = e.emit("Shape", [try e.tensor("self")])
    e.finish("ConstantOfShape", [shape])
  }

  /// The mapping of an ATen reduction onto `op`.
  static func reduction(_ op: String) -> PT2Mapping {
    { (e: inout PT2Emitter) throws(ConvScopeError) -> Void in try reduce(&e, op) }
  }

  static func slice(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let bounds = [
      try e.int("start", default: 0), try e.int("end", default: Int.max), try e.int("dim", default: 0),
      try e.int("step", default: 1),
    ]
    let inputs = zip(["starts", "ends", "axes", "steps"], bounds).map { e.ints(constant: $0, [$1]) }
    e.finish("Slice", [input] + inputs)
  }

  /// A reduction; `mean(x, [-1, -2], keepdim=True)` over every spatial axis of an `[N, C, ...]`
  /// tensor is what the Core ATen decomposition makes of `adaptive_avg_pool2d(x, 1)`, and is
  /// read as the `GlobalAveragePool` torch.onnx exports for it (the same values and cost; tools
  /// that count adaptive pooling, as fvcore does, count it).
  static func reduce(_ e: inout PT2Emitter, _ op: String) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let keep = try e.bool("keepdim", default: false)
    var axes: [Int] = []
    switch e.argument("dim")?.value {
    case .ints(let list): axes = list
    case .int(let axis): axes = [axis]
    default: break
    }
    let rank = try e.rank(of: input)
    var resolved: Set<Int> = []
    for axis in axes { resolved.insert(try e.axis(axis, rank: rank, argument: "dim")) }
    if op == "ReduceMean", keep, rank >= 3, resolved == Set(2..<rank) {
      e.finish("GlobalAveragePool", [input])
      return
    }
    var inputs = [input]
    if !axes.isEmpty { inputs.append(e.ints(constant: "axes", axes)) }
    e.finish(op, inputs, ["keepdims": .int(keep ? 1 : 0)])
  }

  static func constantOfKnownShape(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let output = try e.outputShape()
    var sizes: [Int] = []
    for dim in output.dims {
      guard let size = dim.value else {
        e.keepAsATen()
        return
      }
      sizes.append(size)
    }
    e.finish("ConstantOfShape", [e.ints(constant: "shape", sizes)])
  }
}
