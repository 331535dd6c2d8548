/// The op rules, looked up by (domain, op type). `grep '"Conv"'` finds a rule.
public struct OpRegistry: Sendable {
  private let rules: [String: any OpRule]

  /// A registry holding `rules`; a later rule for the same op type replaces an earlier one.
  public init(_ rules: [any OpRule]) {
    var table: [String: any OpRule] = [:]
    table.reserveCapacity(rules.count * 4)  // about three op types a rule: no rehashing as it fills
    for rule in rules {
      for op in rule.opTypes { table[Self.key(rule.domain, op)] = rule }
    }
    self.rules = table
  }

  /// Every rule ConvScope ships.
  public static let standard = OpRegistry(
    [
      ConvRule(),
      ActivationRule(),
      PReluRule(),
      ClipRule(),
      SoftmaxRule(),
      ElementwiseRule(),
      WhereRule(),
      GemmRule(),
      MatMulRule(),
      EinsumRule(),
      ReduceRule(),
      ArgReduceRule(),
      CumSumRule(),
      TopKRule(),
      AttentionRule(),
      ConvTransposeRule(),
      MaxPoolRule(),
      AveragePoolRule(),
      LpPoolRule(),
      GlobalPoolRule(),
      RoiPoolRule(),
      BatchNormalizationRule(),
      InstanceNormalizationRule(),
      LayerNormalizationRule(),
      GroupNormalizationRule(),
      RMSNormalizationRule(),
      MeanVarianceNormalizationRule(),
      LRNRule(),
      ReshapeRule(),
      FlattenRule(),
      SqueezeRule(),
      UnsqueezeRule(),
      TransposeRule(),
      ConcatRule(),
      GatherRule(),
      GatherElementsRule(),
      GatherNDRule(),
      SliceRule(),
      SplitRule(),
      ConstantRule(),
      ConstantOfShapeRule(),
      RangeRule(),
      ShapeRule(),
      SizeRule(),
      CastRule(),
      IdentityRule(),
      ResizeRule(),
      PadRule(),
      TileRule(),
      ExpandRule(),
      DepthSpaceRule(),
      SameShapeIndexingRule(),
      NonZeroRule(),
      NonMaxSuppressionRule(),
      OneHotRule(),
      CompressRule(),
      IfRule(),
      LoopRule(),
      ScanRule(),
      SequenceRule(),
      OptionalRule(),
      // Recurrent and sequence-model ops
      RecurrentRule(),
      RotaryEmbeddingRule(),
      LinearAttentionRule(),
      FlexAttentionRule(),
      CausalConvWithStateRule(),
      // Losses, signal, sampling, training, text and ML ops
      LossRule(),
      GridSampleRule(),
      AffineGridRule(),
      Col2ImRule(),
      MaxUnpoolRule(),
      DeformConvRule(),
      DFTRule(),
      STFTRule(),
      WindowFunctionRule(),
      MelWeightMatrixRule(),
      OptimizerRule(),
      ReorderingRule(),
      CenterCropPadRule(),
      UniqueRule(),
      LpNormalizationRule(),
      DetRule(),
      SwiGLURule(),
      RandomRule(),
      TextRule(),
      MLRule(),
      // Quantisation and ONNX Runtime contrib ops
      QuantizeLinearRule(),
      DynamicQuantizeLinearRule(),
      IntegerConvRule(),
      ContribAttentionRule(),
      MultiHeadAttentionRule(),
      GroupQueryAttentionRule(),
      ContribRotaryEmbeddingRule(),
      SkipLayerNormalizationRule(),
      SimplifiedLayerNormalizationRule(),
      EmbedLayerNormalizationRule(),
      ContribActivationRule(),
      ContribConvRule(),
      ContribQLinearConvRule(),
      ContribMatMulRule(),
      QLinearElementwiseRule(),
      QLinearDataRule(),
      DynamicQuantizeLSTMRule(),
    ])

  /// The rule for `opType` in `domain` (`ai.onnx` is the default domain).
  public func rule(domain: String, opType: String) -> (any OpRule)? {
    if domain.isEmpty || domain == "ai.onnx" {
      // The op type is the key itself; one holding a colon would pass for a custom domain's.
      return opType.utf8.contains(UInt8(ascii: ":")) ? nil : rules[opType]
    }
    return rules[Self.key(domain, opType)]
  }

  /// Every supported op type, sorted, with its rule.
  public var all: [(opType: String, rule: any OpRule)] {
    rules.sorted { $0.key < $1.key }.map {
      (String($0.key.split(separator: ":", omittingEmptySubsequences: false).last!), $0.value)
    }
  }

  /// The op types of `graph` (subgraphs of If/Loop/Scan included) with no rule here, with
  /// how many nodes use each, in order of first appearance; a custom domain is written `domain:Op`.
  public func unsupportedOps(in graph: Graph) -> [UnsupportedOp] {
    var counts: [String: Int] = [:]
    var order: [String] = []
    func visit(_ graph: Graph) {
      // By index, each field read in place: a `Node` is large, and iterating copies each one.
      for index in graph.nodes.indices {
        let (domain, opType) = (graph.nodes[index].domain, graph.nodes[index].opType)
        if rule(domain: domain, opType: opType) == nil {
          let name = domain.isEmpty || domain == "ai.onnx" ? opType : "\(domain):\(opType)"
          if counts[name] == nil { order.append(name) }
          counts[name, default: 0] += 1
        }
        guard !graph.nodes[index].attributes.isEmpty else { continue }
        for value in graph.nodes[index].attributes.values {
          switch value {
          case .graph(let body): visit(body)
          case .graphs(let bodies): bodies.forEach(visit)
          default: continue
          }
        }
      }
    }
    visit(graph)
    return order.map { UnsupportedOp(op: $0, count: counts[$0] ?? 0) }
  }

  /// Whether `opType`'s output changes from run to run even with the same inputs (random
  /// sampling ops): such a node is never folded into a constant.
  public static func isNondeterministic(domain: String, opType: String) -> Bool {
    (domain.isEmpty || domain == "ai.onnx") && nondeterministicOps.contains(opType)
  }

  private static let nondeterministicOps: Set<String> = [
    "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli",
  ]

  /// A rule's key: the op type in the default domain (no string built per lookup), else
  /// `domain:op`.
  private static func key(_ domain: String, _ op: String) -> String { domain.isEmpty ? op : "\(domain):\(op)" }
}
