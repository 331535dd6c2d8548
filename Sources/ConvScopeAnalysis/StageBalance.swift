import ConvScopeCore
import ConvScopeReport

/// Groups layers into stages by output spatial resolution, in order of appearance,
/// and gives each stage's share of MACs, params and activation bytes: the seed
/// article's point that channels grow as maps shrink, to balance the work.
///
/// A layer joins the stage of its first output's spatial size (`H x W` for a 4-D
/// tensor); consecutive layers at the same size form one stage; layers whose output
/// has no spatial axes (Flatten, Gemm) form the `head`.
public enum StageBalance {
  /// The stages of `report`, in order.
  public static func stages(of report: Report) -> [StageSummary] {
    var stages: [StageSummary] = []
    let totals = report.totals
    // The spatial sizes of the last stage (nil for the head), compared before any name is written.
    // Read in place: every dim is a number, so dims compare as sizes do.
    var last: ArraySlice<Dim>?
    for row in report.layers.indices where !report.layers[row].folded && report.layers[row].supported {
      guard let dims = report.layers[row].outputs.first?.shape.dims, dims.allSatisfy({ $0.value != nil }) else {
        continue
      }
      let spatial = dims.count >= 3 ? dims.dropFirst(2) : nil
      if stages.isEmpty || last != spatial {
        last = spatial
        stages.append(
          StageSummary(
            resolution: spatial.map { $0.map(\.description).joined(separator: "x") } ?? "head", channels: 0,
            layers: 0, macs: 0, params: 0, activationBytes: 0, macsShare: 0, paramsShare: 0, activationShare: 0))
      }
      let i = stages.count - 1
      stages[i].channels = dims.count >= 3 ? dims[1].value ?? 0 : 0
      stages[i].layers += 1
      stages[i].macs += report.layers[row].macs
      stages[i].params += report.layers[row].params
      stages[i].activationBytes += report.layers[row].activationBytes
    }
    return stages.map { stage in
      var stage = stage
      stage.macsShare = share(stage.macs, totals.macs)
      stage.paramsShare = share(stage.params, totals.params)
      stage.activationShare = share(stage.activationBytes, totals.activationBytes)
      return stage
    }
  }

  private static func share(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}
