import ConvScopeCore
import ConvScopeReport

/// The roofline of one device on log-log axes (arithmetic intensity in
/// FLOP/byte against FLOP/s), with one point per analysed layer at its
/// attainable rate: hollow circles under the memory roof, filled triangles
/// under the compute roof. The dashed rule marks the ridge point.
enum RooflineChart {
  static let left = 84.0, right = 24.0, top = 40.0, plotHeight = 260.0, bottom = 50.0, width = 960.0

  static func svg(_ roofline: RooflineSummary?, id: String = "chart-roofline") -> String {
    var chart = SVGChart(
      id: id, width: width, height: top + plotHeight + bottom, title: "Roofline, one point per layer")
    let base = top + plotHeight
    let plotWidth = width - left - right
    let layers = roofline?.layers.filter { $0.arithmeticIntensity > 0 } ?? []
    guard let roofline, !layers.isEmpty else {
      chart.line(x1: left, y1: base, x2: left + plotWidth, y2: base, cssClass: "axis")
      chart.text(
        "no layer does arithmetic on this device profile", x: width / 2, y: top + plotHeight / 2, anchor: "middle")
      return chart.svg
    }
    let peak = roofline.peakFlopsPerSecond
    let bandwidth = roofline.memoryBytesPerSecond
    let ridge = peak / bandwidth
    let intensities = layers.map(\.arithmeticIntensity) + [ridge]
    let (xScale, xTicks) = ChartScale.decades(
      from: intensities.min() ?? 0.1, to: intensities.max() ?? 1000, start: left, end: left + plotWidth)
    let rates = layers.map(\.attainableFlopsPerSecond) + [peak]
    let (yScale, yTicks) = ChartScale.decades(from: rates.min() ?? 1, to: peak, start: base, end: top)
    chart.yAxis(yScale, ticks: yTicks, x: left, span: plotWidth) { TickLabel.decade($0) + "FLOP/s" }
    chart.xAxis(xScale, ticks: xTicks, y: base, span: plotHeight, format: TickLabel.decade)
    chart.axisTitle("attainable FLOP/s", x: 16, y: top + plotHeight / 2, vertical: true)
    chart.axisTitle("arithmetic intensity (FLOP per byte moved)", x: left + plotWidth / 2, y: chart.height - 8)
    // The roof: bandwidth * intensity from the bottom edge of the plot up to the ridge, then the peak.
    let low = max(xScale.low, yScale.low / bandwidth)
    let high = xScale.high
    let roof = [(low, low * bandwidth), (ridge, peak), (high, peak)].filter { $0.0 >= low && $0.0 <= high }
    chart.add(
      SVGChart.element(
        "polyline", ["class": "roof", "points": SVGChart.points(roof.map { (xScale($0.0), yScale($0.1)) })]))
    let ridgeX = xScale(ridge)
    chart.line(x1: ridgeX, y1: yScale(peak), x2: ridgeX, y2: base, cssClass: "reference")
    chart.text(
      "ridge \(NumberFormatting.fixed(ridge, decimals: 1)) FLOP/B", x: ridgeX + 5, y: base - 6, cssClass: "muted")
    chart.text(
      "peak \(TickLabel.decade(peak))FLOP/s", x: left + plotWidth - 4, y: yScale(peak) - 6, anchor: "end",
      cssClass: "muted")
    for layer in layers {
      let x = xScale(layer.arithmeticIntensity)
      let y = yScale(layer.attainableFlopsPerSecond)
      let intensity = NumberFormatting.fixed(layer.arithmeticIntensity, decimals: 2)
      let microseconds = NumberFormatting.fixed(layer.timeLowerBoundSeconds * 1e6, decimals: 2)
      let tip = "\(layer.name): \(intensity) FLOP/B, \(layer.bound.rawValue)-bound, ≥ \(microseconds) µs"
      chart.add(point(compute: layer.bound == .compute, x: x, y: y, tip: tip))
    }
    chart.add(point(compute: false, x: left + 12, y: 16, tip: nil))
    chart.text("memory-bound layer", x: left + 22, y: 20)
    chart.add(point(compute: true, x: left + 182, y: 16, tip: nil))
    chart.text("compute-bound layer", x: left + 192, y: 20)
    return chart.svg
  }

  private static func point(compute: Bool, x: Double, y: Double, tip: String?) -> String {
    let role = tip == nil ? "swatch-point" : "mark point"
    guard compute else {
      let attributes: KeyValuePairs = ["class": "\(role) memory", "cx": SVGChart.n(x), "cy": SVGChart.n(y), "r": "4"]
      return SVGChart.element("circle", attributes, content: SVGChart.tooltip(tip))
    }
    let triangle = SVGChart.points([(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)])
    return SVGChart.element(
      "polygon", ["class": "\(role) compute", "points": triangle], content: SVGChart.tooltip(tip))
  }
}
