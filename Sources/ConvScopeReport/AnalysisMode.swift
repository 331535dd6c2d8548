import ConvScopeCore

/// What the counts describe: one inference pass as stored, one inference pass as
/// deployed (BatchNorm folded into the preceding conv), or one training step.
public enum AnalysisMode: String, Sendable, Codable, CaseIterable {
  /// The graph as the file stores it, forward only.
  case inference
  /// BatchNorms folded into their convolutions first (``BatchNormFolding``), forward only.
  case inferenceFused = "inference-fused"
  /// Forward plus backward per layer (``TrainingCost``).
  case training
}
