import ConvScopeCore
import ConvScopeReport

/// The device profiles as a terminal table, with each profile's source underneath.
public enum DeviceListRenderer {
  /// `profiles` as text fitted to `options.width` (the Device column narrows, then the INT8 and
  /// Bandwidth columns go, in that order); ends with a newline.
  public static func render(_ profiles: [DeviceProfile], options: RenderOptions = RenderOptions()) -> String {
    let rate = { (profile: DeviceProfile, type: String) -> String in
      profile.peakFlops[type].map { NumberFormatting.fixed($0 / 1e12, decimals: 1) + " T" } ?? "—"
    }
    let columns: [TextTable.Column] = [
      .init(title: "Name", alignment: .left), .init(title: "Device", alignment: .left, maxWidth: 40, minWidth: 16),
      .init(title: "FP32", alignment: .right), .init(title: "FP16", alignment: .right),
      .init(title: "INT8", alignment: .right, dropRank: 1), .init(title: "Bandwidth", alignment: .right, dropRank: 2),
    ]
    let rows = profiles.map { profile in
      TextTable.Row(
        cells: [
          profile.name, profile.description, rate(profile, "float32"), rate(profile, "float16"),
          rate(profile, "int8"), NumberFormatting.fixed(profile.memoryBandwidth / 1e9, decimals: 0) + " GB/s",
        ], details: [[profile.source]])
    }
    return TextTable(columns: columns, rows: rows).render(
      style: TerminalStyle(enabled: false), maxWidth: options.fittedWidth
    )
    .joined(separator: "\n") + "\n"
  }

  /// `profiles` as a JSON array of the profile's fields (as a `--device` YAML file spells them).
  public static func json(_ profiles: [DeviceProfile]) throws(ConvScopeError) -> String {
    try PrettyJSON.text(profiles, what: "the device profiles")
  }
}
