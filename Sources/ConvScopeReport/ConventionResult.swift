import ConvScopeCore

/// The figure one tool would print for a model, per layer and in total, with
/// what that tool counts and what had to be assumed to reproduce it.
public struct ConventionResult: Sendable, Hashable, Codable {
  /// The convention's name as `--convention` takes it (``ConventionConfiguration/name``): a
  /// string, so a report does not depend on the analysis types (the JSON is the same).
  public var convention: String
  /// The tool's name (`fvcore`, `ptflops (pytorch backend)`...).
  public var name: String
  /// The total, exactly as the tool computes it (before its own rounding for display).
  public var figure: Int
  /// The unit the tool prints (`Mac`, `FLOPs`, `Mult-Adds`...).
  public var unit: String
  /// The figure per layer name; layers the tool gives nothing are absent.
  public var layers: [String: Int]
  /// Named sub-totals the tool also prints (calflops `MACs`; Netscope `comp`, `add`, `div`, `exp`).
  public var components: [String: Int]
  /// The parameter count the tool prints.
  public var params: Int
  /// One line: what the tool counts or omits relative to ConvScope.
  public var description: String
  /// What was inferred or could not be reproduced for this model (folded BatchNorms, ops the tool skips...).
  public var notes: [String]
  /// Every stored property, in declaration order.
  public init(
    convention: String,
    name: String,
    figure: Int,
    unit: String,
    layers: [String: Int],
    components: [String: Int],
    params: Int,
    description: String,
    notes: [String]
  ) {
    self.convention = convention
    self.name = name
    self.figure = figure
    self.unit = unit
    self.layers = layers
    self.components = components
    self.params = params
    self.description = description
    self.notes = notes
  }

}
