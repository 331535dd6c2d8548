/// How ConvScope writes numbers for people: exact counts with thousands
/// separators, short forms in decimal or binary units, percentages. Pure and
/// locale-independent, so every renderer prints the same digits on every machine.
///
/// ```swift
/// NumberFormatting.grouped(326_260)          // "326,260"
/// NumberFormatting.human(15_468_704_000)     // "15.47 G"
/// NumberFormatting.bytes(1_258_291)          // "1.2 MiB"
/// NumberFormatting.percent(0.01680)          // "1.7%"
/// ```
public enum NumberFormatting {
  /// `326260` → `326,260`; negative numbers keep their sign.
  public static func grouped(_ value: Int) -> String {
    var digits = String(value.magnitude)
    // ASCII digits, written byte by byte into a string sized once.
    return digits.withUTF8 { digits in
      let count = digits.count
      return String(unsafeUninitializedCapacity: count + count / 3 + 1) { out in
        var written = 0
        if value < 0 {
          out[written] = UInt8(ascii: "-")
          written += 1
        }
        for index in 0..<count {
          if index > 0 && (count - index) % 3 == 0 {
            out[written] = UInt8(ascii: ",")
            written += 1
          }
          out[written] = digits[index]
          written += 1
        }
        return written
      }
    }
  }

  /// A count in decimal units with two decimals: `999` → `999`, `259920` → `259.92 K`,
  /// `15468704000` → `15.47 G` (K, M, G, T, P, E).
  public static func human(_ value: Int) -> String {
    scaled(value, base: 1000, units: ["K", "M", "G", "T", "P", "E"], decimals: 2, unscaledSuffix: "")
  }

  /// A byte size in binary units with one decimal: `512` → `512 B`, `1258291` → `1.2 MiB`.
  public static func bytes(_ value: Int) -> String {
    scaled(value, base: 1024, units: ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"], decimals: 1, unscaledSuffix: " B")
  }

  /// A share in [0, 1] as a percentage with one decimal: `0.0168` → `1.7%`; a nonzero
  /// share too small to show is `<0.1%`.
  public static func percent(_ share: Double) -> String {
    guard share.isFinite else { return "—" }
    if share > 0 && share < 0.0005 { return "<0.1%" }
    return fixed(share * 100, decimals: 1, suffix: "%")
  }

  /// `value` rounded half away from zero to `decimals` places (0 to 18; outside that range the
  /// nearest of them), always printing them: `fixed(0.0168012, decimals: 6)` → `0.016801`.
  public static func fixed(_ value: Double, decimals: Int) -> String { fixed(value, decimals: decimals, suffix: "") }

  /// ``fixed(_:decimals:)`` followed by `suffix`, written in one piece.
  private static func fixed(_ value: Double, decimals: Int, suffix: String) -> String {
    let decimals = min(max(decimals, 0), 18)  // 10^19 places would overflow an Int
    guard value.isFinite else { return (value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf")) + suffix }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaledValue = (abs(value) * scale).rounded()
    guard scaledValue < 9.0e18 else { return String(value) + suffix }
    let units = Int(scaledValue)
    let factor = Int(scale)
    var suffix = suffix
    return suffix.withUTF8 { suffix in
      DecimalDigits.text(capacity: DecimalDigits.maxCount + 2 + decimals + suffix.count) { out in
        if value < 0 && units != 0 { out.append(byte: UInt8(ascii: "-")) }
        out.append(units / factor)
        if decimals > 0 {
          out.append(byte: UInt8(ascii: "."))
          out.append(UInt(units % factor), digits: decimals)  // leading zeros included
        }
        out.append(suffix)
      }
    }
  }

  /// A duration with three significant digits in s, ms, µs or ns: `0.000412` → `412 µs`.
  public static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds > 0 else { return seconds == 0 ? "0 s" : "—" }
    let units: [(String, Double)] = [("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)]
    let (name, scale) = units.first { seconds >= $0.1 } ?? units[units.count - 1]
    let value = seconds / scale
    return fixed(value, decimals: value >= 100 ? 0 : value >= 10 ? 1 : 2) + " " + name
  }

  private static func scaled(_ value: Int, base: Int, units: [String], decimals: Int, unscaledSuffix: String)
    -> String
  {
    let magnitude = Double(value.magnitude)
    var shown = magnitude
    var unit = 0
    var rounding = 1.0
    for _ in 0..<decimals { rounding *= 10 }
    // Divide until the value, once rounded, is below the base (999.996 K shows as 1.00 M).
    while unit < units.count,
      unit == 0 ? shown >= Double(base) : (shown * rounding).rounded() / rounding >= Double(base)
    {
      shown /= Double(base)
      unit += 1
    }
    guard unit > 0 else { return String(value) + unscaledSuffix }
    return fixed(value < 0 ? -shown : shown, decimals: decimals, suffix: " " + units[unit - 1])
  }
}
