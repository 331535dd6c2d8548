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
      for layer in report.visibleLayers {
        let marker = Self.marker(for: layer)
        guard !marker.isEmpty else { continue }
        notes += layer.warnings.map { "\(marker) \(displayName(layer.name)): \($0)" }
      }
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
