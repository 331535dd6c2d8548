import ConvScopeCore

/// Views and data movement: `aten.view` / `reshape` / `_unsafe_view` / `unflatten` / `flatten`
/// → `Reshape` (or `Flatten(axis = 1)` for torch's usual `flatten(x, 1)`), `aten.permute` /
/// `transpose` / `swapaxes` / `t` → `Transpose`, `aten.pad` / `constant_pad_nd` → `Pad`,
/// `aten.roll` → `Identity` (a data movement without arithmetic, of the same shape; its values
/// are never needed), `aten.unsqueeze` / `squeeze` → `Unsqueeze` / `Squeeze`,
/// `aten.cat` → `Concat`, `aten.split` / `split_with_sizes` / `chunk` → `Split`, `aten.expand` → `Expand`.
/// A target size torch gives as a symbol (a dynamic batch) is read from the declared output:
/// a size equal to the input's at the same axis is ONNX's 0 (copy), the one other unknown -1.
enum PT2ShapeOps {
  static let mappings: [String: PT2Mapping] = [
    "aten.view": reshape,
    "aten.reshape": reshape,
    "aten._unsafe_view": reshape,
    "aten.unflatten": reshape,
    "aten.flatten": flatten,
    "aten.permute": { e throws(ConvScopeError) in
      e.finish("Transpose", [try e.tensor("self")], ["perm": .ints(try e.ints("dims"))])
    },
    "aten.transpose": transpose,
    "aten.swapaxes": transpose,
    "aten.pad": pad,
    "aten.constant_pad_nd": pad,
    "aten.roll": { e throws(ConvScopeError) in e.finish("Identity", [try e.tensor("self")]) },
    "aten.t": { e throws(ConvScopeError) in
      let input = try e.tensor("self")
      let perm = try e.rank(of: input) == 2 ? [1, 0] : Array(0..<(try e.rank(of: input)))
      e.finish("Transpose", [input], ["perm": .ints(perm)])
    },
    "aten.unsqueeze": { e throws(ConvScopeError) in
      let axes = e.ints(constant: "axes", [try e.int("dim")])
      e.finish("Unsqueeze", [try e.tensor("self"), axes])
    },
    "aten.squeeze": squeeze,
    "aten.cat": { e throws(ConvScopeError) in
      e.finish("Concat", try e.tensors("tensors"), ["axis": .int(try e.int("dim", default: 0))])
    },
    "aten.concat": { e throws(ConvScopeError) in
      e.finish("Concat", try e.tensors("tensors"), ["axis": .int(try e.int("dim", default: 0))])
    },
    "aten.split": split,
    "aten.split_with_sizes": split,
    "aten.chunk": split,
    "aten.expand": expand,
  ]

  /// The ONNX `Reshape` target: the literal sizes when torch gives them, else the declared
  /// output with copies (0) and one inferred size (-1) for the symbolic dims.
  static func reshapeTarget(_ e: PT2Emitter, input: String, sizes name: String?) throws(ConvScopeError) -> [Int] {
    if let name, let literal = try? e.ints(name), !literal.contains(0) { return literal }
    let output = try e.outputShape()
    let given = try e.shape(of: input)
    var target: [Int] = []
    for (axis, dim) in output.dims.enumerated() {
      if let size = dim.value {
        target.append(size)
      } else if axis < given.rank, given.dims[axis] == dim, dim != .unknown {
        target.append(0)
      } else {
        target.append(-1)
      }
    }
    guard target.filter({ $0 == -1 }).count <= 1 else {
      throw e.error("the target shape \(output) has more than one size that is neither known nor the input's")
    }
    return target
  }

  static func reshape(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let sizes = e.argument("size") != nil ? "size" : (e.argument("shape") != nil ? "shape" : nil)
    let target = e.ints(constant: "shape", try reshapeTarget(e, input: input, sizes: sizes))
    e.finish("Reshape", [input, target])
  }

  static func flatten(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let rank = try e.rank(of: input)
    let start = try e.axis(try e.int("start_dim", default: 0), rank: rank, argument: "start_dim")
    let end = try e.axis(try e.int("end_dim", default: -1), rank: rank, argument: "end_dim")
    if start == 1, end == rank - 1 {
      e.finish("Flatten", [input], ["axis": .int(1)])
      return
    }
    let target = e.ints(constant: "shape", try reshapeTarget(e, input: input, sizes: nil))
    e.finish("Reshape", [input, target])
  }

