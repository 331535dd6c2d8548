import ConvScopeCore
import ConvScopeReport

/// How to analyse a graph: dims to bind, the element type to assume, the rules to use.
public struct AnalysisOptions: Sendable {
  /// Shapes for named inputs (`--input-shape image=1x3x224x224`); the key `""` means
  /// "the only input". Each replaces the declared shape, which must have the same rank.
  public var inputShapes: [String: Shape]
  /// The batch size bound to a symbolic leading dim (default 1).
  public var batch: Int?
  /// An element type that replaces every floating-point type (`--dtype fp16`).
  public var dataType: DataType?
  /// The op rules.
  public var registry: OpRegistry
  /// The file name shown in errors and in the report (`-` for standard input).
  public var sourceName: String
  /// The format the graph was read from.
  public var format: ModelFormat?

  public init(
    inputShapes: [String: Shape] = [:], batch: Int? = nil, dataType: DataType? = nil,
    registry: OpRegistry = .standard, sourceName: String = "", format: ModelFormat? = nil
  ) {
    self.inputShapes = inputShapes
    self.batch = batch
    self.dataType = dataType
    self.registry = registry
    self.sourceName = sourceName
    self.format = format
  }
}
