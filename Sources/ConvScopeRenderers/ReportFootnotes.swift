import ConvScopeCore
import ConvScopeReport

/// What the table and Markdown print under the layers: the assumed dims, the
/// ops without a rule, and footnotes for marked rows, folded rows and the
/// model's notes. Marks: `*` a row with a warning (an inexact division and the
/// rounding applied), `?` a row that was not analysed.
struct ReportFootnotes {
  struct Section {
    var title: String
    var lines: [String]
    var isWarning: Bool
  }

  let report: Report
  /// How a layer name is written in the notes (the table writes compact names).
  let displayName: (String) -> String

  init(_ report: Report, displayName: @escaping (String) -> String = { $0 }) {
    self.report = report
    self.displayName = displayName
  }

  /// `*` for a row with warnings, `?` for a row not analysed, else empty.
  static func marker(for layer: LayerRow) -> String {
    if !layer.supported { return "?" }
    return layer.warnings.isEmpty ? "" : "*"
  }

  /// The words of a window's warning that floor division left input unread (``Window``'s text).
  static let floorWarning = "is not whole; floor leaves"

  /// How many layers a collapsed footnote names before it counts the rest.
  static let namedLayers = 12

  /// The floor warnings of every layer as one line: `* 6 output sizes rounded down (floor) in
  /// 3 layers: a, b, c; ...`, the formulas under each row giving the rounding.
  private func floorLine(axes: Int, layers: [String]) -> String {
    let names = layers.prefix(Self.namedLayers).map(displayName).joined(separator: ", ")
    let more = layers.count > Self.namedLayers ? " and \(layers.count - Self.namedLayers) more" : ""
    let noun = axes == 1 ? "output size" : "output sizes"
    return "* \(axes) \(noun) rounded down (floor, the last input elements unread) in \(layers.count) "
      + "layer\(layers.count == 1 ? "" : "s"): \(names)\(more); the formulas under each row show the rounding"
  }

  /// The non-empty sections, in print order. Without layers (`--quiet`), the
  /// footnotes that point at rows (and the model's per-layer notes) are left out.
  func sections(includingLayers: Bool) -> [Section] {
    var sections: [Section] = []
    if !report.assumptions.isEmpty {
      sections.append(Section(title: "Assumptions", lines: report.assumptions, isWarning: false))
    }
    if !report.unsupported.isEmpty {
      let lines = report.unsupported.map { "\($0.op) ×\($0.count)" }
      sections.append(
        Section(title: "Unsupported ops (no rule; totals are partial)", lines: lines, isWarning: true))
    }
    var notes: [String] = []
    if includingLayers {
      var floored: [String] = []
      var flooredAxes = 0
      for layer in report.layers where !layer.folded {
        let marker = Self.marker(for: layer)
        guard !marker.isEmpty else { continue }
        for warning in layer.warnings {
          guard warning.contains(Self.floorWarning) else {
            notes.append("\(marker) \(displayName(layer.name)): \(warning)")
            continue
          }
          flooredAxes += 1
          if floored.last != layer.name { floored.append(layer.name) }
        }
      }
      if flooredAxes > 0 { notes.insert(floorLine(axes: flooredAxes, layers: floored), at: 0) }
      let folded = report.foldedCount
      if folded > 0 {
        let noun = folded == 1 ? "layer" : "layers"
        notes.append("\(folded) \(noun) of constant shape arithmetic folded away and not shown")
      }
      if let layer = report.receptiveFieldCoversInputAt {
        notes.append("the receptive field covers the whole input from \(displayName(layer)) on")
      }
      notes += report.notes
    }
    if !notes.isEmpty { sections.append(Section(title: "Notes", lines: notes, isWarning: false)) }
    return sections
  }
}
