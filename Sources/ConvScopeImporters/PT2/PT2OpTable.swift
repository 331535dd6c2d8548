import ConvScopeCore

/// How one ATen operator becomes ONNX nodes (see ``PT2Emitter``).
typealias PT2Mapping = @Sendable (inout PT2Emitter) throws(ConvScopeError) -> Void

/// Every mapped ATen operator, by its name without overload (`aten.conv2d`), gathered from
/// one table per family: each table's file says which ONNX op an operator becomes and why.
enum PT2OpTable {
  static let mappings: [String: PT2Mapping] = [
    PT2ConvolutionOps.mappings, PT2PoolingOps.mappings, PT2LinearOps.mappings, PT2NormalizationOps.mappings,
    PT2ElementwiseOps.mappings, PT2ShapeOps.mappings, PT2IndexingOps.mappings, PT2RecurrentOps.mappings,
  ].reduce(into: [:]) { table, family in table.merge(family) { first, _ in first } }
}
