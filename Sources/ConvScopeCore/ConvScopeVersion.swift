/// The version of ConvScope, printed by `convscope --version` and written into
/// the JSON report as `convscope_version`.
public enum ConvScopeVersion {
  public static let current = "0.1.0"
}
