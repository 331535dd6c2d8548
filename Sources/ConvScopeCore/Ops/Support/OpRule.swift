/// The shape inference and cost of one op family, with ONNX semantics.
///
/// A rule is a value: given a ``NodeContext`` it returns an ``OpOutcome`` or
/// throws a context-free ``OpError`` that the analyzer locates.
public protocol OpRule: Sendable {
  /// The ONNX op types (default domain unless `domain` says otherwise) this rule handles.
  var opTypes: [String] { get }
  /// The operator domain; `""` is ONNX's default domain.
  var domain: String { get }
  /// A one-line summary of the shape rule and the cost, for `convscope ops`.
  var summary: String { get }
  /// Infers the outputs and counts the cost of `context.node`.
  func infer(_ context: NodeContext) throws(OpError) -> OpOutcome
  /// The shapes the op expects of the stored inputs it owns (weights, biases, running
  /// statistics), by input index, from its data inputs and attributes: Conv's
  /// `W [M, C/group, k...]`, Gemm's `B [K, N]`. A dim the rule cannot tell is `Dim.unknown`.
  /// The analyzer completes a weight's ``Dim/deferred`` dims from it before `infer` runs
  /// (``ConstantTensor/deferredAxes``); the default declares none.
  func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape]
  /// The family of `opType` (one of ``opTypes``), which conventions and passes read instead
  /// of the op's name. A rule that does not say is ``OpFamily/other``: every convention then
  /// names the op in its notes rather than counting it 0 in silence.
  func family(of opType: String) -> OpFamily
  /// This rule as a ``SubgraphRule`` when it is one (nil otherwise): asked per node, without the
  /// dynamic cast `as? any SubgraphRule`, whose first use per rule type scans every protocol
  /// conformance in the binary.
  var subgraphRule: (any SubgraphRule)? { get }
}

extension OpRule {
  public var domain: String { "" }
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] { [:] }
  public func family(of opType: String) -> OpFamily { .other }
  public var subgraphRule: (any SubgraphRule)? { nil }
}
