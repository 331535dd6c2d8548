import ConvScopeCore

/// Indexing, reductions and tensor creation: `aten.embedding(weight, indices)` and
/// `aten.index_select` → `Gather` (the table counts as parameters where it is one),
/// `aten.select(dim, index)` → `Gather` of a scalar index (the axis goes), `aten.slice` →
/// `Slice`, `aten.mean` / `sum` / `amax` / `amin` → `ReduceMean` / `ReduceSum` / `ReduceMax` /
/// `ReduceMin`, and `aten.zeros` / `ones` / `full` / `empty` (a known size) or their `_like`
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
  ]

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

  static func reduce(_ e: inout PT2Emitter, _ op: String) throws(ConvScopeError) {
    let input = try e.tensor("self")
    var inputs = [input]
    if case .ints(let axes) = e.argument("dim")?.value, !axes.isEmpty { inputs.append(e.ints(constant: "axes", axes)) }
    if case .int(let axis) = e.argument("dim")?.value { inputs.append(e.ints(constant: "axes", [axis])) }
    e.finish(op, inputs, ["keepdims": .int(try e.bool("keepdim", default: false) ? 1 : 0)])
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
