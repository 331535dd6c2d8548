import ConvScopeCore
import ConvScopeReport

/// The report as CSV (RFC 4180 quoting, `\n` line ends): a header and one row per
/// layer with every column, formulas included; counts are exact integers and
/// shares are fractions with six decimals. Folded rows are left out, so each
/// count column sums to its total. With `--convention`, a last column `convention_figure`
/// holds that tool's per-layer figure. With `totalsOnly`, two columns `quantity,value`.
public enum CSVRenderer {
  /// The column names, in order.
  public static let columns = [
    "layer", "op", "group", "inputs", "input_shape", "kernel", "stride", "dilation", "padding", "output_shape",
    "output_size_formula", "param_formula", "params", "non_trainable_params", "weight_bytes", "macs", "flops",
    "adds", "multiplies", "divides", "compares", "exponentials", "others", "activation_elements",
    "activation_bytes", "macs_share", "params_share", "receptive_field", "supported", "warnings",
  ]

  /// `report` as CSV; ends with a newline.
  public static func render(_ report: Report, options: RenderOptions = RenderOptions()) -> String {
    OutputPieces.whole { render(report, options: options, to: $0) }
  }

  /// `report` as CSV (the text ``render(_:options:)`` returns), handed to `write` in pieces of
  /// about 64 KiB (``OutputPieces``), each row written as it is made.
  public static func render<E: Error>(
    _ report: Report, options: RenderOptions = RenderOptions(), to write: (String) throws(E) -> Void
  ) throws(E) {
    var pieces = OutputPieces()
    func append(_ row: [String]) throws(E) {
      for (index, field) in row.enumerated() {
        if index > 0 { pieces.text.append(byte: UInt8(ascii: ",")) }
        pieces.text.append(quote(field))
      }
      pieces.text.append(byte: UInt8(ascii: "\n"))
      try OutputPieces.flush(&pieces.text, ifFullTo: write)
    }
    if options.totalsOnly {
      for row in totalsRows(report) { try append(row) }
    } else {
      let withConvention = report.convention != nil
      try append(columns + (withConvention ? ["convention_figure"] : []))
      // The visible layers, read in place (a row is large: iterating would copy each one).
      for index in report.layers.indices where !report.layers[index].folded {
        try append(
          layerRow(report.layers[index])
            + (withConvention ? [report.layers[index].conventionFigure.map(String.init) ?? ""] : []))
      }
    }
    try pieces.finish(to: write)
  }

  private static func layerRow(_ layer: borrowing LayerRow) -> [String] {
    let c = layer.cost
    let description: [String] = [
      layer.name, layer.op, layer.group ?? "", layer.inputs.joined(separator: "; "),
      layer.inputShapes.map(\.displayShape.description).joined(separator: "; "), layer.kernelText,
      layer.window.map { $0.strides.map(String.init).joined(separator: "x") } ?? "",
      layer.window.map { $0.dilations.map(String.init).joined(separator: "x") } ?? "",
      layer.paddingText, layer.outputs.map(\.displayShape.description).joined(separator: "; "),
      layer.labelledShapeFormulas.joined(separator: "; "), layer.paramFormula ?? "",
    ]
    let counts: [Int] = [
      layer.params, layer.nonTrainableParams, layer.weightBytes, layer.macs, layer.flops, c.adds, c.multiplies,
      c.divides, c.compares, c.exponentials, c.others, layer.activationElements, layer.activationBytes,
    ]
    let remarks: [String] = [
      NumberFormatting.fixed(layer.macsShare, decimals: 6), NumberFormatting.fixed(layer.paramsShare, decimals: 6),
      layer.receptiveFieldText, layer.supported ? "true" : "false", layer.warnings.joined(separator: "; "),
    ]
    return description + counts.map(String.init) + remarks
  }

  private static func totalsRows(_ report: Report) -> [[String]] {
    let t = report.totals
    return [
      ["quantity", "value"], ["params", String(t.params)], ["trainable_params", String(t.trainableParams)],
      ["non_trainable_params", String(t.nonTrainableParams)], ["weight_bytes", String(t.weightBytes)],
      ["macs", String(t.macs)], ["flops", String(t.flops)], ["activation_bytes", String(t.activationBytes)],
      ["peak_layer_activation_bytes", String(t.peakLayerActivationBytes)], ["peak_layer", t.peakLayer ?? ""],
      ["peak_activation_bytes", String(report.memory.peakActivationBytes)],
      ["peak_node", report.memory.peakNode ?? ""],
      ["partial", t.partial ? "true" : "false"],
    ]
      + (t.convention.map {
        [["convention", $0.name], ["convention_figure", String($0.figure)], ["convention_unit", $0.unit]]
      } ?? [])
  }

  /// A field quoted when it holds a comma, a quote or a line break; quotes doubled (RFC 4180).
  public static func quote(_ field: String) -> String {
    // None of the four bytes, so none of the four characters: the field as it is.
    guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }),
      field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
    else { return field }
    var out = "\""
    for character in field {
      if character == "\"" { out.append("\"") }
      out.append(character)
    }
    return out + "\""
  }
}
