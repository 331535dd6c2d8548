import ConvScopeCore
import ConvScopeReport

/// The terminal report: a header, one table row per layer (with its geometry,
/// formulas and share of the parameters on dimmed detail lines beneath), the totals, a per-op summary, and
/// footnotes for assumptions, unsupported ops, inexact divisions and notes.
/// Fits ``RenderOptions/width`` (see ``TextTable`` for the order in which it gives way);
/// colour only when asked.
public enum TableRenderer {
  /// `report` as a terminal table; ends with a newline.
  public static func render(_ report: Report, options: RenderOptions = RenderOptions()) -> String {
    OutputPieces.whole { render(report, options: options, to: $0) }
  }

  /// `report` as a terminal table (the text ``render(_:options:)`` returns), handed to `write`
  /// in pieces of about 64 KiB (``OutputPieces``), so a large model's table is never held whole.
  public static func render<E: Error>(
    _ report: Report, options: RenderOptions = RenderOptions(), to write: (String) throws(E) -> Void
  ) throws(E) {
    var pieces = OutputPieces()
    func emit(_ line: String) throws(E) { try pieces.line(line, to: write) }
    func emit(_ lines: [String]) throws(E) { try pieces.lines(lines, to: write) }
    let flush = { (text: inout TextBytes) throws(E) in try OutputPieces.flush(&text, ifFullTo: write) }

    let style = TerminalStyle(enabled: options.color)
    let width = options.fittedWidth
    let names = report.displayNames
    let count: (Int) -> String = options.exactCounts ? { NumberFormatting.grouped($0) } : { NumberFormatting.human($0) }
    // A header line longer than the width (a long path) wraps under its value.
    try emit(
      header(report, style: style).flatMap { line in
        TextTable.width(line) <= width
          ? [line] : TextTable.wrapWords(String(line.dropFirst(2)), width: width - 2, indent: 8).map { "  " + $0 }
      })
    // The layer table is held to the end and freed on another thread (``BackgroundRelease``):
    // the sections after it are small, and the process mostly ends once they are written.
    var layers: TextTable?
    if !options.totalsOnly {
      try emit("")
      layers = layerTable(report, names: names, view: options.view, count: count)
      try layers?.render(style: style, maxWidth: width, into: &pieces.text, flush: flush)
    }
    try emit("")
    try emit(totals(report, names: names, style: style, width: width))
    if !options.totalsOnly && !report.byOpType.isEmpty {
      try emit("")
      try emit(style.bold("By op type"))
      try opTable(report, count: count).render(style: style, maxWidth: width, into: &pieces.text, flush: flush)
    }
    if !options.totalsOnly && !report.stages.isEmpty {
      try emit("")
      try emit(style.bold("By stage") + "  " + style.dim("(layers at one output resolution)"))
      try stageTable(report, count: count).render(style: style, maxWidth: width, into: &pieces.text, flush: flush)
    }
    for section in PassSection.sections(of: report) {
      try emit("")
      try emit(passSection(section, style: style, width: width))
    }
    let footnotes = ReportFootnotes(report) { names[$0] ?? $0 }
    for section in footnotes.sections(includingLayers: !options.totalsOnly) {
      try emit("")
      try emit(section.isWarning ? style.yellow(style.bold(section.title)) : style.bold(section.title))
      try emit(
        section.lines.flatMap { TextTable.wrapWords($0, width: width - 2, indent: 4) }.map { "  " + $0 })
    }
    try pieces.finish(to: write)
    BackgroundRelease.release(consume layers, count: report.layers.count)
  }

  private static func header(_ report: Report, style: TerminalStyle) -> [String] {
    let model = report.model
    var source = model.source.isEmpty ? "" : model.source
    if let format = model.format?.rawValue { source += source.isEmpty ? format : " (\(format))" }
    var lines = [style.bold(model.name.isEmpty ? "model" : model.name)]
    let shapes = "shapes in \(model.layout.rawValue) layout"
    lines.append("  source  " + (source.isEmpty ? shapes : "\(source) · \(shapes)"))
    for (i, input) in report.inputs.enumerated() {
      lines.append(
        (i == 0 ? "  input   " : "          ")
          + ([input.name] + [input.shapeText, input.typeName].compactMap { $0 }).joined(separator: " "))
    }
    return lines
  }

