import ConvScopeCore
import ConvScopeReport

/// Grouped bars of shares (0–100 %): one group per category, one bar per
/// series, series told apart by fill and texture. Two charts use it: the
/// share of the model by op type, and the balance between resolution stages.
enum ShareBarsChart {
  struct Category {
    var label: String
    var detail: String
    var shares: [Double]
  }

  /// The op types with the largest MACs or parameter share, at most `limit`,
  /// then one `others` group summing the rest.
  static func opTypeCategories(_ report: Report, limit: Int = 8) -> [Category] {
    let totals = report.totals
    func share(_ part: Int, _ whole: Int) -> Double { whole > 0 ? Double(part) / Double(whole) : 0 }
    let ranked = report.byOpType.sorted {
      max(share($0.macs, totals.macs), share($0.params, totals.params))
        > max(share($1.macs, totals.macs), share($1.params, totals.params))
    }
    func category(_ label: String, _ ops: [OpTypeSummary]) -> Category {
      let count = ops.reduce(0) { $0 + $1.count }
      return Category(
        label: label, detail: "×\(count)",
        shares: [
          share(ops.reduce(0) { $0 + $1.macs }, totals.macs), share(ops.reduce(0) { $0 + $1.params }, totals.params),
          share(ops.reduce(0) { $0 + $1.activationBytes }, totals.activationBytes),
        ])
    }
    guard ranked.count > limit + 1 else { return ranked.map { category($0.op, [$0]) } }
    let rest = Array(ranked.dropFirst(limit))
    return ranked.prefix(limit).map { category($0.op, [$0]) } + [category("others (\(rest.count) ops)", rest)]
  }

  /// One group per stage, in order.
  static func stageCategories(_ report: Report) -> [Category] {
    report.stages.map {
      Category(
        label: $0.resolution, detail: $0.channels > 0 ? "\($0.channels) ch" : "\($0.layers) layers",
        shares: [$0.macsShare, $0.paramsShare, $0.activationShare])
    }
  }

  static let series = ["MACs", "Params", "Activation bytes"]

  static func svg(_ categories: [Category], id: String, title: String, axisTitle: String) -> String {
    let left = 64.0
    let top = 40.0
    let plotHeight = 220.0
    let bottom = 64.0
    let groupWidth = max(80.0, min(160, 870 / Double(max(categories.count, 1))))
    let plotWidth = groupWidth * Double(max(categories.count, 1))
    var chart = SVGChart(
      id: id, width: max(960, left + plotWidth + 20), height: top + plotHeight + bottom, title: title)
    let base = top + plotHeight
    let maximum = categories.flatMap(\.shares).max() ?? 0
    let (scale, ticks) = ChartScale.linear(upTo: max(maximum, 0.01), start: base, end: top)
    chart.yAxis(scale, ticks: ticks, x: left, span: plotWidth, format: TickLabel.percent)
    chart.axisTitle("share of the model", x: 16, y: top + plotHeight / 2, vertical: true)
    for (index, name) in series.enumerated() {
      chart.legend(name, fill: Palette.fill(index, prefix: id), x: left + Double(index) * 150, y: 18)
    }
    let barWidth = min(36, (groupWidth - 14) / Double(series.count))
    for (position, category) in categories.enumerated() {
      let groupLeft = left + Double(position) * groupWidth + (groupWidth - barWidth * Double(series.count)) / 2
      for (index, share) in category.shares.enumerated() {
        let y = scale(share)
        let tip = "\(category.label): \(series[index]) \(NumberFormatting.percent(share))"
        let n = SVGChart.n
        let attributes: KeyValuePairs = [
          "class": "mark bar", "x": n(groupLeft + Double(index) * barWidth), "y": n(y), "width": n(barWidth - 1),
          "height": n(base - y), "fill": Palette.fill(index, prefix: id), "stroke": "#222", "stroke-width": "0.5",
        ]
        chart.add(SVGChart.element("rect", attributes, content: SVGChart.tooltip(tip)))
      }
      let centre = left + (Double(position) + 0.5) * groupWidth
      chart.text(category.label, x: centre, y: base + 16, anchor: "middle", cssClass: "tick")
      chart.text(category.detail, x: centre, y: base + 30, anchor: "middle", cssClass: "tick muted")
    }
    chart.line(x1: left, y1: base, x2: left + plotWidth, y2: base, cssClass: "axis")
    chart.axisTitle(axisTitle, x: left + plotWidth / 2, y: chart.height - 10)
    return chart.svg
  }
}
