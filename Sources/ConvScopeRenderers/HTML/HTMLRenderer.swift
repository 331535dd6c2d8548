import ConvScopeCore
import ConvScopeReport

/// The report as one self-contained HTML page: header cards with the totals,
/// inline SVG charts, and a sortable, filterable layer table that groups by
/// module. No network access: styles, charts and scripts are all inline.
///
/// Opened as `report.html?selftest`, the page checks itself (one row per
/// layer, a non-empty SVG per chart, sorting, filtering, no script errors)
/// and writes its verdict into `#selftest` (`data-verdict="pass"` or `"fail"`).
public enum HTMLRenderer {
  /// `report` as HTML. The roofline chart plots `report.roofline`; when the request named
  /// no device, the pipeline put the layers on ``DeviceProfile/defaultForCharts`` and marked
  /// the summary ``RooflineSummary/isDefaultDevice``, and the page says that it was assumed.
  public static func render(_ report: Report) -> String {
    let roofline = report.roofline
    let chosen = roofline?.isDefaultDevice != true
    let title = report.model.name.isEmpty ? "model" : report.model.name
    var page =
      HTMLStyle.head(title: "\(title) · ConvScope report") + [
        "<script>\n\(HTMLScript.errorTrap)</script>",
        "</head>",
        "<body>",
        "<pre id=\"errors\" hidden></pre>",
      ]
    page += header(report, title: title)
    page += charts(report, roofline: roofline, chosen: chosen)
    page += [
      "<section id=\"table-section\">",
      "<h2>Layers</h2>",
      "<div class=\"controls\">",
      "<label>Filter <input id=\"filter\" type=\"search\" placeholder=\"name or op\"></label>",
      depthControl(report),
      "<span id=\"shown\"></span>",
      "</div>",
      "<div class=\"scroll\">",
      HTMLLayerTable.html(report),
      "</div>",
      "</section>",
    ]
    page += footnotes(report)
    page += [
      "<pre id=\"selftest\" hidden></pre>",
      "<script>\n\(HTMLScript.main)</script>",
      "</body>",
      "</html>",
    ]
    return page.joined(separator: "\n") + "\n"
  }

  private static func header(_ report: Report, title: String) -> [String] {
    let t = report.totals
    var about: [String] = []
    if !report.model.source.isEmpty { about.append("<code>\(Markup.escape(report.model.source))</code>") }
    if let format = report.model.format { about.append(format.rawValue) }
    about.append("shapes in \(report.model.layout.rawValue) layout")
    let inputs = report.inputs.map {
      "<code>\(Markup.escape($0.name))</code> \(Markup.escape($0.displayShape.description)) \($0.dtype.rawValue)"
    }
    var lines = [
      "<header>",
      "<h1>\(Markup.escape(title))</h1>",
      "<p class=\"about\">\(about.joined(separator: " · "))</p>",
      "<p class=\"about\">Input\(inputs.count == 1 ? "" : "s"): \(inputs.joined(separator: "; "))</p>",
    ]
    if !report.assumptions.isEmpty {
      lines.append("<p class=\"about\">Assumed: \(report.assumptions.map(Markup.escape).joined(separator: "; "))</p>")
    }
    if t.partial {
      let ops = report.unsupported.map { "\($0.op) ×\($0.count)" }.joined(separator: ", ")
      lines.append("<p class=\"warning\">Totals are partial: no rule for \(Markup.escape(ops)).</p>")
    }
    let peakNode = report.memory.peakNode.map { "during \(LayerRow.compactName($0, op: report.op(ofLayer: $0)))" }
    lines.append("<div class=\"cards\">")
    lines += [
      card(
        "Parameters", NumberFormatting.human(t.params), exact: t.params,
        note: "\(NumberFormatting.human(t.nonTrainableParams)) non-trainable"),
      card("MACs", NumberFormatting.human(t.macs), exact: t.macs, note: "multiply-accumulates"),
      card("FLOPs", NumberFormatting.human(t.flops), exact: t.flops, note: report.flopsBreakdown),
      card("Weight bytes", NumberFormatting.bytes(t.weightBytes), exact: t.weightBytes, note: "as stored"),
      card(
        "Peak activation memory", NumberFormatting.bytes(report.memory.peakActivationBytes),
        exact: report.memory.peakActivationBytes, note: peakNode ?? "activations alive at once"),
      card(
        "Activation bytes", NumberFormatting.bytes(t.activationBytes), exact: t.activationBytes,
        note: "all outputs, summed"),
    ]
    lines += ["</div>", "</header>"]
    return lines
  }

