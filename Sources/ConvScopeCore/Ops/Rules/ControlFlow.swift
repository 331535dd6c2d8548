/// `If`: runs `then_branch` or `else_branch` by a boolean condition.
/// <https://onnx.ai/onnx/operators/onnx__If.html>
///
/// Shape: each output is the taken branch's. When the condition is a constant (folded from
/// shapes, as an export's `if x.dim() == 4` is), only that branch is analysed and counts.
/// Otherwise both are analysed: an output dim the branches agree on is kept, one they
/// disagree on is unknown, and the totals count the larger branch (by MACs, then FLOPs) and
/// say so; the other branch's stored weights still count as parameters.
///
/// Cost: the counted branch's rows, shown under the node; the node itself costs nothing.
///
/// Example: `If(cond: x.mean() > 0)` with a Linear 16→8 in each branch on `x [2, 16]`:
/// output `[2, 8]`, MACs `2*16*8 = 256` (the larger branch), params both Linears'.
public struct IfRule: SubgraphRule {
  public init() {}
  public func family(of opType: String) -> OpFamily { .controlFlow }
  public var opTypes: [String] { ["If"] }
  public var summary: String {
    "outputs of the taken branch (constant condition) or both branches merged; cost = the larger branch"
  }

  public func bodies(_ context: NodeContext) throws(OpError) -> [SubgraphCall] {
    let taken = context.constantInts(0)?.first.map { $0 != 0 }
    return [
      SubgraphCall(attribute: "then_branch", graph: try branch(context, "then_branch"), runs: taken ?? true),
      SubgraphCall(attribute: "else_branch", graph: try branch(context, "else_branch"), runs: !(taken ?? false)),
    ]
  }

  public func combine(_ context: NodeContext, results: [SubgraphResult]) throws(OpError) -> SubgraphOutcome {
    let calls = results.map(\.call)
    let running = calls.indices.filter { calls[$0].runs && results[$0].failure == nil }
    guard let first = running.first else {
      let reasons = results.compactMap(\.failure).joined(separator: "; ")
      throw OpError(field: "then_branch", "no branch could be analysed: \(reasons)", isUnknownShape: true)
    }
    var warnings = calls.indices.compactMap { i in
      results[i].failure.map { "\(calls[i].attribute) not analysed: \($0)" }
    }
    var counted = first
    if running.count == 2 {
      let other = running[1]
      let larger = try Self.isLarger(results[other].cost, than: results[first].cost) ? other : first
      counted = larger
      let smaller = larger == first ? other : first
      warnings.append(
        "the condition is not known before running: the totals count \(calls[larger].attribute)"
          + " (\(results[larger].cost.macs) MACs), the larger branch, not \(calls[smaller].attribute)"
          + " (\(results[smaller].cost.macs) MACs)")
    }
    var outputs: [OpOutcome.Output] = []
    for slot in context.node.outputs.indices {
      let infos = running.map { results[$0].outputs.indices.contains(slot) ? results[$0].outputs[slot] : nil }
      guard let base = infos.first ?? nil else {
        throw OpError(field: "outputs[\(slot)]", "the branch output \(slot) has no known shape", isUnknownShape: true)
      }
      var shape = base.shape
      for case let info? in infos.dropFirst() {
        guard let agreed = shape.agreeing(with: info.shape) else {
          throw OpError(
            field: "outputs[\(slot)]", "the branches give output \(slot) ranks \(shape.rank) and \(info.shape.rank)",
            isUnknownShape: true)
        }
        shape = agreed
      }
      let value = running.count == 1 ? results[first].constants[safe: slot] ?? nil : nil
      outputs.append(OpOutcome.Output(dataType: base.dataType, shape: shape, constant: value, kind: base.kind))
    }
    return SubgraphOutcome(
      outputs: outputs, runs: calls.indices.map { $0 == counted ? 1 : nil }, warnings: warnings)
  }

  private func branch(_ context: NodeContext, _ name: String) throws(OpError) -> Graph {
    guard case .graph(let graph) = context.node.attributes[name] else {
      throw OpError(field: name, "If needs a graph attribute '\(name)'")
    }
    return graph
  }

  /// Whether `cost` is larger than `other`: more MACs, or as many and more FLOPs.
  static func isLarger(_ cost: Cost, than other: Cost) throws(OpError) -> Bool {
    if cost.macs != other.macs { return cost.macs > other.macs }
    return try cost.flops() > other.flops()
  }
}

