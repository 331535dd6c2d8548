import ConvScopeCore
import ConvScopeReport

/// Binds the graph inputs' symbolic dims to sizes: from `--input-shape` first,
/// then a symbolic leading dim to `--batch` (default 1); any other symbolic dim
/// is an error that says how to bind it. `--batch` also replaces a leading dim the
/// model fixed (an export at batch 1), and says so.
enum SymbolBinding {
  /// The graph inputs with every dim fixed, a line per assumption made, and the
  /// declared batch that `--batch` replaced, if it replaced a fixed one.
  static func bind(_ inputs: [TensorInfo], options: AnalysisOptions) throws(ConvScopeError) -> (
    inputs: [TensorInfo], assumptions: [String], replacedFixedBatch: Int?
  ) {
    var bound: [TensorInfo] = []
    var assumptions: [String] = []
    var replacedFixedBatch: Int?
    let named = Set(inputs.map(\.name))
    for key in options.inputShapes.keys where !key.isEmpty && !named.contains(key) {
      let known = inputs.map(\.name).joined(separator: ", ")
      throw ConvScopeError(
        file: options.sourceName, field: RequestField.inputShapes.rawValue,
        message: "no input named '\(key)'; the inputs are: \(known)")
    }
    if options.inputShapes[""] != nil && inputs.count != 1 {
      throw ConvScopeError(
        file: options.sourceName, field: RequestField.inputShapes.rawValue,
        message: "the model has \(inputs.count) inputs; name one: NAME=1x3x224x224")
    }
    for var input in inputs {
      if let given = options.inputShapes[input.name] ?? (inputs.count == 1 ? options.inputShapes[""] : nil) {
        if input.shape.rank != given.rank && input.shape.rank != 0 {
          throw ConvScopeError(
            file: options.sourceName, layer: input.name, field: RequestField.inputShapes.rawValue,
            message:
              "shape \(given) has rank \(given.rank), but the input is declared \(input.shape) (rank \(input.shape.rank))"
              + withBatchHint(given, declared: input.shape))
        }
        input.shape = given
      }
      for axis in 0..<input.shape.rank {
        switch input.shape.dims[axis] {
        case .fixed(let v) where v < 0:
          throw ConvScopeError(
            file: options.sourceName, layer: input.name, field: "shape",
            message: "dim \(axis) is \(v); sizes must not be negative")
        case .fixed(let declared):
          if axis == 0, let batch = options.batch, input.shape.rank > 1, declared != batch {
            input.shape.dims[0] = .fixed(batch)
            replacedFixedBatch = declared
            assumptions.append("\(input.name): batch \(declared) replaced by \(batch) (batch asked for)")
          }
        case .symbolic(let name) where axis == 0:
          let batch = options.batch ?? 1
          input.shape.dims[0] = .fixed(batch)
          let symbol = name.isEmpty ? "unnamed batch dim" : name
          assumptions.append(
            "\(input.name): \(symbol) = \(batch) (\(options.batch == nil ? "default batch" : "batch asked for"))")
        case .symbolic(let name):
          throw ConvScopeError(
            file: options.sourceName, layer: input.name, field: RequestField.inputShapes.rawValue,
            message:
              "dim \(axis) ('\(name.isEmpty ? "?" : name)') is unknown; give its size in the input's shape: "
              + "--input-shape \(input.name)=\(argument(input))")
        }
      }
      if let type = options.dataType, input.dataType.isFloatingPoint { input.dataType = type }
      bound.append(input)
    }
    return (bound, assumptions, replacedFixedBatch)
  }

  /// The input's shape as `--input-shape` reads it: each symbolic dim as a symbol name
  /// (an unnamed one as `<input>_dim<axis>`), separated by `x`, or by commas when a name holds
  /// an `x` or `X`, which would split it: `image` declared `1x3xHxW` gives `1x3xHxW`; `x`
  /// declared `1x3x?x?` gives `1,3,x_dim2,x_dim3`.
  static func argument(_ input: TensorInfo) -> String {
    let parts = input.shape.dims.enumerated().map { axis, dim in
      switch dim {
      case .fixed(let size): String(size)
      case .symbolic(let name): Dim.symbolName(from: name.isEmpty ? "\(input.name)_dim\(axis)" : name)
      }
    }
    let separator = parts.contains { $0.contains("x") || $0.contains("X") } ? "," : "x"
    return parts.joined(separator: separator)
  }

  /// For a shape one dim short of the declared rank (the batch left out), the shape
  /// with the declared batch dim put back, as a suggestion.
  private static func withBatchHint(_ given: Shape, declared: Shape) -> String {
    guard given.rank + 1 == declared.rank, let batch = declared.dims.first else { return "" }
    return "; with its batch dim: \(Shape([batch] + given.dims))"
  }
}
