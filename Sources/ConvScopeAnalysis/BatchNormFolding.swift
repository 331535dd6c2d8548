import ConvScopeCore
import ConvScopeReport

/// `--mode inference-fused`: the graph as it is deployed, with every BatchNormalization
/// that directly follows a Conv or ConvTranspose folded into it.
///
/// At inference, `BN(conv(x)) = conv'(x)` with `W' = W * gamma / sqrt(var + eps)` per output
/// channel and `b' = (b - mean) * gamma / sqrt(var + eps) + beta`: the BatchNorm disappears,
/// its `2C` params and `2C` statistics become the conv's `C` bias (added if the conv had none).
/// This is what the TorchScript ONNX exporter and TensorRT do. A BatchNorm is folded only
/// when the conv's output feeds nothing else and the conv's weight is a stored constant.
public enum BatchNormFolding {
  /// `graph` with the foldable BatchNorms removed, and how many were folded. Which nodes are
  /// BatchNorms and convolutions is what `registry`'s rules declare (``OpRule/family(of:)``).
  public static func fold(_ graph: Graph, registry: OpRegistry = .standard) -> (graph: Graph, folded: Int) {
    func family(_ node: Node) -> OpFamily? {
      registry.rule(domain: node.domain, opType: node.opType)?.family(of: node.opType)
    }
    var consumers: [String: Int] = [:]
    for node in graph.nodes {
      for input in node.inputs where !input.isEmpty { consumers[input, default: 0] += 1 }
    }
    for output in graph.outputs { consumers[output.name, default: 0] += 1 }
    var producer: [String: Int] = [:]
    for (index, node) in graph.nodes.enumerated() {
      for output in node.outputs where !output.isEmpty { producer[output] = index }
    }

    var result = graph
    var removed = Set<Int>()
    for (index, node) in graph.nodes.enumerated() where family(node) == .normalization(.batch) {
      guard let x = node.inputs.first, let y = node.outputs.first, node.outputs.dropFirst().allSatisfy(\.isEmpty),
        consumers[x] == 1, let convIndex = producer[x], !removed.contains(convIndex)
      else { continue }
      var conv = result.nodes[convIndex]
      let convFamily = family(conv)
      guard convFamily == .convolution || convFamily == .transposedConvolution, conv.domain.isEmpty,
        conv.inputs.count >= 2, let weight = graph.initializers[conv.inputs[1]], weight.dims.count >= 3
      else { continue }
      let group: Int
      if case .int(let g) = conv.attributes["group"] { group = g } else { group = 1 }
      let channels = convFamily == .convolution ? weight.dims[0] : weight.dims[1] * group
      if conv.inputs.count < 3 || conv.inputs[2].isEmpty {
        let bias = "\(conv.name)/folded_bias"
        result.initializers[bias] = ConstantTensor(dataType: weight.dataType, dims: [channels])
        conv.inputs = Array(conv.inputs.prefix(2)) + [bias]
      }
      conv.outputs[0] = y
      result.nodes[convIndex] = conv
      removed.insert(index)
    }
    result.nodes = result.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    return (result, removed.count)
  }
}
