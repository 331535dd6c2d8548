import ConvScopeCore
import ConvScopeReport

/// The index page of many models' reports: the summary table, each model's name linking
/// to its own report page, a failed model's row with its error. Self-contained like the
/// report pages (the same style sheet, no script, no network).
enum HTMLIndex {
  static func render(_ summary: FolderSummary, pages: [String]?) -> String {
    var page =
      HTMLStyle.head(title: "\(summary.rows.count) models · ConvScope") + [
        "</head>",
        "<body>",
        "<h1>Models</h1>",
        "<p class=\"about\">\(Markup.escape(FolderSummaryRenderer.tally(summary)))</p>",
        "<div class=\"scroll\">",
        "<table id=\"models\">",
        "<thead><tr>"
          + FolderSummaryRenderer.titles.enumerated().map { index, title in
            (2...6).contains(index) ? "<th class=\"num\">\(title)</th>" : "<th>\(title)</th>"
          }.joined() + "</tr></thead>",
        "<tbody>",
      ]
    for (index, row) in summary.rows.enumerated() {
      var cells = FolderSummaryRenderer.cells(row, exact: false).map(Markup.escape)
      let name = cells[0]
      if let pages, pages.indices.contains(index), row.error == nil {
        cells[0] = "<a href=\"\(Markup.escape(pages[index]))\">\(name)</a>"
      }
      cells[0] += "<div class=\"about\">\(Markup.escape(row.source))</div>"
      if let error = row.error {
        cells[0] += "<div class=\"warning\">\(Markup.escape(error))</div>"
      }
      let exact = [row.params, row.macs, row.flops, row.weightBytes, row.peakActivationBytes]
      page.append(
        "<tr>"
          + cells.enumerated().map { column, cell in
            guard (2...6).contains(column), let value = exact[column - 2] else { return "<td>\(cell)</td>" }
            return "<td class=\"num\" title=\"\(NumberFormatting.grouped(value))\">\(cell)</td>"
          }.joined() + "</tr>")
    }
    page += ["</tbody>", "</table>", "</div>", "</body>", "</html>"]
    return page.joined(separator: "\n") + "\n"
  }
}
