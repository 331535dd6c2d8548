/// The rule of an op whose attributes hold graphs that run as part of it (`If`, `Loop`,
/// `Scan`). The analyzer cannot ask such a rule for its outcome in one step: it asks which
/// bodies run with which inputs (``bodies(_:)``), analyses each body as a graph of its own
/// (outer-scope values visible, every body row shown under the node), then hands the bodies'
/// outputs and costs back to ``combine(_:results:)`` for the node's outputs and how many
/// times each body's cost counts.
public protocol SubgraphRule: OpRule {
  /// The bodies to analyse, with the values their formal inputs are bound to.
  func bodies(_ context: NodeContext) throws(OpError) -> [SubgraphCall]
  /// The node's outputs and each body's count, from what the analysis of the bodies gave.
  func combine(_ context: NodeContext, results: [SubgraphResult]) throws(OpError) -> SubgraphOutcome
}

extension SubgraphRule {
  public var subgraphRule: (any SubgraphRule)? { self }

  /// A subgraph op is analysed through its bodies (``bodies(_:)``); this is never called by
  /// the analyzer and says so if something else calls it.
  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    throw OpError("\(context.node.opType) is analysed through its subgraphs, not on its own")
  }
}

/// One body of a subgraph op and what its formal inputs are bound to.
public struct SubgraphCall: Sendable {
  /// The attribute that holds it (`then_branch`, `body`).
  public var attribute: String
  /// The body.
  public var graph: Graph
  /// Its formal inputs (named as `graph.inputs` names them), with the types and shapes they
  /// take; a value that changes from one iteration to the next is not a constant.
  public var inputs: [TensorInfo]
  /// Known values of the formal inputs, index-aligned (nil: not a constant).
  public var constants: [ConstantTensor?]
  /// False for a body that cannot run (the other branch of an `If` whose condition is a
  /// constant): it is not analysed; its own stored weights still count as parameters.
  public var runs: Bool

  public init(
    attribute: String, graph: Graph, inputs: [TensorInfo] = [], constants: [ConstantTensor?]? = nil, runs: Bool = true
  ) {
    self.attribute = attribute
    self.graph = graph
    self.inputs = inputs
    self.constants = constants ?? inputs.map { _ in nil }
    self.runs = runs
  }
}

/// What analysing one body gave.
public struct SubgraphResult: Sendable {
  /// The body's outputs, index-aligned with its graph's outputs (nil: unknown).
  public var outputs: [TensorInfo?]
  /// Known values of the outputs (folded in the body), index-aligned.
  public var constants: [ConstantTensor?]
  /// The cost of one run of the body.
  public var cost: Cost
  /// Why the body could not be analysed, or nil.
  public var failure: String?
  /// The call it answers (its attribute, and whether it ran at all).
  public var call: SubgraphCall

  public init(
    call: SubgraphCall, outputs: [TensorInfo?], constants: [ConstantTensor?], cost: Cost, failure: String? = nil
  ) {
    self.call = call
    self.outputs = outputs
    self.constants = constants
    self.cost = cost
    self.failure = failure
  }
}

/// A subgraph op's outcome once its bodies are analysed.
public struct SubgraphOutcome: Sendable {
  /// The node's outputs, index-aligned with `node.outputs`.
  public var outputs: [OpOutcome.Output]
  /// For each body, how many runs of its cost count; `nil`: none (its rows are not shown, its
  /// stored weights still count as parameters on the node's row).
  public var runs: [Int?]
  /// What the totals assumed (the larger branch taken, one iteration of a loop of unknown
  /// trip count), shown under the node.
  public var warnings: [String]

  public init(outputs: [OpOutcome.Output], runs: [Int?], warnings: [String] = []) {
    self.outputs = outputs
    self.runs = runs
    self.warnings = warnings
  }
}
