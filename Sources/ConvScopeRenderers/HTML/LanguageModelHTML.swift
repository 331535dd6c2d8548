import ConvScopeCore
import ConvScopeReport

/// The `llm` view as one self-contained HTML page: the report's tables and two log-log
/// plots drawn with the report's SVG chart code: decode FLOPs per token against the context,
/// and decode tokens per second against the batch (one line per context) when the report
/// has a roofline.
enum LanguageModelHTML {
  static func render(_ report: LanguageModelReport, sections: [LanguageModelSection]) -> String {
    var page = [
      "<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
      "<meta name=\"generator\" content=\"ConvScope \(ConvScopeVersion.current)\">",
      "<title>\(Markup.escape(report.model)) · ConvScope llm view</title>",
      "<style>\n\(HTMLStyle.css)</style>", "</head>", "<body>",
      "<h1>\(Markup.escape(report.model)): language-model view</h1>",
    ]
    let steps = report.decode
    if !steps.isEmpty {
      let series = [
        LineSeries(label: "total", points: steps.map { (Double($0.context), Double($0.totalFlops)) }),
        LineSeries(label: "weights", points: steps.map { (Double($0.context), Double($0.weightFlops)) }),
        LineSeries(label: "attention", points: steps.map { (Double($0.context), Double($0.attentionFlops)) }),
      ]
      page.append(
        figure(
          "llm-context", "Decode FLOPs per token against the context",
          LogLineChart.svg(
            id: "chart-llm-context", title: "Decode FLOPs per token", xTitle: "context (tokens)",
            yTitle: "FLOPs per token", series: series)))
    }
    if let roofline = report.roofline, !roofline.decode.isEmpty {
      let contexts = roofline.computeBoundBatch.map(\.context)
      let series = contexts.map { context in
        LineSeries(
          label: "context \(context)",
          points: roofline.decode.filter { $0.context == context }.map { (Double($0.batch), $0.tokensPerSecond) })
      }
      page.append(
        figure(
          "llm-batch", "Decode tokens per second bound against the batch on \(Markup.escape(roofline.device))",
          LogLineChart.svg(
            id: "chart-llm-batch", title: "Decode tokens/s bound", xTitle: "batch (sequences)",
            yTitle: "tokens per second", series: series)))
    }
    for section in sections {
      page.append("<section><h2>\(Markup.escape(section.title))</h2>")
      page.append(
        "<table><thead><tr>" + section.header.map { "<th>\(Markup.escape($0))</th>" }.joined() + "</tr></thead>")
      page.append("<tbody>")
      for row in section.rows {
        page.append("<tr>" + row.map { "<td>\(Markup.escape($0))</td>" }.joined() + "</tr>")
      }
      page.append("</tbody></table></section>")
    }
    page.append("<ul class=\"notes\">")
    page += LanguageModelRenderer.footer(report).map { "<li>\(Markup.escape($0))</li>" }
    page += ["</ul>", "</body>", "</html>"]
    return page.joined(separator: "\n") + "\n"
  }

  private static func figure(_ id: String, _ caption: String, _ svg: String) -> String {
    "<figure class=\"chart-box\" id=\"\(id)\">\n<figcaption>\(caption)</figcaption>\n"
      + "<div class=\"scroll\">\n\(svg)\n</div>\n</figure>"
  }
}

/// One line of a ``LogLineChart``.
struct LineSeries: Sendable {
  var label: String
  var points: [(Double, Double)]
}

/// Lines with points on log-log axes (whole decades), one colour per series.
enum LogLineChart {
  static let left = 84.0, right = 24.0, top = 40.0, plotHeight = 260.0, bottom = 50.0, width = 760.0

  static func svg(id: String, title: String, xTitle: String, yTitle: String, series: [LineSeries]) -> String {
    var chart = SVGChart(id: id, width: width, height: top + plotHeight + bottom, title: title)
    let base = top + plotHeight
    let plotWidth = width - left - right
    let points = series.flatMap(\.points).filter { $0.0 > 0 && $0.1 > 0 }
    guard let xs = points.map(\.0).min(), let xMax = points.map(\.0).max(), let ys = points.map(\.1).min(),
      let yMax = points.map(\.1).max()
    else {
      chart.text("nothing to plot", x: width / 2, y: top + plotHeight / 2, anchor: "middle")
      return chart.svg
    }
    let (xScale, xTicks) = ChartScale.decades(from: xs, to: xMax, start: left, end: left + plotWidth)
    let (yScale, yTicks) = ChartScale.decades(from: ys, to: yMax, start: base, end: top)
    chart.yAxis(yScale, ticks: yTicks, x: left, span: plotWidth, format: TickLabel.decade)
    chart.xAxis(xScale, ticks: xTicks, y: base, span: plotHeight, format: TickLabel.decade)
    chart.axisTitle(yTitle, x: 16, y: top + plotHeight / 2, vertical: true)
    chart.axisTitle(xTitle, x: left + plotWidth / 2, y: chart.height - 8)
    for (index, line) in series.enumerated() {
      let colour = [Palette.dark, "#c55a11", Palette.mid][index % 3]
      let dash = ["none", "6 3", "2 3"][index % 3]
      let placed = line.points.filter { $0.0 > 0 && $0.1 > 0 }.map { (xScale($0.0), yScale($0.1)) }
      chart.add(
        SVGChart.element(
          "polyline",
          [
            "class": "mark series", "points": SVGChart.points(placed), "fill": "none", "stroke": colour,
            "stroke-width": "2", "stroke-dasharray": dash,
          ]))
      for (point, value) in zip(placed, line.points) {
        let tip = "\(line.label): \(TickLabel.count(value.1)) at \(TickLabel.count(value.0))"
        chart.add(
          SVGChart.element(
            "circle",
            [
              "class": "mark point", "cx": SVGChart.n(point.0), "cy": SVGChart.n(point.1), "r": "3",
              "fill": colour,
            ], content: SVGChart.tooltip(tip)))
      }
      chart.legend(line.label, fill: colour, x: left + 12 + Double(index) * 150, y: 18)
    }
    return chart.svg
  }
}
