import ConvScopeCore
import ConvScopeReport

/// Per-layer bars in three panels sharing one x-axis: MACs, parameters and
/// activation bytes, one bar per listed layer in execution order.
///
/// A bar is at least 3 px apart from the next, so a 1,000-layer model makes a
/// chart about 3,000 px wide that scrolls sideways instead of smearing. Each
/// bar carries its log-scale geometry in `data-log="y height"`; the page's
/// scale toggle swaps it in (and shows the log ticks, group `scale-log`).
/// A transparent column per layer carries the tooltip for all three panels.
enum LayerBarsChart {
  struct Panel: Sendable {
    var title: String
    var value: @Sendable (LayerRow) -> Int
    var format: @Sendable (Double) -> String
    var isBytes = false
  }

  static let panels: [Panel] = [
    Panel(title: "MACs", value: \.macs, format: TickLabel.count),
    Panel(title: "Params", value: \.params, format: TickLabel.count),
    Panel(title: "Activation bytes", value: \.activationBytes, format: TickLabel.bytes, isBytes: true),
  ]

  static let left = 78.0, right = 16.0, top = 30.0, panelHeight = 110.0, gap = 26.0

  /// Horizontal distance between neighbouring bars for `count` layers.
  static func pitch(count: Int) -> Double { max(3, min(60, 860 / Double(max(count, 1)))) }

  static func svg(_ report: Report, id: String = "chart-layers") -> String {
    let layers = report.visibleLayers
    let pitch = pitch(count: layers.count)
    let plotWidth = Double(layers.count) * pitch
    let labelled = layers.count <= 40
    let bottom = labelled ? 110.0 : 44.0
    let panelsHeight = Double(panels.count) * panelHeight + Double(panels.count - 1) * gap
    var chart = SVGChart(
      id: id, width: max(960, left + plotWidth + right), height: top + panelsHeight + bottom,
      title: "Per-layer MACs, parameters and activation bytes")
    let barWidth = max(2, pitch * 0.78)
    for (index, panel) in panels.enumerated() {
      let panelTop = top + Double(index) * (panelHeight + gap)
      let base = panelTop + panelHeight
      let values = layers.map { Double(panel.value($0)) }
      let maximum = values.max() ?? 0
      let minimumPositive = values.filter { $0 > 0 }.min() ?? 1
      let (linear, linearTicks) =
        panel.isBytes
        ? ChartScale.linearBytes(upTo: maximum, start: base, end: panelTop)
        : ChartScale.linear(upTo: maximum, start: base, end: panelTop)
      let (log, logTicks) = ChartScale.decades(from: minimumPositive, to: max(maximum, 1), start: base, end: panelTop)
      chart.text(panel.title, x: left, y: panelTop - 8, cssClass: "panel-title")
      chart.yAxis(linear, ticks: linearTicks, x: left, span: plotWidth, format: panel.format, group: "scale-lin")
      chart.yAxis(log, ticks: logTicks, x: left, span: plotWidth, format: panel.format, group: "scale-log")
      chart.add("<g class=\"bars\" fill=\"\(Palette.fill(index, prefix: id))\">")
      for (position, value) in values.enumerated() {
        let x = left + Double(position) * pitch + (pitch - barWidth) / 2
        let linearY = linear(value)
        let logY = value > 0 ? log(value) : base
        let n = SVGChart.n
        chart.add(
          SVGChart.element(
            "rect",
            [
              "class": "mark bar", "x": n(x), "y": n(linearY), "width": n(barWidth), "height": n(base - linearY),
              "data-log": "\(n(logY)) \(n(base - logY))",
            ]))
      }
      chart.add("</g>")
      chart.line(x1: left, y1: base, x2: left + plotWidth, y2: base, cssClass: "axis")
    }
    let axisY = top + panelsHeight
    for (position, layer) in layers.enumerated() {
      let x = left + Double(position) * pitch
      let tip = [
        "\(position + 1). \(layer.name) (\(layer.op))",
        "MACs \(NumberFormatting.grouped(layer.macs))", "params \(NumberFormatting.grouped(layer.params))",
        "activation \(NumberFormatting.bytes(layer.activationBytes))",
      ].joined(separator: "\n")
      let n = SVGChart.n
      chart.add(
        SVGChart.element(
          "rect", ["class": "hit", "x": n(x), "y": n(top), "width": n(pitch), "height": n(panelsHeight)],
          content: SVGChart.tooltip(tip)))
      let centre = x + pitch / 2
      if labelled {
        chart.text(
          LayerRow.compactName(layer.name, op: layer.op), x: centre, y: axisY + 12, anchor: "end", cssClass: "tick",
          rotate: -55)
      } else if position % tickEvery(layers.count) == 0 {
        chart.text(String(position + 1), x: centre, y: axisY + 16, anchor: "middle", cssClass: "tick")
      }
    }
    chart.axisTitle(
      labelled ? "layer, in execution order" : "layer number, in execution order", x: left + plotWidth / 2,
      y: chart.height - 8)
    return chart.svg
  }

  /// Label every n-th layer number so that labels stay about 60 px apart.
  private static func tickEvery(_ count: Int) -> Int {
    let step = Int((60 / pitch(count: count)).rounded(.up))
    return [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500].first { $0 >= step } ?? 1000
  }
}