  static func transpose(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let rank = try e.rank(of: input)
    var perm = Array(0..<rank)
    let names = e.argument("axis0") == nil ? ("dim0", "dim1") : ("axis0", "axis1")
    let first = try e.axis(try e.int(names.0), rank: rank, argument: names.0)
    let second = try e.axis(try e.int(names.1), rank: rank, argument: names.1)
    if rank > 0 { perm.swapAt(first, second) }
    e.finish("Transpose", [input], ["perm": .ints(perm)])
  }

  /// torch's `pad` lists (begin, end) pairs from the last axis backwards; ONNX's `pads` all
  /// begins, then all ends, from the first axis.
  static func pad(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let rank = try e.rank(of: input)
    let pairs = try e.ints("pad")
    guard pairs.count % 2 == 0, pairs.count / 2 <= rank else {
      throw e.error(
        "expected (begin, end) pairs for at most \(rank) axes, found \(pairs.count) values", argument: "pad")
    }
    var begins = Array(repeating: 0, count: rank)
    var ends = begins
    for pair in 0..<(pairs.count / 2) {
      begins[rank - 1 - pair] = pairs[2 * pair]
      ends[rank - 1 - pair] = pairs[2 * pair + 1]
    }
    let mode = e.string("mode") ?? "constant"
    guard ["constant", "reflect", "replicate", "circular"].contains(mode) else {
      throw e.error("unknown padding mode '\(mode)'", argument: "mode")
    }
    let onnxMode = ["replicate": "edge", "circular": "wrap"][mode] ?? mode
    e.finish("Pad", [input, e.ints(constant: "pads", begins + ends)], ["mode": .string(onnxMode)])
  }

  /// torch's squeeze leaves an axis whose size is not 1; ONNX's refuses it, so only the
  /// declared size-1 axes are named.
  static func squeeze(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let shape = try e.shape(of: input)
    var axes: [Int]
    switch e.argument("dim")?.value {
    case .int(let axis): axes = [try e.axis(axis, rank: shape.rank, argument: "dim")]
    case .ints(let list):
      axes = []
      for axis in list { axes.append(try e.axis(axis, rank: shape.rank, argument: "dim")) }
    default: axes = Array(0..<shape.rank)
    }
    axes = axes.filter { shape.dims[$0] == .fixed(1) }
    e.finish("Squeeze", [input, e.ints(constant: "axes", axes)])
  }

  static func split(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let shape = try e.shape(of: input)
    let axis = try e.axis(try e.int("dim", default: 0), rank: shape.rank, argument: "dim")
    var sizes: [Int]
    if e.argument("split_sizes") != nil {
      sizes = try e.ints("split_sizes")
    } else {
      let chunks = e.argument("chunks") != nil
      let given = try e.int(chunks ? "chunks" : "split_size")
      guard given > 0, let total = shape.dims[axis].value else {
        throw e.error("split needs a positive split_size or chunks and a known size along dim \(axis)")
      }
      // `chunk(chunks)` splits into pieces of ceil(size / chunks), as `split(split_size)` does.
      let piece = chunks ? total / given + (total % given == 0 ? 0 : 1) : given
      let count = piece == 0 ? 0 : total / piece + (total % piece == 0 ? 0 : 1)
      let expected = e.node.outputs.flatMap(PT2GraphBuilder.tensorNames).count
      guard count == expected else {
        throw e.error("splitting \(total) into pieces of \(piece) makes \(count), but the node has \(expected) outputs")
      }
      sizes = (0..<count).map { min(piece, total - $0 * piece) }
    }
    let outputs = e.emit("Split", [input, e.ints(constant: "split", sizes)], ["axis": .int(axis)], count: sizes.count)
    e.finish(outputs)
  }

  /// torch's -1 keeps a size; ONNX's `Expand` broadcasts, so a 1 does the same.
  static func expand(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let output = try e.outputShape()
    let target = output.dims.map { $0.value ?? 1 }
    e.finish("Expand", [input, e.ints(constant: "shape", target)])
  }
}
