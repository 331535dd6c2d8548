import ConvScopeCore

/// Two models side by side: totals with ratios, and layers aligned by name.
public struct Comparison: Sendable, Codable, Hashable {
  public var first: ModelSummary
  public var second: ModelSummary
  /// One line per total: params, MACs, FLOPs, weight bytes, activation bytes, peak memory.
  public var totals: [Line]
  /// Layers present in both (by name) whose params, MACs or output shape differ, in the first model's order.
  public var changedLayers: [LayerChange]
  /// Layer names only in the first or only in the second model.
  public var onlyInFirst: [String]
  public var onlyInSecond: [String]

  /// A figure in both models; `ratio` is second / first (nil when the first is 0).
  public struct Line: Sendable, Codable, Hashable {
    public var name: String
    public var first: Int
    public var second: Int
    public var ratio: Double?

  }

  /// One layer's figures in both models.
  public struct LayerChange: Sendable, Codable, Hashable {
    public var name: String
    public var op: String
    public var firstShape: Shape?
    public var secondShape: Shape?
    public var firstParams: Int
    public var secondParams: Int
    public var firstMacs: Int
    public var secondMacs: Int

    enum CodingKeys: String, CodingKey {
      case name, op
      case firstShape = "first_shape"
      case secondShape = "second_shape"
      case firstParams = "first_params"
      case secondParams = "second_params"
      case firstMacs = "first_macs"
      case secondMacs = "second_macs"
    }
  }

  enum CodingKeys: String, CodingKey {
    case first, second, totals
    case changedLayers = "changed_layers"
    case onlyInFirst = "only_in_first"
    case onlyInSecond = "only_in_second"
  }

  /// Compares `first` with `second`. When both models have the same name (two exports
  /// named alike), each is named by its file as the user gave it, so the two columns differ.
  public init(_ first: Report, _ second: Report) {
    self.first = first.model
    self.second = second.model
    if first.model.name == second.model.name && first.model.source != second.model.source {
      self.first.name = first.model.source
      self.second.name = second.model.source
    }
    func line(_ name: String, _ figure: (Report) -> Int) -> Line {
      let a = figure(first)
      let b = figure(second)
      return Line(name: name, first: a, second: b, ratio: a == 0 ? nil : Double(b) / Double(a))
    }
    totals = [
      line("params") { $0.totals.params },
      line("non-trainable params") { $0.totals.nonTrainableParams },
      line("MACs") { $0.totals.macs },
      line("FLOPs") { $0.totals.flops },
      line("weight bytes") { $0.totals.weightBytes },
      line("activation bytes") { $0.totals.activationBytes },
      line("peak activation bytes") { $0.memory.peakActivationBytes },
    ]
    let visibleFirst = first.layers.filter { !$0.folded }
    let visibleSecond = second.layers.filter { !$0.folded }
    let secondByName = Dictionary(visibleSecond.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    let firstNames = Set(visibleFirst.map(\.name))
    changedLayers = visibleFirst.compactMap { a in
      guard let b = secondByName[a.name] else { return nil }
      let shapeA = a.outputs.first?.shape
      let shapeB = b.outputs.first?.shape
      guard a.params != b.params || a.macs != b.macs || shapeA != shapeB else { return nil }
      return LayerChange(
        name: a.name, op: a.op, firstShape: shapeA, secondShape: shapeB, firstParams: a.params,
        secondParams: b.params, firstMacs: a.macs, secondMacs: b.macs)
    }
    onlyInFirst = visibleFirst.map(\.name).filter { secondByName[$0] == nil }
    onlyInSecond = visibleSecond.map(\.name).filter { !firstNames.contains($0) }
  }
}
