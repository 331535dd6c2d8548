import ArgumentParser
import ConvScope

/// How the table writes counts.
enum CountUnits: String, CaseIterable, ExpressibleByArgument {
  case si, raw
}

/// How `analyze` shows the layer rows: all, totals only, collapsed to a depth, in which view.
struct LayerRowOptions: ParsableArguments {
  @Flag(
    name: [.short, .long],
    help: "Only the totals, not the per-layer rows (table, markdown, csv; the other formats always have everything).")
  var quiet = false

  @Option(help: "Counts in the table's columns: si (15.47 G) or raw (15,470,264,320).")
  var units: CountUnits = .si

  @Option(
    help: ArgumentHelp(
      "Collapse rows to this module depth (exporters' module paths: 1 = layer1, 2 = layer1.0), summing costs.",
      valueName: "n"))
  var depth: Int?

  @Flag(help: "The table with everything: full names, every column and detail line, whatever the terminal's width.")
  var wide = false

  @Flag(help: "The table with one line per layer (no detail lines), fitted to the terminal.")
  var compact = false

  /// What these options ask for, as plain values.
  var settings: RowSettings { RowSettings(quiet: quiet, units: units, depth: depth, wide: wide, compact: compact) }

  func validate() throws { try settings.validate() }
}

/// How the layer rows are shown, as plain values: what ``LayerRowOptions`` parsed, or what
/// ``AnalyzeShortcut`` read without the argument parser.
struct RowSettings: Hashable {
  /// `--quiet`: the totals only.
  var quiet = false
  /// `--units`.
  var units = CountUnits.si
  /// `--depth`: rows collapsed to this module depth.
  var depth: Int?
  /// `--wide`.
  var wide = false
  /// `--compact`.
  var compact = false

  /// A usage error for two views asked at once.
  func validate() throws(ValidationError) {
    if wide && compact { throw ValidationError("--wide and --compact are two views of the table; choose one") }
  }

  func apply(to request: inout AnalysisRequest) {
    request.depth = depth
  }
}
