import ConvScopeCore
import ConvScopeReport

/// What a counting convention is, kept on the convention's type as swift-argument-parser
/// keeps a command's configuration on the command: the name `--convention` takes, the
/// tool and version it reproduces, the unit that tool prints, and where its rules come from.
public struct ConventionConfiguration: Sendable, Hashable {
  /// The name on the command line and in the JSON (`fvcore`, `ptflops-aten`...).
  public var name: String
  /// The tool's name as users know it (`ptflops (pytorch backend)`).
  public var toolName: String
  /// The version whose source the rules follow and whose numbers the tests reproduce.
  public var toolVersion: String
  /// The unit the tool prints next to its figure (`Mac`, `FLOPs`, `Mult-Adds`...).
  public var unit: String
  /// One line: what the tool counts or omits relative to ConvScope.
  public var summary: String
  /// The source files the rules were read from.
  public var sources: [String]

  public init(
    name: String, toolName: String, toolVersion: String, unit: String, summary: String, sources: [String]
  ) {
    self.name = name
    self.toolName = toolName
    self.toolVersion = toolVersion
    self.unit = unit
    self.summary = summary
    self.sources = sources
  }
}
