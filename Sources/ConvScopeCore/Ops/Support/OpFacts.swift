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
      roles.filter { $0.value == role }.keys.sorted().lazy
        .compactMap { slot in slot < inputs.count && !inputs[slot].isEmpty ? inputs[slot] : nil }.first
    }
    self.init(
      family: family, weightInput: firstPresent(.weight), biasInput: firstPresent(.bias), parameters: parameters)
  }
}
