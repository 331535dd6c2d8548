/// Binds the graph inputs' symbolic dims to sizes: from `--input-shape` first,
/// then a symbolic leading dim to `--batch` (default 1); any other symbolic dim
/// is an error that says how to bind it.
enum SymbolBinding {
  /// The graph inputs with every dim fixed, and a line per assumption made.
  static func bind(_ inputs: [TensorInfo], options: AnalysisOptions) throws(ConvScopeError) -> (
    inputs: [TensorInfo], assumptions: [String]
  ) {
    var bound: [TensorInfo] = []
    var assumptions: [String] = []
    let named = Set(inputs.map(\.name))
    for key in options.inputShapes.keys where !key.isEmpty && !named.contains(key) {
      let known = inputs.map(\.name).joined(separator: ", ")
      throw ConvScopeError(
        file: options.sourceName, field: "--input-shape",
        message: "no input named '\(key)'; the inputs are: \(known)")
    }
    if options.inputShapes[""] != nil && inputs.count != 1 {
      throw ConvScopeError(
        file: options.sourceName, field: "--input-shape",
        message: "the model has \(inputs.count) inputs; name one: NAME=1x3x224x224")
    }
    for var input in inputs {
      if let given = options.inputShapes[input.name] ?? (inputs.count == 1 ? options.inputShapes[""] : nil) {
        if input.shape.rank != given.rank && input.shape.rank != 0 {
          throw ConvScopeError(
            file: options.sourceName, layer: input.name, field: "--input-shape",
            message: "shape \(given) has rank \(given.rank), but the input is declared \(input.shape) (rank \(input.shape.rank))")
        }
        input.shape = given
      }
      for axis in 0..<input.shape.rank {
        switch input.shape.dims[axis] {
        case .fixed(let v) where v < 0:
          throw ConvScopeError(
            file: options.sourceName, layer: input.name, field: "shape",
            message: "dim \(axis) is \(v); sizes must not be negative")
        case .fixed:
          if axis == 0, let batch = options.batch, input.shape.rank > 1, options.inputShapes[input.name] == nil {
            input.shape.dims[0] = .fixed(batch)
          }
        case .symbolic(let name) where axis == 0:
          let batch = options.batch ?? 1
          input.shape.dims[0] = .fixed(batch)
          let symbol = name.isEmpty ? "unnamed batch dim" : name
          assumptions.append("\(input.name): \(symbol) = \(batch) (\(options.batch == nil ? "default batch" : "--batch"))")
        case .symbolic(let name):
          throw ConvScopeError(
            file: options.sourceName, layer: input.name, field: "shape",
            message: "dim \(axis) ('\(name.isEmpty ? "?" : name)') is unknown; give it with --input-shape \(input.name)=\(input.shape)")
        }
      }
      if let type = options.dataType, input.dataType.isFloatingPoint { input.dataType = type }
      bound.append(input)
    }
    return (bound, assumptions)
  }
}
