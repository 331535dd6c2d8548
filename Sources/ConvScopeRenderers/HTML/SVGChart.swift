import ConvScopeCore
import ConvScopeReport
import Foundation

/// The building blocks every chart of the HTML report shares: an SVG
/// document with a title, scales, axis ticks, number formatting and a
/// palette that survives greyscale printing.
///
/// Every element a chart draws for data carries the class `mark` (bars,
/// points, lines), so a page can check that a chart is not empty.
struct SVGChart {
  /// The chart's id in the page; patterns and titles are prefixed with it.
  let id: String
  let width: Double
  let height: Double
  let title: String
  private(set) var body: [String] = []

  init(id: String, width: Double, height: Double, title: String) {
    self.id = id
    self.width = width
    self.height = height
    self.title = title
  }

  /// Appends raw SVG markup.
  mutating func add(_ markup: String) { body.append(markup) }

  /// A text label; `anchor` is `start`, `middle` or `end`.
  mutating func text(
    _ content: String, x: Double, y: Double, anchor: String = "start", cssClass: String = "label",
    rotate: Double? = nil
  ) {
    let turn = rotate.map { " transform=\"rotate(\(SVGChart.n($0)) \(SVGChart.n(x)) \(SVGChart.n(y)))\"" } ?? ""
    add(
      "<text class=\"\(cssClass)\" x=\"\(SVGChart.n(x))\" y=\"\(SVGChart.n(y))\" text-anchor=\"\(anchor)\"\(turn)>"
        + Markup.escape(content) + "</text>")
  }

  /// A straight line.
  mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, cssClass: String) {
    let n = SVGChart.n
    add(SVGChart.element("line", ["class": cssClass, "x1": n(x1), "y1": n(y1), "x2": n(x2), "y2": n(y2)]))
  }

  /// A legend entry: a swatch of `fill` (a colour or a pattern) and its label.
  mutating func legend(_ label: String, fill: String, x: Double, y: Double) {
    let n = SVGChart.n
    add(
      SVGChart.element(
        "rect", ["class": "swatch", "x": n(x), "y": n(y - 9), "width": "12", "height": "12", "fill": fill]))
    text(label, x: x + 17, y: y + 1)
  }

  /// The finished `<svg>` element, sized in pixels, scaling down with its box.
  var svg: String {
    let w = SVGChart.n(width)
    let h = SVGChart.n(height)
    return "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" "
      + "role=\"img\" aria-labelledby=\"\(id)-title\" xmlns=\"http://www.w3.org/2000/svg\">\n"
      + "<title id=\"\(id)-title\">\(Markup.escape(title))</title>\n" + Palette.defs(prefix: id) + "\n"
      + body.joined(separator: "\n") + "\n</svg>"
  }

  /// An SVG element, `<rect class="bar" x="1"/>`, or with `content` inside (a tooltip...).
  /// Attribute values are escaped.
  static func element(_ name: String, _ attributes: KeyValuePairs<String, String>, content: String = "") -> String {
    let text = attributes.map { " \($0.key)=\"\(Markup.escape($0.value))\"" }.joined()
    return content.isEmpty ? "<\(name)\(text)/>" : "<\(name)\(text)>\(content)</\(name)>"
  }

  /// A hover tooltip, `<title>text</title>`, or empty for no text.
  static func tooltip(_ text: String?) -> String { text.map { "<title>\(Markup.escape($0))</title>" } ?? "" }

  /// `x1,y1 x2,y2 ...`, the `points` of a polyline or polygon.
  static func points(_ list: [(Double, Double)]) -> String {
    list.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
  }

  /// A coordinate with at most one decimal: `12.0` → `12`, `3.25` → `3.3`.
  static func n(_ value: Double) -> String {
    let text = NumberFormatting.fixed(value, decimals: 1)
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }
}

/// Three series styles separated by lightness and by texture, so they stay
/// apart in greyscale: a dark solid fill, a light fill hatched with dark
/// lines, and a mid-tone fill dotted in white.
enum Palette {
  /// The dark solid series (MACs, compute).
  static let dark = "#1f4e79"
  /// The fill of the light series' pattern.
  static let light = "#f4b183"
  /// The mid-tone series.
  static let mid = "#6fa8dc"

  /// Fill references for series 0, 1, 2 in a chart whose id is `prefix`.
  static func fill(_ series: Int, prefix: String) -> String {
    switch series % 3 {
    case 0: dark
    case 1: "url(#\(prefix)-hatch)"
    default: "url(#\(prefix)-dots)"
    }
  }

  /// The pattern definitions `fill(_:prefix:)` refers to.
  static func defs(prefix: String) -> String {
    "<defs><pattern id=\"\(prefix)-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
      + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"\(light)\"/>"
      + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#7f3f00\" stroke-width=\"2\"/></pattern>"
      + "<pattern id=\"\(prefix)-dots\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">"
      + "<rect width=\"5\" height=\"5\" fill=\"\(mid)\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.2\" fill=\"#fff\"/>"
      + "</pattern></defs>"
  }
}

