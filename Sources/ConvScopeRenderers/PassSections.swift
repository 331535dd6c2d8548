import ConvScopeCore
import ConvScopeReport

/// The optional sections a report carries when the user asked for them
/// (`--convention`, `--reconcile`, `--device`, `--train`, `--resolution`/`--batch`
/// sweeps), as format-neutral tables and lines that the terminal and Markdown
/// renderers both print.
struct PassSection {
  struct Column {
    var title: String
    var rightAligned: Bool
  }

  var title: String
  /// Lines before the table.
  var lines: [String] = []
  var columns: [Column] = []
  var rows: [[String]] = []
  /// A long-text column the terminal shows as a detail line under each row rather than as a column.
  var detailColumn: Int? = nil
  /// Lines after the table.
  var notes: [String] = []

  /// Every section `report` asks for, in a fixed order.
  static func sections(of report: Report) -> [PassSection] {
    [
      report.convention.map(convention), report.reconciliation.map(reconciliation),
      report.roofline.map(roofline), report.memory.training.map(training), report.sweep.map(sweep),
    ].compactMap { $0 }
  }

  private static let g = NumberFormatting.grouped
  private static let h = NumberFormatting.human
  private static let b = NumberFormatting.bytes

  private static func convention(_ result: ConventionResult) -> PassSection {
    var lines = ["\(result.name): \(g(result.figure)) \(result.unit) (\(h(result.figure)))", result.description]
    lines += result.components.sorted { $0.key < $1.key }.map { "\($0.key): \(g($0.value))" }
    lines.append("params as the tool counts them: \(g(result.params))")
    return PassSection(title: "Convention: \(result.convention)", lines: lines, notes: result.notes)
  }

  private static func reconciliation(_ results: [ConventionResult]) -> PassSection {
    PassSection(
      title: "What each tool would print",
      columns: [
        .init(title: "Tool", rightAligned: false), .init(title: "Params", rightAligned: true),
        .init(title: "Figure", rightAligned: true), .init(title: "Unit", rightAligned: false),
        .init(title: "Counts or omits, relative to ConvScope", rightAligned: false),
      ],
      rows: results.map { [$0.convention, g($0.params), g($0.figure), $0.unit, $0.description] },
      detailColumn: 4,
      notes: results.flatMap { result in result.notes.map { "\(result.convention): \($0)" } })
  }

  private static func roofline(_ summary: RooflineSummary) -> PassSection {
    let byName = Dictionary(summary.layers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let slowest = summary.dominantLayers.compactMap { byName[$0] }
    return PassSection(
      title: "Roofline on \(summary.device)",
      lines: [
        "peak \(NumberFormatting.fixed(summary.peakFlopsPerSecond / 1e12, decimals: 2)) TFLOP/s (\(summary.dtype.rawValue)), "
          + "bandwidth \(NumberFormatting.fixed(summary.memoryBytesPerSecond / 1e9, decimals: 1)) GB/s",
        "latency lower bound \(NumberFormatting.duration(summary.latencyLowerBoundSeconds)) at batch \(summary.batch); "
          + "throughput at most \(NumberFormatting.fixed(summary.throughputBoundPerSecond, decimals: 1)) samples/s",
      ]
        + (summary.latencyEstimateSeconds.map {
          ["estimate at the profile's measured rates \(NumberFormatting.duration($0)) (not a bound)"]
        } ?? []) + [
          "memory: \(summary.memoryModel)",
          "\(summary.computeBoundLayers) of \(summary.layers.count) layers compute-bound; the slowest:",
        ],
      columns: [
        .init(title: "Layer", rightAligned: false), .init(title: "FLOPs", rightAligned: true),
        .init(title: "Bytes", rightAligned: true), .init(title: "FLOP/B", rightAligned: true),
        .init(title: "Bound", rightAligned: false), .init(title: "Time ≥", rightAligned: true),
      ],
      rows: slowest.map {
        [
          $0.name, h($0.flops), b($0.bytes), NumberFormatting.fixed($0.arithmeticIntensity, decimals: 1),
          $0.bound == .compute ? "compute" : $0.memoryLevel,
          NumberFormatting.duration($0.timeLowerBoundSeconds),
        ]
      })
  }

  private static func training(_ estimate: TrainingMemory.Estimate) -> PassSection {
    PassSection(
      title:
        "Training memory (\(estimate.optimizer.rawValue), \(estimate.precision.rawValue), batch \(estimate.batch))",
      columns: [
        .init(title: "Item", rightAligned: false), .init(title: "Bytes", rightAligned: true),
        .init(title: "Size", rightAligned: true), .init(title: "Formula", rightAligned: false),
      ],
      rows: estimate.lines.map { [$0.item, g($0.bytes), b($0.bytes), $0.formula] }
        + [["total", g(estimate.totalBytes), b(estimate.totalBytes), ""]],
      notes: estimate.assumptions)
  }

  private static func sweep(_ summary: SweepSummary) -> PassSection {
    var columns: [Column] = [
      .init(title: summary.axis == .batch ? "Batch" : "Resolution", rightAligned: true),
      .init(title: "Params", rightAligned: true), .init(title: "MACs", rightAligned: true),
      .init(title: "FLOPs", rightAligned: true), .init(title: "Activations", rightAligned: true),
      .init(title: "Peak memory", rightAligned: true),
    ]
    if let device = summary.device { columns.append(.init(title: "Latency ≥ (\(device))", rightAligned: true)) }
    let first = summary.rows.first
    return PassSection(
      title: "What if: \(summary.axis.rawValue)",
      columns: columns,
      rows: summary.rows.map { row in
        var cells = [
          String(row.value), g(row.params), h(row.macs) + ratio(row.macs, first?.macs), h(row.flops),
          b(row.activationBytes), b(row.peakActivationBytes),
        ]
        if summary.device != nil { cells.append(row.latencyLowerBoundSeconds.map(NumberFormatting.duration) ?? "—") }
        return cells
      })
  }

  /// ` (x2.04)` relative to the first row.
  private static func ratio(_ value: Int, _ base: Int?) -> String {
    guard let base, base > 0, value != base else { return "" }
    return " (x\(NumberFormatting.fixed(Double(value) / Double(base), decimals: 2)))"
  }
}
