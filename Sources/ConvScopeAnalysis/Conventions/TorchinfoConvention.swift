import ConvScopeCore
import ConvScopeReport

/// torchinfo 1.8 `summary(...)` "Mult-Adds" (TylerYep/torchinfo, `torchinfo/layer_info.py:
/// LayerInfo.calculate_macs`): a parameter-count heuristic, not per-op formulas.
///
/// - Class name contains "Conv": `(weight + bias params) * N * prod(output spatial)` = MACs +
///   bias adds; a ConvTranspose uses its output spatial size too, so its weight term is
///   `prod(out spatial)/prod(in spatial)` times the true MACs.
/// - Any other module with parameters: `output_size[0] * params`. A Linear (Gemm) on `[N, in]`
///   gives MACs + bias adds; on `[N, T, in]` (a MatMul with a weight) the `T` axis is ignored;
///   a BatchNorm over `C` channels costs `N * 2C`, not per element.
/// - Parameter-free modules (ReLU, pools, add, softmax): 0.
enum TorchinfoCounting: CountingConvention {
  /// A leaf module whose inputs are all stored still runs on every forward (Swin V2's `cpb_mlp`).
  static var foldedNodes: FoldedNodes { .moduleCalls }

  static let configuration = ConventionConfiguration(
    name: "torchinfo", toolName: "torchinfo", toolVersion: "1.8.0", unit: "Mult-Adds",
    summary: "params x output positions: MACs + bias; BatchNorm only N x 2C; parameter-free ops omitted",
    sources: ["https://github.com/TylerYep/torchinfo/blob/main/torchinfo/layer_info.py"])

  /// Every family: convolutions by their own formula, everything else by its parameters.
  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    // Only modules without children are summed (`is_leaf_layer`): nn.MultiheadAttention and window
    // attention have children that never run.
    if layer.module.inAttentionModule { return .zero }
    // A parameter read outside a leaf module (ViT's class token and position embedding, read by
    // the model's own forward) belongs to a module with children: not summed.
    // An embedding looked up at constant ids (BERT's position ids) is a folded leaf module: counted
    // as it ran (``FoldedNodes/moduleCalls``), its table read from the folded row.
    if !layer.isModuleCall { return .zero }
    switch layer.family {
    case .convolution:
      let extra =
        layer.hasFoldedBatchNorm
        ? try layer.times(layer.batch, 2 * layer.outputChannels) : layer.hasBias ? layer.outputElements : 0
      return LayerCount(figure: try Checked.add(layer.macs, extra))
    case .linear where layer.isAddmmProduct:
      // transformers' Conv1D: "Conv" in the class name, so params x prod(output[:1] + output[2:]) of its
      // `[N, T, nf]` output: N x nf (the exported Gemm's rows are N x T).
      return LayerCount(
        figure: try layer.times(layer.row.params, try layer.times(layer.batch, layer.outputSizes.last ?? 0)))
    case .transposedConvolution:
      let weights = try ThopCounting.outputBasedTransposedMACs(layer)
      return LayerCount(figure: try Checked.add(weights, layer.hasBias ? layer.outputElements : 0))
    default:
      // `output_size[0] * params` at every call: a shared embedding called again counts its table again.
      let params = try Checked.add(layer.row.params, layer.module.sharedTableParams)
      return LayerCount(figure: try layer.times(layer.outputSizes.first ?? 1, params))
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int { try torchParams(layer) }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    try context.foldedBatchNormNote("no bias term; the BatchNorm adds N x 2C (its parameters), not per element")
      + context.attentionModuleNote("only modules without children are summed, and these have children that never ran")
      + context.roleNote("parameters read by a module with children (class token, position embedding) counted 0") {
        !$0.isModuleCall && $0.row.params > 0
      } + anonymousConstantNotes(context)
  }

  /// A stored operand the exporter named `onnx::*`, read outside a leaf module: a value it folded
  /// from a module run on constant inputs (Whisper's `embed_positions`, an `nn.Embedding` at
  /// positions `0..<n`) or a parameter the model's own forward read. torchinfo counts
  /// `output_size[0] * params` for the first and 0 for the second; nothing in the export tells them apart.
  static func anonymousConstantNotes(_ context: ConventionContext) -> [String] {
    context.facts.filter { fact in
      !fact.row.folded && !fact.isModuleCall && fact.row.params > 0
        && fact.row.inputs.contains { $0.hasPrefix("onnx::") && fact.row.facts.weightInput != $0 }
    }.map { fact in
      "\(fact.row.name) reads a stored constant the exporter folded and named anonymously (\(fact.row.params) "
        + "parameters): the export cannot show whether it was a module's output on constant inputs (an nn.Embedding "
        + "at fixed positions, which torchinfo counts output_size[0] x \(fact.row.params)) or a parameter read "
        + "directly (0); counted 0"
    }
  }
}
