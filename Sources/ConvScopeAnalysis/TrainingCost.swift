import ConvScopeCore
import ConvScopeReport

/// `--mode training`: the cost of one training step, forward plus backward, per layer.
///
/// Backward formulas (per layer, in elementary operations):
/// - Conv, ConvTranspose, Gemm, MatMul, Einsum, Attention: the gradient with respect to the
///   weights is one product the size of the forward one, and so is the gradient with respect
///   to the input: backward = 2 x forward (MACs and bias adds alike). A layer fed directly by
///   a model input needs no input gradient: backward = 1 x forward.
/// - Recurrent layers (LSTM, GRU, RNN and the other layers carrying a state): backpropagation
///   through time needs the weight gradients and, at every step, the gradient of the carried
///   state, even when the layer reads a model input: backward = 2 x forward.
/// - Every other op (activations, norms, pools, elementwise, softmax): one gradient operation
///   per forward operation, backward = 1 x forward.
/// - Shape and data-movement ops: no arithmetic either way.
/// So a step costs about 3x the forward MACs, the usual rule of thumb, minus the first
/// layer's input gradient. Optimizer updates (a few operations per parameter) are not counted.
public enum TrainingCost {
  /// The products with a weight-sized backward: convolutions (deformable ones too), Gemm, MatMul,
  /// Einsum, Attention.
  static func isProduct(_ family: OpFamily) -> Bool {
    switch family {
    case .convolution, .transposedConvolution, .deformableConvolution, .linear, .matrixProduct(.float), .einsum,
      .attention:
      true
    default: false
    }
  }

  /// `report` with every layer's cost replaced by forward + backward, and the totals recomputed.
  public static func apply(to report: Report) throws(ConvScopeError) -> Report {
    var report = report
    let modelInputs = Set(report.inputs.map(\.name))
    do {
      for i in report.layers.indices where !report.layers[i].folded && report.layers[i].supported {
        let row = report.layers[i]
        let readsModelInput = row.inputs.contains { modelInputs.contains($0) }
        let factor =
          row.facts.family == .recurrent ? 3 : isProduct(row.facts.family) ? (readsModelInput ? 2 : 3) : 2
        report.layers[i].cost = try row.cost.scaled(by: factor)
        report.layers[i].macs = report.layers[i].cost.macs
        report.layers[i].flops = try report.layers[i].cost.flops()
      }
      var totals = Cost.zero
      var byOp: [String: Cost] = [:]
      for row in report.layers where !row.folded {
        totals = try totals.adding(row.cost)
        byOp[row.op] = try (byOp[row.op] ?? .zero).adding(row.cost)
      }
      report.totals.cost = totals
      report.totals.macs = totals.macs
      report.totals.flops = try totals.flops()
      for i in report.byOpType.indices {
        let cost = byOp[report.byOpType[i].op] ?? .zero
        report.byOpType[i].macs = cost.macs
        report.byOpType[i].flops = try cost.flops()
      }
    } catch {
      throw ConvScopeError(file: report.model.source, message: error.message)
    }
    let share = { (macs: Int) in report.totals.macs == 0 ? 0 : Double(macs) / Double(report.totals.macs) }
    for i in report.layers.indices { report.layers[i].macsShare = share(report.layers[i].macs) }
    for i in report.byOpType.indices { report.byOpType[i].macsShare = share(report.byOpType[i].macs) }
    report.stages = StageBalance.stages(of: report)
    report.mode = .training
    report.assumptions.append(
      "mode training: forward + backward; conv/matmul backward = 2 x forward (1 x when fed by a model input), other ops 1 x"
    )
    return report
  }
}
