import ConvScopeCore
import ConvScopeReport

/// The layer table of the HTML report: one `tr.layer` per listed layer, in
/// execution order. Numbers are short with units, the exact value in
/// `data-v` (what sorting reads) and in the hover title; each row carries its
/// module path (`data-path`, dot-separated) for grouping by module depth.
enum HTMLLayerTable {
  /// A column: its heading, how it sorts and sums, and the cell of a row.
  struct Column: Sendable {
    var key: String
    var heading: String
    /// `num` (sorts by `data-v`) or `text`.
    var type: String
    /// True when a group of rows shows the column's sum.
    var summable: Bool
    /// `bytes`, `count` or `percent`: how the page formats a sum.
    var unit: String
    var cell: @Sendable (Int, LayerRow) -> String
  }

  static let columns: [Column] = [
    Column(key: "index", heading: "#", type: "num", summable: false, unit: "count") { index, _ in
      "<td class=\"num\" data-v=\"\(index + 1)\">\(index + 1)</td>"
    },
    Column(key: "name", heading: "Layer", type: "text", summable: false, unit: "") { _, layer in
      let mark = ReportFootnotes.marker(for: layer)
      return "<td class=\"name\" data-v=\"\(Markup.escape(layer.name))\" title=\"\(Markup.escape(layer.name))\">"
        + Markup.escape(LayerRow.compactName(layer.name, op: layer.op) + mark) + "</td>"
    },
    Column(key: "op", heading: "Op", type: "text", summable: false, unit: "") { _, layer in
      "<td>\(Markup.escape(layer.op))</td>"
    },
    Column(key: "output", heading: "Output", type: "text", summable: false, unit: "") { _, layer in
      "<td class=\"shape\">\(Markup.escape(layer.outputShapeText))</td>"
    },
    Column(key: "kernel", heading: "Kernel / stride", type: "text", summable: false, unit: "") { _, layer in
      let text = layer.kernelText.isEmpty ? "" : "\(layer.kernelText) / \(layer.strideText)"
      return "<td class=\"shape\">\(Markup.escape(text))</td>"
    },
    count("params", "Params", \.params),
    count("macs", "MACs", \.macs),
    count("flops", "FLOPs", \.flops),
    Column(key: "activation", heading: "Activation", type: "num", summable: true, unit: "bytes") { _, layer in
      numberCell(
        layer.activationBytes, shown: NumberFormatting.bytes(layer.activationBytes), supported: layer.supported)
    },
    Column(key: "macs-share", heading: "MACs %", type: "num", summable: true, unit: "percent") { _, layer in
      let shown = layer.supported ? NumberFormatting.percent(layer.macsShare) : "—"
      return "<td class=\"num\" data-v=\"\(layer.macsShare)\">\(shown)</td>"
    },
    Column(key: "rf", heading: "Rec. field", type: "num", summable: false, unit: "") { _, layer in
      let largest = layer.receptiveField?.size.max() ?? 0
      return "<td class=\"num\" data-v=\"\(largest)\">\(Markup.escape(layer.receptiveFieldText))</td>"
    },
    Column(key: "formula", heading: "Formulas", type: "text", summable: false, unit: "") { _, layer in
      let formulas = layer.labelledShapeFormulas + (layer.paramFormula.map { ["params: " + $0] } ?? []) + layer.warnings
      guard !formulas.isEmpty else { return "<td></td>" }
      let body = formulas.map { "<code>\(Markup.escape($0))</code>" }.joined(separator: "<br>")
      return "<td class=\"formula\" title=\"\(Markup.escape(formulas.joined(separator: "\n")))\">"
        + "<details><summary>ƒ</summary>\(body)</details></td>"
    },
  ]

  private static func count(_ key: String, _ heading: String, _ value: @escaping @Sendable (LayerRow) -> Int) -> Column
  {
    Column(key: key, heading: heading, type: "num", summable: true, unit: "count") { _, layer in
      numberCell(value(layer), shown: NumberFormatting.human(value(layer)), supported: layer.supported)
    }
  }

  private static func numberCell(_ value: Int, shown: String, supported: Bool) -> String {
    guard supported else { return "<td class=\"num\" data-v=\"0\">—</td>" }
    return "<td class=\"num\" data-v=\"\(value)\" title=\"\(NumberFormatting.grouped(value))\">\(shown)</td>"
  }

  /// A layer's module path: its group (`layer1.0.conv1`) or, without one, its name as one part.
  static func modulePath(_ layer: LayerRow) -> [String] {
    if let group = layer.group, !group.isEmpty {
      return group.split(separator: ".").map(String.init)
    }
    return [layer.name]
  }

  /// The table element.
  static func html(_ report: Report) -> String {
    let layers = report.visibleLayers
    var lines = [
      "<table id=\"layers\" data-layer-count=\"\(layers.count)\">",
      "<thead><tr>"
        + columns.map {
          "<th data-col=\"\($0.key)\" data-type=\"\($0.type)\" data-unit=\"\($0.unit)\""
            + ($0.summable ? " data-sum=\"1\"" : "") + ($0.type == "num" ? " class=\"num\"" : "")
            + "><button type=\"button\">\(Markup.escape($0.heading))</button></th>"
        }.joined() + "</tr></thead>",
      "<tbody>",
    ]
    lines.reserveCapacity(layers.count + 6)
    for (index, layer) in layers.enumerated() {
      let search = (layer.name + " " + layer.op).lowercased()
      let flag = layer.supported ? (layer.warnings.isEmpty ? "" : " warned") : " unsupported"
      lines.append(
        "<tr class=\"layer\(flag)\" data-path=\"\(Markup.escape(modulePath(layer).joined(separator: ".")))\" "
          + "data-search=\"\(Markup.escape(search))\">" + columns.map { $0.cell(index, layer) }.joined() + "</tr>")
    }
    lines += ["</tbody>", "</table>"]
    return lines.joined(separator: "\n")
  }
}
