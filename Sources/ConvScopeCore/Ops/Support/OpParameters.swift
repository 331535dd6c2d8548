/// Attributes of one node that counting conventions need and a ``Cost`` does not keep,
/// declared by the rule from the node's attributes (never read back from the cost).
public struct OpParameters: Sendable, Hashable {
  /// `LRN`'s `size`: the channels each output element is normalised over. Nil for other ops.
  public var channelWindow: Int?
  /// Whether an `AveragePool` is PyTorch's adaptive pooling, when the source format says
  /// (a `.pt2` names `adaptive_avg_pool2d` or `avg_pool2d`); nil when it cannot tell (ONNX
  /// writes both as `AveragePool`, and tools that count only the adaptive one must guess).
  public var adaptivePool: Bool?
  /// `Einsum`'s equation without spaces (fvcore counts some equations its own way).
  public var einsumEquation: String?
  /// `Gemm`'s `transB`: true when the weight is stored `[N, K]`, as `nn.Linear` keeps it (PyTorch
  /// exports `F.linear` so); false for a product written `torch.addmm(bias, x, W)` with `W [K, N]`
  /// (transformers' `Conv1D`), which hook tools see as a different module. Nil for other ops.
  public var weightTransposed: Bool?

  public init(
    channelWindow: Int? = nil, adaptivePool: Bool? = nil, einsumEquation: String? = nil, weightTransposed: Bool? = nil
  ) {
    self.channelWindow = channelWindow
    self.adaptivePool = adaptivePool
    self.einsumEquation = einsumEquation
    self.weightTransposed = weightTransposed
  }
}
