import ConvScopeCore
import ConvScopeReport

/// One analysis in progress: the graph's nodes are handed to ``analyze(_:)`` one at a time, in
/// an order where each node's inputs are already known, and ``report()`` sums the rows. The
/// whole graph's walk (``Analyzer/analyze(_:options:)``) and a streamed graph's
/// (``Analyzer/analyze(_:prepare:)``) both go through it.
struct AnalysisWalk {
  /// The state of every tensor the walk has met; the stored tensors stay in the graph
  /// (``Analyzer/state(_:tensors:graph:)``) until a node changes one.
  var tensors: [String: TensorState] = [:]
  /// The rows so far, and the graph they come from.
  var builder: ReportBuilder
  /// The graph's inputs with every dim bound.
  let inputs: [TensorInfo]
  /// A line per assumption the binding made.
  let assumptions: [String]
  /// The declared batch that `--batch` replaced, if it replaced a fixed one.
  private let replacedFixedBatch: Int?

  /// A walk of `graph` under `options`, before its first node; `graph` may hold only the
  /// inputs and the graph-wide fields, about `expectedNodes` nodes coming later (``append(_:)``).
  init(graph: Graph, options: AnalysisOptions, expectedNodes: Int = 0) throws(ConvScopeError) {
    let nodes = max(graph.nodes.count, expectedNodes)
    let (inputs, bindings, replacedFixedBatch) = try SymbolBinding.bind(graph.inputs, options: options)
    self.inputs = inputs
    self.replacedFixedBatch = replacedFixedBatch
    assumptions = bindings + DeclaredShapeCheck.rangeNotes(graph: graph, bound: inputs)
    tensors.reserveCapacity(nodes + inputs.count)
    for input in inputs {
      tensors[input.name] = .data(input)
    }
    builder = ReportBuilder(graph: graph, options: options, expectedNodes: nodes)
    builder.declaredShapes = DeclaredShapeCheck(graph: graph, bound: inputs)
  }

  /// Adds `piece`'s nodes, stored tensors and declared shapes to the graph walked, and an
  /// end's outputs (`isEnd`).
  mutating func append(_ piece: Graph, isEnd: Bool) {
    let hadDeclaredShapes = !builder.graph.valueInfo.isEmpty
    builder.graph.append(piece, isEnd: isEnd)
    if !hadDeclaredShapes, !piece.valueInfo.isEmpty {
      builder.declaredShapes = DeclaredShapeCheck(graph: builder.graph, bound: inputs)
    }
  }

  /// Whether `node` can be analysed next as the whole graph's walk would analyse it: every
  /// tensor it reads is an input, a stored tensor or an earlier node's output, and none it
  /// writes is (nor is written twice by it). A streamed graph's importer promises it
  /// (``StreamingImporter``); debug builds, the tests', check it at every node.
  func canFollow(_ node: Node) -> Bool {
    func isDefined(_ name: String) -> Bool { tensors[name] != nil || builder.graph.initializers[name] != nil }
    for input in node.inputs where !input.isEmpty && !isDefined(input) { return false }
    for (slot, output) in node.outputs.enumerated() where !output.isEmpty {
      if isDefined(output) || node.outputs[..<slot].contains(output) { return false }
    }
    return true
  }

  /// Runs `node`'s rule; its error is located at the node (and at the field as the file wrote it).
  mutating func analyze(_ node: Node) throws(ConvScopeError) {
    let options = builder.options
    do {
      try Analyzer.analyzeNode(
        node, tensors: &tensors, builder: &builder, options: options, opset: builder.graph.opsetVersion)
    } catch {
      var message = error.message
      if let declared = replacedFixedBatch, let batch = options.batch {
        message +=
          "; the batch \(batch) asked for replaced the declared batch \(declared), and this node may hold"
          + " batch \(declared) baked in (a Reshape target, say): export with a dynamic batch axis, or keep the batch"
      }
      // An attribute the source file wrote under its own key is named, and located, as written.
      let written = error.field.flatMap { node.position?.fields[$0] }
      throw ConvScopeError(
        file: options.sourceName, line: written?.line ?? node.position?.line,
        column: written?.column ?? node.position?.column, layer: node.name, op: node.opType,
        field: written?.key ?? error.field, message: message)
    }
  }

  /// The report of the nodes walked, whose outputs are the graph's. Frees the tensors' states
  /// first (the rows hold what the report needs), so call it once, last.
  mutating func report() throws(ConvScopeError) -> Report {
    let graph = builder.graph
    do {
      let outputs = graph.outputs.map { declared in
        Analyzer.state(declared.name, tensors: tensors, graph: graph)?.info ?? declared
      }
      tensors = [:]
      return try builder.finish(inputs: inputs, outputs: outputs, assumptions: assumptions)
    } catch {
      throw ConvScopeError(file: builder.options.sourceName, message: error.message)
    }
  }
}
