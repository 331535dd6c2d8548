/// What the rules say about one analysed node, beyond its shapes and cost: its family
/// (from ``OpRule/family(of:)``), which of its inputs are its weight and its bias (from
/// ``OpOutcome/inputRoles``), and the attributes conventions need (``OpOutcome/parameters``).
/// Conventions and passes read these instead of op-type names.
public struct OpFacts: Sendable, Hashable {
  /// The op's family, as its rule declares it.
  public var family: OpFamily
  /// The tensor in the first input slot the rule calls a weight; nil when there is none.
  public var weightInput: String?
  /// The tensor in the input slot the rule calls the bias; nil when the rule declares no
  /// bias or the node leaves that optional input out.
  public var biasInput: String?
  /// Attributes conventions need (LRN's window).
  public var parameters: OpParameters
  /// The cost the rule gave a node ConvScope folded to a constant (every input stored): the
  /// row's own cost is zero, since ConvScope's totals leave constant work out, but a tool that
  /// runs that work on every forward (a PyTorch hook on Swin V2's position-bias MLP, onnx-tool
  /// profiling every node) counts it. Zero for a node that was not folded.
  public var foldedCost: Cost = .zero
  /// The weight and bias elements a folded node reads (a folded row owns no parameters: its
  /// stored inputs are counted at the first node that reads its value). Zero when not folded.
  public var foldedParams = 0

  public init(
    family: OpFamily = .other, weightInput: String? = nil, biasInput: String? = nil,
    parameters: OpParameters = .init()
  ) {
    self.family = family
    self.weightInput = weightInput
    self.biasInput = biasInput
    self.parameters = parameters
  }

  /// The facts of `inputs` (the node's input names by slot, omitted optional inputs as
  /// `""`) under `roles`: the first weight slot and the bias slot that are present.
  public init(family: OpFamily, inputs: [String], roles: [Int: InputRole], parameters: OpParameters = .init()) {
    func firstPresent(_ role: InputRole) -> String? {
      var first: Int?  // the lowest slot with the role that names an input
      for (slot, given) in roles where given == role && slot < inputs.count && !inputs[slot].isEmpty {
        if first.map({ slot < $0 }) ?? true { first = slot }
      }
      return first.map { inputs[$0] }
    }
    self.init(
      family: family, weightInput: firstPresent(.weight), biasInput: firstPresent(.bias), parameters: parameters)
  }
}
