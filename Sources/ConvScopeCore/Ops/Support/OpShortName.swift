/// The short forms a table writes for long op types, as papers and other tools do:
/// `BatchNorm` for `BatchNormalization`, `GlobalAvgPool` for `GlobalAveragePool`.
/// Op types live here, with the rules, so renderers name no op type themselves.
public enum OpShortName {
  private static let table = [
    "BatchNormalization": "BatchNorm", "InstanceNormalization": "InstanceNorm",
    "LayerNormalization": "LayerNorm", "GroupNormalization": "GroupNorm",
    "RMSNormalization": "RMSNorm", "GlobalAveragePool": "GlobalAvgPool",
  ]

  /// The short form of `opType`, or `opType` itself when it has none.
  public static func of(_ opType: String) -> String { table[opType] ?? opType }
}
