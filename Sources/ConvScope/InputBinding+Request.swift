import ConvScopeAnalysis
import ConvScopeCore

extension InputBinding {
  /// The analysis's input shapes for `request` on `graph`, in ONNX order, keyed by input name
  /// (`""` for the only input): each binding read in the layout the report shows, then every
  /// spatial axis set to `request.resolution`, if given.
  static func onnxShapes(_ request: AnalysisRequest, graph: Graph) throws(ConvScopeError) -> [String: Shape] {
    let declared = Dictionary(graph.inputs.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
    let only = graph.inputs.count == 1 ? graph.inputs.first?.shape : nil
    var shapes: [String: Shape] = [:]
    for binding in request.inputShapes {
      let input = binding.name.isEmpty ? only : declared[binding.name]
      if let input { try binding.checkBatchless(declared: input, layout: graph.layout, source: request.model.name) }
      shapes[binding.name] = input.map { binding.onnxShape(declared: $0, layout: graph.layout) } ?? binding.shape
    }
    guard let size = request.resolution else { return shapes }
    return try resized(shapes, graph: graph, to: size, source: request.model.name)
  }

  /// Refuses a shape one dim short of the declared rank whose channel count, read without the
  /// batch dim, contradicts the declared one (`1x224x224` for `1x3x224x224`): the user most likely
  /// left out the channels, not the batch, and the conv would fail far from the cause.
  func checkBatchless(declared: Shape, layout: TensorLayout, source: String) throws(ConvScopeError) {
    guard shape.rank + 1 == declared.rank, declared.rank >= 4, case .fixed(let channels) = declared.dims[1] else {
      return
    }
    let given = onnxShape(declared: declared, layout: layout).dims[1]
    guard case .fixed(let read) = given, read != channels else { return }
    throw ConvScopeError(
      source: source, .inputShapes,
      "shape \(shape) has rank \(shape.rank) but the input has rank \(declared.rank) (\(declared)); "
        + "read without its batch dim it has \(read) channels where the model declares \(channels): "
        + "give all \(declared.rank) dims")
  }

  /// `shapes` with every spatial axis (rank >= 3: all but N and C) of every input set to `size`.
  private static func resized(_ shapes: [String: Shape], graph: Graph, to size: Int, source: String)
    throws(ConvScopeError) -> [String: Shape]
  {
    var resized = shapes
    var found = false
    for input in graph.inputs {
      var shape = shapes[input.name] ?? (graph.inputs.count == 1 ? shapes[""] : nil) ?? input.shape
      guard shape.rank >= 3 else { continue }
      for axis in 2..<shape.rank { shape.dims[axis] = .fixed(size) }
      resized[input.name] = shape
      found = true
    }
    resized[""] = nil
    guard found else {
      throw ConvScopeError(source: source, .resolution, "the model has no input with spatial axes to resize")
    }
    return resized
  }
}
