import ConvScopeCore

/// Finds the tied weights an exporter stored twice: an embedding table `[V, D]` that a
/// `Gather` reads and its transposed copy `[D, V]` stored for the output head. ONNX cannot
/// say two tensors share storage, so both are stored and both count as parameters (the file
/// holds both); the report says so, which is why a PyTorch model with tied embeddings shows
/// more parameters than `sum(p.numel())`.
enum TiedWeightCopies {
  /// One note per embedding table whose transpose is also stored in `graph`.
  static func notes(in graph: Graph, registry: OpRegistry) -> [String] {
    var tables: [String] = []
    for index in graph.nodes.indices {
      // The op first: its type is short and the rule table small, where a tensor name is long
      // and the initializers many.
      let (domain, op) = (graph.nodes[index].domain, graph.nodes[index].opType)
      guard registry.rule(domain: domain, opType: op)?.family(of: op) == .dataMovement(.gather),
        let table = graph.nodes[index].inputs.first, graph.initializers[table] != nil
      else { continue }
      tables.append(table)
    }
    guard !tables.isEmpty else { return [] }  // no table: the stored tensors need no sorting
    var byDims: [[Int]: String] = [:]
    for (name, tensor) in graph.initializers.sorted(by: { $0.key < $1.key }) where tensor.dims.count == 2 {
      byDims[tensor.dims] = byDims[tensor.dims] ?? name
    }
    var notes: [String] = []
    for table in Set(tables).sorted() {
      guard let dims = graph.initializers[table]?.dims, dims.count == 2, dims[0] != dims[1],
        let copy = byDims[[dims[1], dims[0]]]
      else { continue }
      notes.append(
        "'\(table)' \(Shape(dims)) and '\(copy)' \(Shape([dims[1], dims[0]])) are both stored: likely a tied"
          + " embedding and the transposed copy an exporter writes for the output head; both count, as the file"
          + " stores them")
    }
    return notes
  }
}
