import ConvScopeCore
import ConvScopeReport

/// The report as GitHub-flavoured Markdown: the same information as the terminal
/// table, with every column of a layer in one row (Markdown has no width limit)
/// and exact numbers throughout.
public enum MarkdownRenderer {
  /// `report` as Markdown; ends with a newline.
  public static func render(_ report: Report, options: RenderOptions = RenderOptions()) -> String {
    OutputPieces.whole { render(report, options: options, to: $0) }
  }

  /// `report` as Markdown (the text ``render(_:options:)`` returns), handed to `write` in pieces
  /// of about 64 KiB (``OutputPieces``), the layers' rows written as they are made.
  public static func render<E: Error>(
    _ report: Report, options: RenderOptions = RenderOptions(), to write: (String) throws(E) -> Void
  ) throws(E) {
    let g = NumberFormatting.grouped
    var pieces = OutputPieces()
    var lines = ["# \(escape(report.model.name.isEmpty ? "model" : report.model.name))", ""]
    var about: [String] = []
    if !report.model.source.isEmpty { about.append("Source: `\(report.model.source)`") }
    if let format = report.model.format { about.append("format \(format.rawValue)") }
    about.append("shapes in \(report.model.layout.rawValue) layout")
    lines += [about.joined(separator: " · "), ""]
    lines += table(
      ["Input", "Shape", "Type"],
      report.inputs.map { ["`\($0.name)`", code($0.shapeText ?? ""), $0.typeName] }, rightAligned: [])

    if !options.totalsOnly {
      lines += ["", "## Layers", ""]
      let convention = report.convention?.convention
      let header =
        [
          "Layer", "Op", "Input", "Kernel", "Stride", "Padding", "Output", "Output size", "Params formula",
          "Params", "MACs", "FLOPs", "Activation elements", "Activation bytes", "MACs %", "Params %", "Receptive field",
        ] + (convention.map { [$0] } ?? [])
      let rightAligned = Set(9..<16).union(convention == nil ? [] : [17])
      // What is above the layers goes out first; then each visible layer's row, read in place
      // (a row is large: iterating would copy each one), as it is made.
      try pieces.lines(lines + table(header, [], rightAligned: rightAligned), to: write)
      lines = []
      for index in report.layers.indices where !report.layers[index].folded {
        try pieces.line(tableLine(layerCells(report.layers[index], convention: convention)), to: write)
      }
    }

    let t = report.totals
    lines += [
      "", "## Totals" + (t.partial ? " (partial: layers without a rule or a known input shape are not counted)" : ""),
      "",
    ]
    lines += table(
      ["Quantity", "Exact", "Short", "What it counts"],
      [
        ["Parameters", g(t.params), NumberFormatting.human(t.params), "learnable weights and biases"],
        ["Trainable parameters", g(t.trainableParams), NumberFormatting.human(t.trainableParams), ""],
        ["Non-trainable", g(t.nonTrainableParams), NumberFormatting.human(t.nonTrainableParams), "running statistics"],
        [
          "Weight bytes", g(t.weightBytes), NumberFormatting.bytes(t.weightBytes),
          "parameters and statistics as stored",
        ],
        ["MACs", g(t.macs), NumberFormatting.human(t.macs), "multiply-accumulates"],
        ["FLOPs", g(t.flops), NumberFormatting.human(t.flops), code(report.flopsBreakdown)],
        [
          "Activation bytes", g(t.activationBytes), NumberFormatting.bytes(t.activationBytes),
          "every layer's output, summed",
        ],
        [
          "Peak layer activation", g(t.peakLayerActivationBytes), NumberFormatting.bytes(t.peakLayerActivationBytes),
          t.peakLayer.map { "`\($0)`" } ?? "",
        ],
        [
          "Peak memory", g(report.memory.peakActivationBytes),
          NumberFormatting.bytes(report.memory.peakActivationBytes),
          "activations alive at once" + (report.memory.peakNode.map { ", during `\($0)`" } ?? ""),
        ],
      ], rightAligned: [1, 2])

    if !options.totalsOnly && !report.byOpType.isEmpty {
      lines += ["", "## By op type", ""]
      lines += table(
        ["Op", "Count", "Params", "MACs", "FLOPs", "Activation bytes"],
        report.byOpType.map {
          [$0.op, String($0.count), g($0.params), g($0.macs), g($0.flops), g($0.activationBytes)]
        },
        rightAligned: Set(1..<6))
    }
    if !options.totalsOnly && !report.stages.isEmpty {
      lines += ["", "## By stage", ""]
      lines += table(
        ["Stage", "Channels", "Layers", "MACs", "MACs %", "Params %", "Activation %"],
        report.stages.map {
          [
            $0.resolution, $0.channels == 0 ? "" : String($0.channels), String($0.layers), g($0.macs),
            NumberFormatting.percent($0.macsShare), NumberFormatting.percent($0.paramsShare),
            NumberFormatting.percent($0.activationShare),
          ]
        }, rightAligned: Set(1..<7))
    }
    for section in PassSection.sections(of: report) {
      lines += ["", "## \(escape(section.title))", ""]
      lines += section.lines.map { escape($0) + "  " }
      if !section.columns.isEmpty {
        if !section.lines.isEmpty { lines.append("") }
        lines += table(
          section.columns.map(\.title), section.rows.map { $0.map(escape) },
          rightAligned: Set(section.columns.indices.filter { section.columns[$0].rightAligned }))
      }
      if !section.notes.isEmpty { lines += [""] + section.notes.map { "- " + escape($0) } }
    }
    for section in ReportFootnotes(report).sections(includingLayers: !options.totalsOnly) {
      lines += ["", "## \(section.title)", ""]
      lines += section.lines.map { "- " + escape($0) }
    }
    try pieces.lines(lines, to: write)
    try pieces.finish(to: write)
  }

