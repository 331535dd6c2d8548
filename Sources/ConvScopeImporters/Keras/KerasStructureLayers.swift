import ConvScopeCore

/// Keras layers that combine, reshape or pass tensors through.
enum KerasStructureLayers {
  /// `Add`, `Multiply`, `Average`, `Maximum`... over two or more inputs. Add of more than two
  /// inputs becomes Sum and Multiply a chain of Mul; Mean, Max and Min take any number.
  /// Keras 3 writes an operation on a tensor and a number (`x + 3.0`, `x * (1 / 6)`) as the
  /// op's class (`Add`, `Multiply`, module `keras.src.ops.numpy`) with the number among its
  /// args: the number becomes a scalar constant operand, in its place.
  static func merge(_ op: String) -> KerasLayerMapping {
    { (c: inout KerasLayerContext) throws(ConvScopeError) -> [String] in
      var names = c.inputs.map(\.name)
      for (index, scalar) in c.scalars.positional.enumerated() where scalar.position <= names.count {
        names.insert(c.floats("operand\(index)", [scalar.value]), at: scalar.position)
      }
      guard names.count >= 2 else {
        throw c.layer.error("inbound_nodes", "\(c.layer.className) needs at least 2 inputs, got \(names.count)")
      }
      if names.count == 2 || ["Mean", "Max", "Min"].contains(op) { return [c.node(op, names)] }
      if op == "Add" { return [c.node("Sum", names)] }
      guard op == "Mul" else {
        throw c.layer.error("inbound_nodes", "\(c.layer.className) takes exactly 2 inputs, got \(names.count)")
      }
      var y = names[0]
      for name in names.dropFirst() { y = c.node(op, [y, name]) }
      return [y]
    }
  }

  /// `Concatenate(axis)` → Concat on the matching graph axis.
  static func concatenate(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let written = try c.layer.int("axis", default: -1)
    let axis = try c.graphAxis(written)
    if var shape = c.inputs.first?.shape, (-shape.count..<shape.count).contains(written) {
      // The concatenated axis is the sum of the inputs' (a channel count translation may need).
      let kerasAxis = written < 0 ? written + shape.count : written
      let sizes = c.inputs.compactMap { $0.shape.flatMap { kerasAxis < $0.count ? $0[kerasAxis].value : nil } }
      var total = Dim.unknown
      if sizes.count == c.inputs.count {
        do { total = .fixed(try Checked.sum(sizes)) } catch { throw c.layer.error("axis", error.message) }
      }
      shape[kerasAxis] = total
      c.produces(shape)
    }
    return [c.node("Concat", c.inputs.map(\.name), ["axis": .int(axis)])]
  }

  /// `Flatten` → Flatten(axis 1): `[N, ...]` to `[N, product]`.
  static func flatten(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let shape = try c.shape()
    c.produces(shape.count == 2 ? shape : [shape.first ?? .unknown, .unknown])
    return [c.node("Flatten", [try c.input().name], ["axis": .int(1)])]
  }

  /// `Reshape(target_shape)` → Reshape to `[batch, target...]` (batch copied, `-1` inferred),
  /// the target written in graph order.
  static func reshape(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let target = try c.layer.ints("target_shape", default: [])
    guard !target.isEmpty, target.allSatisfy({ $0 > 0 || $0 == -1 }), target.filter({ $0 == -1 }).count <= 1 else {
      throw c.layer.error("target_shape", "expected positive sizes with at most one -1, got \(target)")
    }
    let shape = c.ints("shape", c.axes.toGraph([0] + target))
    c.produces([c.inputs.first?.shape?.first ?? .unknown] + target.map { $0 < 0 ? Dim.unknown : .fixed($0) })
    return [c.node("Reshape", [try c.input().name, shape])]
  }

  /// `Permute(dims)` (1-based, batch excluded) → Transpose, the permutation rewritten for graph order.
  static func permute(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let dims = try c.layer.ints("dims", default: [])
    let rank = dims.count + 1
    let keras = [0] + dims
    guard keras.sorted() == Array(0..<rank) else {
      throw c.layer.error("dims", "expected a permutation of 1...\(rank - 1), got \(dims)")
    }
    let toGraph = c.axes.kerasToGraph(rank: rank)
    let toKeras = c.axes.graphToKeras(rank: rank)
    let perm = toGraph.map { toKeras[keras[$0]] }
    c.produces(c.inputs.first?.shape.flatMap { shape in shape.count == rank ? keras.map { shape[$0] } : nil })
    return [c.node("Transpose", [try c.input().name], ["perm": .ints(perm)])]
  }

  /// tf.keras' `TFOpLambda` (a TensorFlow function called on a Keras tensor, `x + 3.0`), for
  /// the arithmetic functions keras.applications use: `x` and `y` (a tensor or a number).
  static func operatorLambda(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let function = try c.layer.string("function", default: "")
    guard let op = lambdaOperators[function] else {
      throw c.layer.error(
        "function",
        "TFOpLambda '\(function)' runs a TensorFlow function ConvScope does not read; it reads "
          + lambdaOperators.keys.sorted().joined(separator: ", "))
    }
    let x = try c.input().name
    let y: String
    if let tensor = c.keywordInputs["y"] ?? c.inputs.dropFirst().first {
      y = tensor.name
    } else if let number = c.scalars.keyword["y"] ?? c.scalars.positional.first?.value {
      y = c.floats("y", [number])
    } else {
      throw c.layer.error("inbound_nodes", "TFOpLambda '\(function)' needs an operand y")
    }
    return [c.node(op, [x, y])]
  }

  /// The TensorFlow functions a `TFOpLambda` may call, and their ONNX ops.
  static let lambdaOperators: [String: String] = [
    "__operators__.add": "Add", "math.add": "Add", "math.multiply": "Mul", "math.subtract": "Sub",
    "math.truediv": "Div", "math.divide": "Div",
  ]

  /// Layers that do nothing at inference (Dropout, noise, Identity).
  static func passThrough(_ op: String) -> KerasLayerMapping {
    { (c: inout KerasLayerContext) throws(ConvScopeError) -> [String] in [c.node(op, [try c.input().name])] }
  }

  /// `Embedding(input_dim, output_dim)` → Gather rows of a `[input_dim, output_dim]` table.
  static func embedding(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let table = c.weight("embeddings", [try c.layer.count("input_dim"), try c.layer.count("output_dim")])
    let indices = try c.input()
    let width = try c.layer.count("output_dim")
    c.produces(indices.shape.map { $0 + [.fixed(width)] })
    let y = c.node("Gather", [table, indices.name], ["axis": .int(0)])
    return [c.fromKerasOrder(y, rank: (indices.shape?.count ?? 2) + 1)]
  }
}
