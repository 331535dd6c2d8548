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
    for row in report.layers where !row.folded && row.supported {
      guard let shape = row.outputs.first?.shape, let sizes = shape.sizes else { continue }
      let spatial = sizes.count >= 3 ? sizes.dropFirst(2).map(String.init).joined(separator: "x") : "head"
      let channels = sizes.count >= 3 ? sizes[1] : 0
      if stages.last?.resolution != spatial {
        stages.append(
          StageSummary(
            resolution: spatial, channels: 0, layers: 0, macs: 0, params: 0, activationBytes: 0,
            macsShare: 0, paramsShare: 0, activationShare: 0))
      }
      let i = stages.count - 1
      stages[i].channels = channels
      stages[i].layers += 1
      stages[i].macs += row.macs
      stages[i].params += row.params
      stages[i].activationBytes += row.activationBytes
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