  /// The layer table. Fitting a narrow width, the Layer, Op and Output columns shrink (names
  /// lose their leading module-path components), then the detail lines go, then the columns
  /// MACs%, Activation, FLOPs, Output and Op, in that order; Layer, Params and MACs stay.
  private static func layerTable(
    _ report: Report, names: DisplayNames, view: TableView, count: (Int) -> String
  ) -> TextTable {
    let limit = { (width: Int) in view == .wide ? Int.max : width }
    let columns: [TextTable.Column] = [
      .init(title: "Layer", alignment: .left, maxWidth: limit(28), minWidth: 12, shortening: .path),
      .init(title: "Op", alignment: .left, maxWidth: limit(18), minWidth: 9, dropRank: 5),
      .init(title: "Output", alignment: .left, maxWidth: limit(18), minWidth: 12, dropRank: 4),
      .init(title: "Params", alignment: .right), .init(title: "MACs", alignment: .right),
      .init(title: "FLOPs", alignment: .right, dropRank: 3), .init(title: "Activation", alignment: .right, dropRank: 2),
      .init(title: "MACs%", alignment: .right, dropRank: 1),
    ]
    // The visible layers, read in place (not copied out as `visibleLayers` would), a large
    // model's on several threads.
    let shown = report.layers.indices.filter { !report.layers[$0].folded }
    let convention = report.convention?.convention
    let rows = ParallelRows.array(count: shown.count, workers: ParallelRows.workers(for: shown.count)) { row in
      layerRow(
        report.layers[shown[row]], name: names.byLayer[shown[row]], view: view, convention: convention, count: count)
    }
    let t = report.totals
    let footer = TextTable.Row(cells: [
      "Total", "", "", NumberFormatting.grouped(t.params), count(t.macs),
      count(t.flops), NumberFormatting.bytes(t.activationBytes), "100%",
    ])
    var table = TextTable(columns: columns, rows: rows, footer: footer)
    if view == .wide { table.detailWidth = .max }
    return table
  }

  /// One layer's row of the layer table: its cells and, unless the view is compact, its detail lines.
  private static func layerRow(
    _ layer: borrowing LayerRow, name: String, view: TableView, convention: String?, count: (Int) -> String
  ) -> TextTable.Row {
    let marker = ReportFootnotes.marker(for: layer)
    var cells = [marker.isEmpty ? name : name + marker, shortOpName(layer.op), layer.outputShapeText]
    cells.reserveCapacity(8)
    if layer.supported {
      cells += [
        NumberFormatting.grouped(layer.params), count(layer.macs), count(layer.flops),
        NumberFormatting.bytes(layer.activationBytes), NumberFormatting.percent(layer.macsShare),
      ]
    } else {
      cells += repeatElement("—", count: 5)
    }
    return TextTable.Row(
      cells: cells, details: view == .compact ? [] : details(layer, convention: convention), isWarning: !marker.isEmpty)
  }

  /// The geometry line and the formula line under a layer's row.
  private static func details(_ layer: borrowing LayerRow, convention: String?) -> [[String]] {
    // Each text is built once (they are computed properties).
    let input = layer.inputShapeText
    var geometry = ["in " + (input.isEmpty ? "—" : input)]
    if let window = layer.window {
      geometry += ["kernel " + layer.kernelText, "stride " + layer.strideText, "pad " + layer.paddingText]
      let dilation = layer.dilationText
      if !dilation.isEmpty { geometry.append("dilation " + dilation) }
      if window.ceilMode { geometry.append("ceil") }
    }
    let field = layer.receptiveFieldText
    if !field.isEmpty { geometry.append("receptive field " + field) }
    if layer.activationElements > 0 {
      geometry.append("\(NumberFormatting.grouped(layer.activationElements)) elements")
    }
    var formulas = layer.labelledShapeFormulas
    if let paramFormula = layer.paramFormula { formulas.append("params " + paramFormula) }
    if layer.params > 0 {
      let share = NumberFormatting.percent(layer.paramsShare) + " of params"
      if layer.paramFormula == nil { formulas.append("params \(NumberFormatting.grouped(layer.params))") }
      formulas[formulas.count - 1] += " (\(share))"
    }
    if layer.nonTrainableParams > 0 {
      formulas.append("non-trainable \(NumberFormatting.grouped(layer.nonTrainableParams))")
    }
    if let convention, let figure = layer.conventionFigure {
      formulas.append("\(convention) \(NumberFormatting.grouped(figure))")
    }
    return formulas.isEmpty ? [geometry] : [geometry, formulas]
  }