  /// A layer's cells in the layers table.
  private static func layerCells(_ layer: borrowing LayerRow, convention: String?) -> [String] {
    let g = NumberFormatting.grouped
    let counts =
      layer.supported
      ? [
        g(layer.params), g(layer.macs), g(layer.flops), g(layer.activationElements), g(layer.activationBytes),
        NumberFormatting.percent(layer.macsShare), NumberFormatting.percent(layer.paramsShare),
      ] : Array(repeating: "—", count: 7)
    let field = layer.receptiveFieldText
    return [
      escape(layer.name + ReportFootnotes.marker(for: layer)), layer.op, code(layer.inputShapeText),
      code(layer.kernelText), layer.strideText, layer.paddingText, code(layer.outputShapeText),
      layer.labelledShapeFormulas.map(code).joined(separator: "<br>"), code(layer.paramFormula ?? ""),
    ] + counts + [field] + (convention == nil ? [] : [layer.conventionFigure.map(g) ?? ""])
  }

  private static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int>) -> [String] {
    let rule = header.indices.map { rightAligned.contains($0) ? "---:" : "---" }
    return ([header, rule] + rows).map(tableLine)
  }

  /// One row of a table: `| a | b |`.
  private static func tableLine(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }

  /// Text in a code span, or empty.
  private static func code(_ text: String) -> String { text.isEmpty ? "" : "`\(text)`" }

  /// Markdown's table and emphasis characters made literal.
  static func escape(_ text: String) -> String {
    // None of the characters' bytes (`|*_`[]<>\\`, all ASCII): nothing to escape.
    let special: (UInt8) -> Bool = {
      switch $0 {
      case 0x7C, 0x2A, 0x5F, 0x60, 0x5B, 0x5D, 0x3C, 0x3E, 0x5C: true
      default: false
      }
    }
    guard text.utf8.contains(where: special)
    else { return text }
    var out = ""
    for character in text {
      if "|*_`[]<>\\".contains(character) { out.append("\\") }
      out.append(character)
    }
    return out
  }
}