  private static func card(_ label: String, _ value: String, exact: Int, note: String) -> String {
    "<div class=\"card\"><div class=\"card-label\">\(label)</div>"
      + "<div class=\"card-value\" title=\"\(NumberFormatting.grouped(exact))\">\(value)</div>"
      + "<div class=\"card-note\">\(Markup.escape(note))</div></div>"
  }

  private static func charts(_ report: Report, roofline: RooflineSummary?, chosen: Bool) -> [String] {
    var rooflineCaption = "Roofline: no device profile."
    if let roofline {
      let source =
        chosen
        ? "device <b>\(Markup.escape(roofline.device))</b>"
        : "no device was chosen, so the built-in <b>\(Markup.escape(roofline.device))</b> profile is assumed"
      rooflineCaption =
        "Roofline (\(source), \(roofline.dtype.rawValue) peak "
        + "\(TickLabel.decade(roofline.peakFlopsPerSecond))FLOP/s, "
        + "\(TickLabel.decade(roofline.memoryBytesPerSecond))B/s): "
        + "every layer sits at its attainable rate; latency ≥ "
        + NumberFormatting.fixed(roofline.latencyLowerBoundSeconds * 1e3, decimals: 3)
        + " ms at batch \(roofline.batch)."
    }
    return [
      "<section id=\"charts\">",
      "<h2>Charts</h2>",
      figure(
        "fig-layers",
        caption:
          "Per layer: MACs, parameters and activation bytes, in execution order. Hover a column for its numbers.",
        svg: LayerBarsChart.svg(report),
        control: "<label class=\"toggle\"><input id=\"log-toggle\" type=\"checkbox\"> log scale</label>"),
      figure(
        "fig-ops", caption: "Share of the model by op type (the largest eight, then the rest together).",
        svg: ShareBarsChart.svg(
          ShareBarsChart.opTypeCategories(report), id: "chart-ops", title: "Share by op type",
          axisTitle: "op type (node count)")),
    ]
      + stageFigure(report) + [
        figure(
          "fig-memory", caption: "Activation memory alive while each node runs; the peak is marked.",
          svg: MemoryTimelineChart.svg(report)),
        figure(
          "fig-receptive-field",
          caption: "Receptive field of each layer's output, per spatial axis, against the input size.",
          svg: ReceptiveFieldChart.svg(report)),
        figure("fig-roofline", caption: rooflineCaption, svg: RooflineChart.svg(roofline)),
        "</section>",
      ]
  }

  /// The stage balance, for a model with feature maps (``Report/stages`` is empty for a language model).
  private static func stageFigure(_ report: Report) -> [String] {
    guard !report.stages.isEmpty else { return [] }
    return [
      figure(
        "fig-stages",
        caption:
          "Stage balance: layers grouped by output resolution, with their shares of MACs, parameters and activations.",
        svg: ShareBarsChart.svg(
          ShareBarsChart.stageCategories(report), id: "chart-stages", title: "Stage balance",
          axisTitle: "stage (output resolution, channels at its end)"))
    ]
  }

  private static func figure(_ id: String, caption: String, svg: String, control: String = "") -> String {
    "<figure class=\"chart-box\" id=\"\(id)\">\n"
      + "<figcaption>\(caption)\(control.isEmpty ? "" : " " + control)</figcaption>\n"
      + "<div class=\"scroll\">\n\(svg)\n</div>\n</figure>"
  }

  /// A choice of module depth, when some layer sits deeper than the top level.
  private static func depthControl(_ report: Report) -> String {
    let deepest = report.visibleLayers.map { HTMLLayerTable.modulePath($0).count }.max() ?? 0
    guard deepest > 1 else { return "" }
    let options = (1..<deepest).map { "<option value=\"\($0)\">depth \($0)</option>" }.joined()
    return
      "<label>Group by module <select id=\"depth\"><option value=\"0\">no grouping</option>\(options)</select></label>"
  }

  private static func footnotes(_ report: Report) -> [String] {
    let ops = report.opsByLayer
    let sections = ReportFootnotes(report, displayName: { LayerRow.compactName($0, op: ops[$0]) })
      .sections(includingLayers: true)
    guard !sections.isEmpty else { return [] }
    var lines = ["<section id=\"notes\">"]
    for section in sections {
      lines.append("<h2>\(Markup.escape(section.title))</h2>")
      lines.append("<ul>" + section.lines.map { "<li>\(Markup.escape($0))</li>" }.joined() + "</ul>")
    }
    lines.append("</section>")
    return lines
  }
}
