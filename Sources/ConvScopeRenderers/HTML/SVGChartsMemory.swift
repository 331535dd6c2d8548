import ConvScopeCore
import ConvScopeReport

/// Live activation bytes while each node runs (the liveness pass's
/// timeline), as a filled step line in execution order, with the peak marked
/// by a dashed rule, a ringed point and its value.
enum MemoryTimelineChart {
  static let left = 78.0, right = 24.0, top = 34.0, plotHeight = 220.0, bottom = 48.0, width = 960.0

  /// The x position of the timeline entry `index` of `count`.
  static func x(_ index: Int, count: Int) -> Double {
    let plotWidth = width - left - right
    return count <= 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(count - 1)
  }

  static func svg(_ report: Report, id: String = "chart-memory") -> String {
    var chart = SVGChart(
      id: id, width: width, height: top + plotHeight + bottom, title: "Live activation memory over one inference pass")
    let timeline = report.memory.timeline
    let base = top + plotHeight
    let maximum = Double(timeline.map(\.liveBytes).max() ?? 0)
    let (scale, ticks) = ChartScale.linearBytes(upTo: max(maximum, 1), start: base, end: top)
    chart.yAxis(scale, ticks: ticks, x: left, span: width - left - right, format: TickLabel.bytes)
    chart.axisTitle("live bytes", x: 16, y: top + plotHeight / 2, vertical: true)
    chart.axisTitle(
      "node, in execution order (1 … \(timeline.count))", x: left + (width - left - right) / 2, y: chart.height - 8)
    guard !timeline.isEmpty else {
      chart.text("no nodes", x: width / 2, y: top + plotHeight / 2, anchor: "middle")
      return chart.svg
    }
    let points = timeline.enumerated().map {
      (x($0.offset, count: timeline.count), scale(Double($0.element.liveBytes)))
    }
    let envelope = envelope(points)
    let upper = envelope.map { ($0.x, $0.top) }
    let first = points[0].0
    let last = points[points.count - 1].0
    chart.add(
      SVGChart.element(
        "polygon", ["class": "area", "points": SVGChart.points([(first, base)] + upper + [(last, base)])]))
    if envelope.count < points.count {
      // Dense timelines: the band between the least and the most bytes of each few-node slice.
      let lower = envelope.reversed().map { ($0.x, $0.bottom) }
      chart.add(SVGChart.element("polygon", ["class": "band", "points": SVGChart.points(upper + lower)]))
      let nodes = (points.count + envelope.count - 1) / envelope.count
      chart.text(
        "band: least to most live bytes per \(nodes) nodes", x: width - right, y: top - 12, anchor: "end",
        cssClass: "muted")
    }
    chart.add(SVGChart.element("polyline", ["class": "mark line", "points": SVGChart.points(upper)]))
    chart.line(x1: left, y1: base, x2: width - right, y2: base, cssClass: "axis")
    if let peakIndex = peakIndex(report.memory) {
      let (px, py) = points[peakIndex]
      let entry = timeline[peakIndex]
      chart.line(x1: px, y1: base, x2: px, y2: py, cssClass: "peak-rule")
      let tip = "peak: \(NumberFormatting.grouped(entry.liveBytes)) bytes while \(entry.node) runs"
      chart.add(
        SVGChart.element(
          "circle",
          ["class": "mark peak", "cx": SVGChart.n(px), "cy": SVGChart.n(py), "r": "5", "data-node": entry.node],
          content: SVGChart.tooltip(tip)))
      let name = LayerRow.compactName(entry.node, op: report.op(ofLayer: entry.node))
      let label = "peak \(NumberFormatting.bytes(entry.liveBytes)) at \(name)"
      let anchor = px > width * 0.6 ? "end" : "start"
      chart.text(
        label, x: px + (anchor == "end" ? -9 : 9), y: max(py - 8, top - 12), anchor: anchor, cssClass: "peak-label")
    }
    return chart.svg
  }

  /// At most one vertex per 2 px: the highest and lowest point of each slice of
  /// neighbouring nodes, so that a long timeline draws as a band, not a zigzag smear.
  static func envelope(_ points: [(Double, Double)]) -> [(x: Double, top: Double, bottom: Double)] {
    let slices = Int((width - left - right) / 2)
    let size = max(1, (points.count + slices - 1) / slices)
    return stride(from: 0, to: points.count, by: size).map { start in
      let slice = points[start..<min(start + size, points.count)]
      let ys = slice.map(\.1)
      return (slice.map(\.0).reduce(0, +) / Double(slice.count), ys.min() ?? 0, ys.max() ?? 0)
    }
  }

  /// The timeline entry of the peak node (the first entry at the peak when it is unnamed).
  static func peakIndex(_ memory: MemorySummary) -> Int? {
    if let node = memory.peakNode, let index = memory.timeline.firstIndex(where: { $0.node == node }) { return index }
    let maximum = memory.timeline.map(\.liveBytes).max()
    return memory.timeline.firstIndex { $0.liveBytes == maximum }
  }
}
