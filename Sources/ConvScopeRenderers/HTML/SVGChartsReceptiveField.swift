import ConvScopeCore
import ConvScopeReport

/// How the receptive field grows through the network: its size per spatial
/// axis for every layer that has one, in execution order, against the input
/// size (a dashed rule). Axes are told apart by line style and marker shape.
enum ReceptiveFieldChart {
  static let left = 64.0, right = 24.0, top = 40.0, plotHeight = 220.0, bottom = 48.0, width = 960.0

  /// The layers with a receptive field: their position among the listed layers, and the field.
  static func points(_ report: Report) -> [(position: Int, layer: LayerRow, size: [Int])] {
    report.visibleLayers.enumerated().compactMap { position, layer in
      guard let size = layer.receptiveField?.size, !size.isEmpty else { return nil }
      return (position, layer, size)
    }
  }

  static func svg(_ report: Report, id: String = "chart-receptive-field") -> String {
    var chart = SVGChart(id: id, width: width, height: top + plotHeight + bottom, title: "Receptive field growth")
    let points = points(report)
    let count = report.visibleLayers.count
    let base = top + plotHeight
    let plotWidth = width - left - right
    let rank = points.map(\.size.count).max() ?? 0
    let inputSpatial = (report.inputs.first?.shape.dims ?? []).suffix(rank).compactMap(\.value)
    let maximum = Double(max(points.flatMap(\.size).max() ?? 0, inputSpatial.max() ?? 0))
    let (scale, ticks) = ChartScale.linear(upTo: max(maximum, 1), start: base, end: top)
    let xScale = ChartScale(
      low: 0, high: Double(max(count - 1, 1)), start: left, end: left + plotWidth, logarithmic: false)
    chart.yAxis(scale, ticks: ticks, x: left, span: plotWidth, format: TickLabel.count)
    chart.axisTitle("receptive field (input positions)", x: 16, y: top + plotHeight / 2, vertical: true)
    chart.axisTitle("layer number, in execution order", x: left + plotWidth / 2, y: chart.height - 8)
    chart.line(x1: left, y1: base, x2: left + plotWidth, y2: base, cssClass: "axis")
    guard !points.isEmpty else {
      chart.text("no layer has a receptive field", x: width / 2, y: top + plotHeight / 2, anchor: "middle")
      return chart.svg
    }
    if let input = inputSpatial.max() {
      let y = scale(Double(input))
      chart.line(x1: left, y1: y, x2: left + plotWidth, y2: y, cssClass: "reference")
      chart.text(
        "input \(inputSpatial.map(String.init).joined(separator: "x"))", x: left + plotWidth - 4, y: y - 5,
        anchor: "end", cssClass: "muted")
    }
    // Square fields (every axis equal at every layer) draw as one series.
    let square = points.allSatisfy { Set($0.size).count == 1 }
    let axes = square ? [LayerRow.axisLabels(count: rank).joined(separator: " = ")] : LayerRow.axisLabels(count: rank)
    for axis in 0..<axes.count {
      let series = points.filter { $0.size.count == rank }.map {
        (xScale(Double($0.position)), scale(Double($0.size[axis])), $0)
      }
      let path = SVGChart.points(series.map { ($0.0, $0.1) })
      chart.add(SVGChart.element("polyline", ["class": "mark line axis-\(axis % 3)", "points": path]))
      if series.count <= 200 {
        for (x, y, point) in series {
          let tip = "\(point.layer.name): \(point.size.map(String.init).joined(separator: "x"))"
          chart.add(marker(axis, x: x, y: y, tip: tip))
        }
      }
      chart.add(marker(axis, x: left + 20 + Double(axis) * 110, y: 16, tip: nil))
      chart.text("axis \(axes[axis])", x: left + 30 + Double(axis) * 110, y: 20)
    }
    if let name = report.receptiveFieldCoversInputAt,
      let position = report.visibleLayers.firstIndex(where: { $0.name == name })
    {
      let x = xScale(Double(position))
      chart.line(x1: x, y1: top, x2: x, y2: base, cssClass: "reference")
      chart.text("covers the input", x: x + 4, y: top + 12, cssClass: "muted")
    }
    return chart.svg
  }

  /// A circle, square or diamond per axis, so the axes differ without colour.
  private static func marker(_ axis: Int, x: Double, y: Double, tip: String?) -> String {
    let title = SVGChart.tooltip(tip)
    let n = SVGChart.n
    switch axis % 3 {
    case 0:
      return SVGChart.element("circle", ["class": "point axis-0", "cx": n(x), "cy": n(y), "r": "3.5"], content: title)
    case 1:
      return SVGChart.element(
        "rect", ["class": "point axis-1", "x": n(x - 3), "y": n(y - 3), "width": "6", "height": "6"], content: title)
    default:
      let diamond = SVGChart.points([(x, y - 4), (x + 4, y), (x, y + 4), (x - 4, y)])
      return SVGChart.element("polygon", ["class": "point axis-2", "points": diamond], content: title)
    }
  }
}