/// A map from a data interval onto a pixel interval, linear or base-10 logarithmic.
struct ChartScale {
  let low: Double
  let high: Double
  let start: Double
  let end: Double
  let logarithmic: Bool

  /// The pixel position of `value` (clamped to the domain; non-positive values sit at `start` on a log scale).
  func callAsFunction(_ value: Double) -> Double {
    let (a, b, v) =
      logarithmic
      ? (Self.log10(low), Self.log10(high), value > 0 ? Self.log10(value) : Self.log10(low)) : (low, high, value)
    guard b > a else { return start }
    let t = min(max((v - a) / (b - a), 0), 1)
    return start + t * (end - start)
  }

  /// A linear scale from 0 to a round number at least `maximum`, with its ticks.
  static func linear(upTo maximum: Double, start: Double, end: Double) -> (scale: ChartScale, ticks: [Double]) {
    let ticks = niceTicks(upTo: maximum)
    return (ChartScale(low: 0, high: ticks.last ?? 1, start: start, end: end, logarithmic: false), ticks)
  }

  /// A log scale over whole decades covering `[minimum, maximum]` (both positive), with a tick per decade.
  static func decades(from minimum: Double, to maximum: Double, start: Double, end: Double)
    -> (scale: ChartScale, ticks: [Double])
  {
    let lowExponent = Int(log10(max(minimum, 1e-300)).rounded(.down))
    var highExponent = Int(log10(max(maximum, 1e-300)).rounded(.up))
    if highExponent <= lowExponent { highExponent = lowExponent + 1 }
    let ticks = (lowExponent...highExponent).map { pow10($0) }
    return (
      ChartScale(low: pow10(lowExponent), high: pow10(highExponent), start: start, end: end, logarithmic: true), ticks
    )
  }

  /// A linear scale from 0 for byte counts: steps are round in KiB, MiB, GiB...
  static func linearBytes(upTo maximum: Double, start: Double, end: Double) -> (scale: ChartScale, ticks: [Double]) {
    var unit = 1.0
    while maximum / unit >= 1024 { unit *= 1024 }
    let ticks = niceTicks(upTo: maximum / unit).map { $0 * unit }
    return (ChartScale(low: 0, high: ticks.last ?? 1, start: start, end: end, logarithmic: false), ticks)
  }

  /// 0 and three to six round steps (1, 2 or 5 times a power of ten, at least a fifth of `maximum`) reaching it.
  static func niceTicks(upTo maximum: Double) -> [Double] {
    guard maximum > 0, maximum.isFinite else { return [0, 1] }
    let rough = maximum / 5
    let magnitude = pow10(Int(log10(rough).rounded(.down)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
    let count = Int((maximum / step).rounded(.up))
    return (0...max(count, 1)).map { Double($0) * step }
  }

  static func pow10(_ exponent: Int) -> Double { pow(10, Double(exponent)) }

  /// Base-10 logarithm.
  static func log10(_ value: Double) -> Double { Foundation.log10(value) }
}

/// Short labels for tick values.
enum TickLabel {
  /// `1.25 M`, `150 M`, `500`, `0`: short, without trailing zeros.
  static func count(_ value: Double) -> String {
    guard let whole = representable(value) else {
      return trimmed(NumberFormatting.fixed(value / 1e18, decimals: 2) + " E")
    }
    return trimmed(NumberFormatting.human(whole))
  }
  /// `1.5 MiB`, `2 MiB`.
  static func bytes(_ value: Double) -> String {
    guard let whole = representable(value) else {
      return trimmed(NumberFormatting.fixed(value / 1_152_921_504_606_846_976, decimals: 1) + " EiB")
    }
    return trimmed(NumberFormatting.bytes(whole))
  }

  /// `value` rounded, when an Int holds it: the top tick of a near-`Int.max` axis (1e19) does not.
  private static func representable(_ value: Double) -> Int? {
    let rounded = value.rounded()
    return rounded.magnitude < 9.0e18 ? Int(rounded) : nil
  }

  /// `150.00 M` → `150 M`, `1.50 M` → `1.5 M`.
  private static func trimmed(_ text: String) -> String {
    guard let space = text.firstIndex(of: " "), text[..<space].contains(".") else { return text }
    var number = String(text[..<space])
    while number.hasSuffix("0") { number.removeLast() }
    if number.hasSuffix(".") { number.removeLast() }
    return number + text[space...]
  }
  /// `25%` from a share in [0, 1].
  static func percent(_ share: Double) -> String {
    let text = NumberFormatting.fixed(share * 100, decimals: share * 100 < 10 && share > 0 ? 1 : 0)
    return text + "%"
  }
  /// `1e12`-style values as `10^12`-free SI: `1 T`, `100 G`, `0.1`.
  static func decade(_ value: Double) -> String {
    if value >= 1 { return count(value) }
    return NumberFormatting.fixed(value, decimals: max(0, -Int(ChartScale.log10(value).rounded(.down))))
  }
}

/// Escaping for text placed in HTML or SVG.
enum Markup {
  /// `<`, `>`, `&` and quotes as entities.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}
