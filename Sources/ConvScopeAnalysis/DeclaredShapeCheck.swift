import ConvScopeCore

/// Cross-checks inferred shapes against the ones the file declares (`Graph/valueInfo`: ONNX
/// `value_info`, a `.pt2`'s `tensor_values`, TFLite's stored shapes): a disagreement becomes a
/// warning on the layer. The check runs only when the inputs are analysed as the file declares
/// them (its symbols bound, no fixed size replaced by `--batch` or `--input-shape`): the
/// declared shapes are those of that input.
struct DeclaredShapeCheck {
  /// The size each of the inputs' symbols was bound to.
  let symbols: [String: Int]

  /// The check for `graph` analysed with `bound` inputs; nil where it does not apply.
  init?(graph: Graph, bound: [TensorInfo]) {
    guard !graph.valueInfo.isEmpty, graph.inputs.count == bound.count else { return nil }
    var symbols: [String: Int] = [:]
    for (declared, input) in zip(graph.inputs, bound) {
      guard declared.shape.rank == input.shape.rank else { return nil }
      for (dim, size) in zip(declared.shape.dims, input.shape.dims) {
        switch (dim, size.value) {
        case (.fixed(let fixed), let given?) where fixed != given: return nil
        case (.symbolic(let name), let given?) where !name.isEmpty:
          if let other = symbols[name], other != given { return nil }
          symbols[name] = given
        default: continue
        }
      }
    }
    self.symbols = symbols
  }

  /// A warning when `inferred` disagrees with `declared`: another rank, or a dim whose size
  /// both give (a bound symbol counts as its size) and that differs.
  /// Shapes are written as `layout` shows them.
  func warning(output: String, declared: Shape, inferred: Shape, layout: TensorLayout) -> String? {
    guard declared.rank == inferred.rank else {
      return "\(output): the file declares \(layout.display(declared)) (rank \(declared.rank)), inference gives "
        + "\(layout.display(inferred))"
    }
    for (dim, size) in zip(declared.dims, inferred.dims) {
      var expected = dim.value
      if case .symbolic(let name) = dim { expected = symbols[name] }
      if let expected, let size = size.value, expected != size {
        return "\(output): the file declares \(layout.display(declared)), inference gives \(layout.display(inferred))"
      }
    }
    return nil
  }
}

extension DeclaredShapeCheck {
  /// A line for each input symbol bound outside the range the file allows it
  /// (``Graph/symbolRanges``): the analysis goes on, the program may not hold there.
  static func rangeNotes(graph: Graph, bound: [TensorInfo]) -> [String] {
    var notes: [String] = []
    for (declared, input) in zip(graph.inputs, bound) where declared.shape.rank == input.shape.rank {
      for (dim, size) in zip(declared.shape.dims, input.shape.dims) {
        guard case .symbolic(let name) = dim, let range = graph.symbolRanges[name], let value = size.value,
          !range.contains(value)
        else { continue }
        notes.append(
          "\(input.name): \(name) = \(value) is outside the range the model was exported for, "
            + "\(range.lowerBound)...\(range.upperBound)")
      }
    }
    return notes
  }
}