/// `Loop`: runs `body` up to `M` times while `cond` holds, carrying N values and stacking
/// K per-iteration outputs. <https://onnx.ai/onnx/operators/onnx__Loop.html>
///
/// Shape: inputs `M` (int64 scalar, optional), `cond` (bool, optional), `v_initial[N]`; the
/// body takes `(iteration_num, cond, v[N])` and returns `(cond, v[N], scan[K])`; the node
/// outputs the final `v[N]` and each scan output stacked along a new first axis of length
/// the trip count (unknown when `M` is not a constant).
///
/// Cost: the body's × the trip count when `M` is a constant (a `cond` that may stop early is
/// stated as "at most"); otherwise one iteration, with the assumption stated.
///
/// Example: `M = 3`, body `v = tanh(v @ W [12, 12])` on `v [2, 12]`: output `[2, 12]`,
/// MACs `3 * 2*12*12 = 864`.
public struct LoopRule: SubgraphRule {
  public init() {}
  public func family(of opType: String) -> OpFamily { .controlFlow }
  public var opTypes: [String] { ["Loop"] }
  public var summary: String { "final loop-carried values and scan outputs stacked by trip count; cost = body x trips" }

  public func bodies(_ context: NodeContext) throws(OpError) -> [SubgraphCall] {
    let body = try Self.body(context)
    guard body.inputs.count >= 2, body.inputs.count == context.inputCount else {
      throw OpError(
        field: "body",
        "the body takes \(body.inputs.count) inputs; a Loop with \(max(0, context.inputCount - 2))"
          + " carried values needs \(context.inputCount)")
    }
    var inputs = [
      TensorInfo(name: body.inputs[0].name, dataType: .int64, shape: Shape([Int]())),
      TensorInfo(name: body.inputs[1].name, dataType: .bool, shape: Shape([Int]())),
    ]
    for slot in 2..<context.inputCount {
      let carried = try context.input(slot)
      inputs.append(TensorInfo(name: body.inputs[slot].name, dataType: carried.dataType, shape: carried.shape))
    }
    return [SubgraphCall(attribute: "body", graph: body, inputs: inputs)]
  }

  public func combine(_ context: NodeContext, results: [SubgraphResult]) throws(OpError) -> SubgraphOutcome {
    guard let result = results.first, result.failure == nil else {
      throw OpError(field: "body", results.first?.failure ?? "the body was not analysed", isUnknownShape: true)
    }
    let carried = context.inputCount - 2
    let trips = context.constantInts(0)?.first
    let mayStop = context.has(1) && context.constantInts(1)?.first != 1
    var outputs: [OpOutcome.Output] = []
    for slot in context.node.outputs.indices {
      let bodySlot = slot + 1
      guard bodySlot < result.outputs.count, let info = result.outputs[bodySlot] else {
        throw OpError(
          field: "outputs[\(slot)]", "the body's output \(bodySlot) has no known shape", isUnknownShape: true)
      }
      if slot < carried {
        guard let agreed = try context.input(slot + 2).shape.agreeing(with: info.shape) else {
          throw OpError(field: "outputs[\(slot)]", "the carried value \(slot) changes rank", isUnknownShape: true)
        }
        outputs.append(OpOutcome.Output(dataType: info.dataType, shape: agreed, kind: info.kind))
      } else {
        let length: Dim = mayStop ? .unknown : trips.map(Dim.fixed) ?? .unknown
        outputs.append(OpOutcome.Output(dataType: info.dataType, shape: Shape([length] + info.shape.dims)))
      }
    }
    var warnings: [String] = []
    if let trips {
      if mayStop {
        warnings.append("the body's cost counts \(trips) times, the trip count; the condition may stop it sooner")
      }
    } else {
      warnings.append("the trip count is not known before running: the body's cost counts once")
    }
    return SubgraphOutcome(outputs: outputs, runs: [max(0, trips ?? 1)], warnings: warnings)
  }

  static func body(_ context: NodeContext) throws(OpError) -> Graph {
    guard case .graph(let graph) = context.node.attributes["body"] else {
      throw OpError(field: "body", "\(context.node.opType) needs a graph attribute 'body'")
    }
    return graph
  }
}

extension Array {
  /// The element at `index`, or nil past either end.
  package subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
