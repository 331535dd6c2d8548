import ConvScopeCore
import ConvScopeReport

/// Groups layers into stages by the spatial size of the feature maps they output, in order of
/// appearance, and gives each stage's share of MACs, params and activation bytes: the seed
/// article's point that channels grow as maps shrink, to balance the work.
///
/// Feature maps are followed through the graph: the output of a windowed layer (a convolution,
/// a pool) with a spatial extent (`56x56` for `[N, C, 56, 56]`) is one, and so is the output of
/// a layer that reads one and keeps its rank and spatial size (a batch norm, an activation, a
/// residual `Add`, a channel `Concat`, a squeeze-and-excitation `Mul`). A layer whose output is
/// a feature map of another size than the current stage's starts a stage. A layer whose output
/// is not a feature map stays in the stage it is in: a squeeze-and-excitation block's pooled
/// `[N, C, 1, 1]`, a channels-last permute, the tokens of an attention block between
/// convolutions, an upsampling before the convolution that reads it. The layers after the last
/// feature map form the `head` (the classifier; for a vision transformer, everything after the
/// patch embedding). A model without windowed layers (a language model) has no stages.
public enum StageBalance {
  /// The stages of `report`, in order; empty for a model without feature maps.
  public static func stages(of report: Report) -> [StageSummary] {
    let layers = report.layers
    let counted = layers.indices.filter { !layers[$0].folded && layers[$0].supported }
    let maps = featureMaps(layers, counted)
    guard let lastMap = counted.last(where: { maps[$0] != nil }) else { return [] }

    var stages: [StageSummary] = []
    var size: ArraySlice<Dim>?  // the current stage's
    var leading: [Int] = []  // rows before the first feature map, which join its stage
    for row in counted {
      if row > lastMap {
        if size != nil {
          size = nil
          stages.append(stage(named: "head"))
        }
      } else if let spatial = maps[row] {
        if stages.isEmpty || spatial != size {
          size = spatial
          stages.append(stage(named: spatial.map(\.description).joined(separator: "x")))
          for early in leading { add(layers[early], to: &stages[stages.count - 1]) }
          leading = []
        }
        stages[stages.count - 1].channels = layers[row].outputs[0].shape.dims[1].value ?? 0
      } else if stages.isEmpty {
        leading.append(row)
        continue
      }
      add(layers[row], to: &stages[stages.count - 1])
    }
    let totals = report.totals
    return stages.map { stage in
      var stage = stage
      stage.macsShare = share(stage.macs, totals.macs)
      stage.paramsShare = share(stage.params, totals.params)
      stage.activationShare = share(stage.activationBytes, totals.activationBytes)
      return stage
    }
  }

  /// The spatial size of each counted row's first output where it is a feature map, by row.
  private static func featureMaps(_ layers: [LayerRow], _ counted: [Int]) -> [Int: ArraySlice<Dim>] {
    var maps: [Int: ArraySlice<Dim>] = [:]
    var mapTensors: [String: ArraySlice<Dim>] = [:]  // the feature maps so far, by tensor name
    for row in counted {
      guard let output = layers[row].outputs.first, output.shape.rank >= 3 else { continue }
      let spatial = output.shape.dims.dropFirst(2)
      guard spatial.allSatisfy({ $0.value != nil }), spatial.contains(where: { ($0.value ?? 0) > 1 }) else {
        continue
      }
      let rank = output.shape.rank
      let isMap =
        layers[row].window != nil
        || layers[row].inputs.contains { name in mapTensors[name].map { $0.count == rank - 2 && $0 == spatial } ?? false
        }
      if isMap {
        maps[row] = spatial
        mapTensors[output.name] = spatial
      }
    }
    return maps
  }

  private static func stage(named resolution: String) -> StageSummary {
    StageSummary(
      resolution: resolution, channels: 0, layers: 0, macs: 0, params: 0, activationBytes: 0, macsShare: 0,
      paramsShare: 0, activationShare: 0)
  }

  private static func add(_ row: LayerRow, to stage: inout StageSummary) {
    stage.layers += 1
    stage.macs += row.macs
    stage.params += row.params
    stage.activationBytes += row.activationBytes
  }

  private static func share(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}
