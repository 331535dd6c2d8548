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
/// convolutions, an upsampling before the convolution that reads it. Layers before the first
/// feature map join the first stage. The layers after the last
/// feature map form the `head` (the classifier; for a vision transformer, everything after the
/// patch embedding). A model without windowed layers (a language model) has no stages.
public enum StageBalance {
  /// The stages of `report`, in order; empty for a model without feature maps.
  public static func stages(of report: Report) -> [StageSummary] {
    stages(of: report, tensors: RowTensors(rows: report.layers, inputs: report.inputs, outputs: []))
  }

  /// ``stages(of:)`` with the rows' tensors numbered already (``ReportBuilder`` has them).
  static func stages(of report: Report, tensors: RowTensors) -> [StageSummary] {
    let layers = report.layers
    let isMap = featureMaps(layers, tensors)
    guard let lastMap = layers.indices.last(where: { isMap[$0] }) else { return [] }

    var stages: [StageSummary] = []
    var stageMap: Int?  // a feature map of the current stage, by row; nil in the head
    var leading: [Int] = []  // rows before the first feature map, which join its stage
    for row in layers.indices where !layers[row].folded && layers[row].supported {
      if row > lastMap {
        if stageMap != nil {
          stageMap = nil
          stages.append(stage(named: "head"))
        }
      } else if isMap[row] {
        let dims = layers[row].outputs[0].shape.dims
        if stages.isEmpty || !sameSpatialSize(dims, layers[stageMap ?? row].outputs[0].shape.dims) {
          stages.append(stage(named: dims.dropFirst(2).map(\.description).joined(separator: "x")))
          for early in leading { add(layers, early, to: &stages[stages.count - 1]) }
          leading = []
        }
        stageMap = row
        stages[stages.count - 1].channels = dims[1].value ?? 0
      } else if stages.isEmpty {
        leading.append(row)
        continue
      }
      add(layers, row, to: &stages[stages.count - 1])
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

  /// Whether each row's first output is a feature map, by row (folded and unsupported rows never are).
  private static func featureMaps(_ layers: [LayerRow], _ tensors: RowTensors) -> [Bool] {
    var isMap = [Bool](repeating: false, count: layers.count)
    var mapRow = [Int](repeating: -1, count: tensors.count)  // the row a feature map comes from, by tensor
    for row in layers.indices where !layers[row].folded && layers[row].supported {
      guard let output = layers[row].outputs.first, hasSpatialExtent(output.shape.dims) else { continue }
      let dims = output.shape.dims
      let keepsAMap = tensors.reads(of: row).contains { tensor in
        tensor >= 0 && mapRow[tensor] >= 0 && sameSpatialSize(layers[mapRow[tensor]].outputs[0].shape.dims, dims)
      }
      guard layers[row].window != nil || keepsAMap else { continue }
      isMap[row] = true
      if let written = tensors.writes(of: row).first { mapRow[written] = row }
    }
    return isMap
  }

  /// Rank 3 or more, every spatial size known, and some spatial size above 1.
  private static func hasSpatialExtent(_ dims: [Dim]) -> Bool {
    dims.count >= 3 && dims.dropFirst(2).allSatisfy { $0.value != nil }
      && dims.dropFirst(2).contains { ($0.value ?? 0) > 1 }
  }

  /// The same rank and the same sizes past the batch and channel dims.
  private static func sameSpatialSize(_ a: [Dim], _ b: [Dim]) -> Bool {
    a.count == b.count && a.dropFirst(2).elementsEqual(b.dropFirst(2))
  }

  private static func stage(named resolution: String) -> StageSummary {
    StageSummary(
      resolution: resolution, channels: 0, layers: 0, macs: 0, params: 0, activationBytes: 0, macsShare: 0,
      paramsShare: 0, activationShare: 0)
  }

  /// Adds row `row`'s counts to `stage`, the row read in place (a copy would retain its every field).
  private static func add(_ layers: [LayerRow], _ row: Int, to stage: inout StageSummary) {
    stage.layers += 1
    stage.macs += layers[row].macs
    stage.params += layers[row].params
    stage.activationBytes += layers[row].activationBytes
  }

  private static func share(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}