  private static func totals(_ report: Report, names: DisplayNames, style: TerminalStyle, width: Int) -> [String] {
    let t = report.totals
    let m = report.memory
    let g = NumberFormatting.grouped
    let h = NumberFormatting.human
    let b = NumberFormatting.bytes
    let name = { (layer: String) in
      TextTable.shortenPath(
        names[layer] ?? layer,
        to: width > 10_000 ? .max : min(40, max(12, width - 60)))
    }
    // A comment wraps between words; the FLOPs breakdown only between its terms.
    let words = { (text: String) in text.split(separator: " ").map(String.init) }
    let flops = report.flopsParts.enumerated().map { $0.offset == 0 ? $0.element : "+ " + $0.element }
    let rows: [(label: String, exact: String, short: String, comment: [String])] = [
      (
        "Parameters", g(t.params), h(t.params),
        words(t.trainableParams == t.params ? "all trainable" : "trainable \(g(t.trainableParams))")
      ),
      ("Non-trainable", g(t.nonTrainableParams), h(t.nonTrainableParams), words("running statistics, not parameters")),
      ("Weight memory", g(t.weightBytes) + " B", b(t.weightBytes), words("parameters and statistics as stored")),
      ("MACs", g(t.macs), h(t.macs), words("multiply-accumulates")),
      ("FLOPs", g(t.flops), h(t.flops), flops),
      ("Activations", g(t.activationBytes) + " B", b(t.activationBytes), words("every layer's output, summed")),
      (
        "Largest layer", g(t.peakLayerActivationBytes) + " B", b(t.peakLayerActivationBytes),
        t.peakLayer.map { ["output", "of", name($0)] } ?? []
      ),
      (
        "Peak live memory", g(m.peakActivationBytes) + " B", b(m.peakActivationBytes),
        m.peakNode.map { node in ["during", name(node)] + (report.op(ofLayer: node).map { ["(\($0))"] } ?? []) } ?? []
      ),
    ]
    let labelWidth = rows.map(\.label.count).max() ?? 0
    let exactWidth = rows.map(\.exact.count).max() ?? 0
    let shortWidth = rows.map(\.short.count).max() ?? 0
    var lines = [
      style.bold("Totals") + (t.partial ? "  " + style.yellow("(partial: the layers marked ? are not counted)") : "")
    ]
    for row in rows {
      let text =
        "  " + TextTable.pad(row.label, labelWidth, .left) + "  " + TextTable.pad(row.exact, exactWidth, .right)
        + "  " + TextTable.pad(row.short, shortWidth, .right)
      guard !row.comment.isEmpty else {
        lines.append(text)
        continue
      }
      let comment = TextTable.wrapTokens(row.comment, width: max(20, width - text.count - 2), indent: 2)
      let hang = String(repeating: " ", count: text.count + 2)
      lines += comment.enumerated().map { ($0.offset == 0 ? text + "  " : hang) + style.dim($0.element) }
    }
    return lines
  }

  /// A pass's section: title, wrapped lines, its table, dimmed notes.
  private static func passSection(_ section: PassSection, style: TerminalStyle, width: Int) -> [String] {
    let wrap = { (text: String) in TextTable.wrapWords(text, width: width - 2, indent: 4).map { "  " + $0 } }
    var lines = [style.bold(section.title)] + section.lines.flatMap(wrap)
    if !section.columns.isEmpty {
      let kept = section.columns.indices.filter { $0 != section.detailColumn }
      // Narrow terminals: text columns shrink to 12 (the first, a name, loses leading path
      // components); then the columns between the first and the last go, left to right (the
      // last holds the conclusion: a bound, a latency, a formula).
      let columns = kept.enumerated().map { position, i in
        let text = !section.columns[i].rightAligned
        return TextTable.Column(
          title: section.columns[i].title, alignment: text ? .left : .right, minWidth: text ? 12 : nil,
          dropRank: position > 0 && position < kept.count - 1 ? position : nil,
          shortening: position == 0 ? .path : .middle)
      }
      let rows = section.rows.map { cells in
        TextTable.Row(
          cells: kept.map { cells[$0] }, details: section.detailColumn.map { [[cells[$0]]] } ?? [])
      }
      lines += TextTable(columns: columns, rows: rows).render(style: style, maxWidth: width)
    }
    return lines + section.notes.flatMap(wrap).map(style.dim)
  }

  private static func opTable(_ report: Report, count: (Int) -> String) -> TextTable {
    let columns: [TextTable.Column] = [
      .init(title: "Op", alignment: .left), .init(title: "Count", alignment: .right),
      .init(title: "Params", alignment: .right), .init(title: "MACs", alignment: .right),
      .init(title: "FLOPs", alignment: .right, dropRank: 3), .init(title: "Activation", alignment: .right, dropRank: 2),
      .init(title: "MACs%", alignment: .right, dropRank: 1),
    ]
    let rows = report.byOpType.map { op in
      TextTable.Row(cells: [
        shortOpName(op.op), String(op.count), NumberFormatting.grouped(op.params), count(op.macs),
        count(op.flops), NumberFormatting.bytes(op.activationBytes),
        NumberFormatting.percent(op.macsShare),
      ])
    }
    return TextTable(columns: columns, rows: rows)
  }

  private static func stageTable(_ report: Report, count: (Int) -> String) -> TextTable {
    let columns: [TextTable.Column] = [
      .init(title: "Stage", alignment: .left), .init(title: "Channels", alignment: .right),
      .init(title: "Layers", alignment: .right), .init(title: "MACs", alignment: .right),
      .init(title: "MACs%", alignment: .right), .init(title: "Params%", alignment: .right),
      .init(title: "Act.%", alignment: .right),
    ]
    let rows = report.stages.map { stage in
      TextTable.Row(cells: [
        stage.resolution, stage.channels == 0 ? "" : String(stage.channels), String(stage.layers),
        count(stage.macs), NumberFormatting.percent(stage.macsShare),
        NumberFormatting.percent(stage.paramsShare), NumberFormatting.percent(stage.activationShare),
      ])
    }
    return TextTable(columns: columns, rows: rows)
  }

  /// The op type as the table writes it: the long normalisation names in their usual short form.
  private static func shortOpName(_ op: String) -> String { OpShortName.of(op) }
}
