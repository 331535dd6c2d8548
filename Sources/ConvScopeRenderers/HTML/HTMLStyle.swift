import ConvScopeCore
import ConvScopeReport

/// The report page's style sheet: a readable layout from phone width to a
/// wide screen (charts scroll sideways rather than shrink below legibility),
/// and print rules that keep every chart in greyscale-safe patterns.
enum HTMLStyle {
  /// A page's first lines, up to and including the style sheet (the `<head>` is left open):
  /// UTF-8, a phone-width viewport, ConvScope's version as the generator, `title` (escaped).
  static func head(title: String) -> [String] {
    [
      "<!DOCTYPE html>",
      "<html lang=\"en\">",
      "<head>",
      "<meta charset=\"utf-8\">",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
      "<meta name=\"generator\" content=\"ConvScope \(ConvScopeVersion.current)\">",
      "<title>\(Markup.escape(title))</title>",
      "<style>\n\(css)</style>",
    ]
  }

  static let css = """
    :root { --ink: #1b1b1b; --muted: #5f6368; --line: #d0d4da; --band: #f3f5f8; --accent: #1f4e79; }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 1240px; padding: 16px; color: var(--ink);
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
    h1 { font-size: 1.6em; margin: 0.2em 0; word-break: break-word; }
    h2 { font-size: 1.2em; margin: 1.4em 0 0.5em; border-bottom: 1px solid var(--line); }
    code { font: 0.92em ui-monospace, "DejaVu Sans Mono", monospace; }
    .about { margin: 0.2em 0; color: var(--muted); word-break: break-word; }
    .warning { color: #8a1c00; font-weight: 600; }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; margin-top: 12px; }
    .card { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px; padding: 8px 12px; }
    .card-label { color: var(--muted); font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.03em; }
    .card-value { font-size: 1.5em; font-weight: 650; font-variant-numeric: tabular-nums; }
    .card-note { color: var(--muted); font-size: 0.8em; word-break: break-word; }
    .chart-box { margin: 0 0 18px; }
    figcaption { color: var(--muted); margin-bottom: 4px; }
    .toggle { color: var(--ink); white-space: nowrap; margin-left: 8px; }
    .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
    svg.chart { display: block; font: 11px system-ui, "DejaVu Sans", sans-serif; }
    svg .grid { stroke: #e3e6ea; stroke-width: 1; }
    svg .axis { stroke: #444; stroke-width: 1; }
    svg .tick, svg .label { fill: #333; }
    svg .muted { fill: var(--muted); }
    svg .panel-title, svg .axis-title { fill: #222; font-weight: 600; }
    svg .hit { fill: transparent; }
    svg .hit:hover { fill: rgba(0, 0, 0, 0.08); }
    svg .area { fill: #c9dcef; }
    svg .band { fill: #6fa8dc; }
    svg .line { fill: none; stroke: #1f4e79; stroke-width: 1.6; }
    svg .line.axis-1 { stroke: #8a4b12; stroke-dasharray: 6 3; }
    svg .line.axis-2 { stroke: #555; stroke-dasharray: 2 3; }
    svg .point.axis-0 { fill: #1f4e79; }
    svg .point.axis-1 { fill: #f4b183; stroke: #7f3f00; }
    svg .point.axis-2 { fill: #fff; stroke: #333; }
    svg .peak { fill: #fff; stroke: #b00020; stroke-width: 2.5; }
    svg .peak-rule { stroke: #b00020; stroke-dasharray: 4 3; }
    svg .peak-label { fill: #b00020; font-weight: 600; }
    svg .reference { stroke: #777; stroke-dasharray: 5 4; }
    svg .roof { fill: none; stroke: #222; stroke-width: 2; }
    svg .memory { fill: #fff; stroke: #1f4e79; stroke-width: 1.5; }
    svg .compute { fill: #8a4b12; stroke: #4a2600; }
    svg .scale-log { display: none; }
    .log svg .scale-log { display: inline; }
    .log svg .scale-lin { display: none; }
    .controls { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin: 6px 0 8px; }
    .controls input, .controls select { font: inherit; padding: 3px 6px; }
    #shown { color: var(--muted); }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    table { font-size: 13px; }
    th, td { padding: 3px 6px; border-bottom: 1px solid #eceef1; vertical-align: top; white-space: nowrap; }
    th { position: sticky; top: 0; background: #fff; border-bottom: 2px solid var(--line); text-align: left; }
    th button { all: unset; cursor: pointer; font-weight: 650; }
    th.sorted-desc button::after { content: " ▼"; }
    th.sorted-asc button::after { content: " ▲"; }
    .num { text-align: right; }
    td.name { max-width: 22em; overflow: hidden; text-overflow: ellipsis; }
    td.shape { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.92em; }
    tbody tr:nth-child(even) { background: var(--band); }
    tr.unsupported td { color: #8a1c00; }
    tr.group { background: #e4ebf3 !important; font-weight: 600; cursor: pointer; }
    td.formula details { white-space: normal; }
    td.formula summary { cursor: pointer; color: var(--accent); }
    td.formula code { white-space: nowrap; }
    #errors { color: #b00020; border: 2px solid #b00020; padding: 8px; }
    @media (max-width: 640px) {
      body { padding: 10px; font-size: 13px; }
      .card-value { font-size: 1.25em; }
      td.name { max-width: 12em; }
    }
    @media print {
      body { max-width: none; }
      .controls, .toggle { display: none; }
      .scroll { overflow: visible; }
      th { position: static; }
    }

    """
}
