import ConvScopeCore
import ConvScopeReport

/// Axes and grid lines, drawn the same way in every chart.
extension SVGChart {
  /// A vertical axis at `x`: a grid line across `[x, x + span]` and a label per tick.
  mutating func yAxis(
    _ scale: ChartScale, ticks: [Double], x: Double, span: Double, format: (Double) -> String, group: String? = nil
  ) {
    if let group { add("<g class=\"\(group)\">") }
    for tick in ticks {
      let y = scale(tick)
      line(x1: x, y1: y, x2: x + span, y2: y, cssClass: "grid")
      text(format(tick), x: x - 6, y: y + 4, anchor: "end", cssClass: "tick")
    }
    if group != nil { add("</g>") }
  }

  /// A horizontal axis at `y`: a grid line down `[y - span, y]` and a label per tick.
  mutating func xAxis(_ scale: ChartScale, ticks: [Double], y: Double, span: Double, format: (Double) -> String) {
    for tick in ticks {
      let x = scale(tick)
      line(x1: x, y1: y - span, x2: x, y2: y, cssClass: "grid")
      text(format(tick), x: x, y: y + 16, anchor: "middle", cssClass: "tick")
    }
  }

  /// An axis title: horizontal under the plot, or turned for a vertical axis.
  mutating func axisTitle(_ title: String, x: Double, y: Double, vertical: Bool = false) {
    text(title, x: x, y: y, anchor: "middle", cssClass: "axis-title", rotate: vertical ? -90 : nil)
  }
}
