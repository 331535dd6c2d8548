import Dispatch
import Synchronization

/// A graph handed from an importer to the analysis in pieces while the importer is still
/// reading it: a large model's first layers are analysed on one core while the rest of its file
/// is translated on another.
///
/// The importer's thread sends, in this order: one ``Message/header(_:)``, any number of
/// ``Message/piece(_:)``, then one ``Message/end(_:)`` or ``Message/failure(_:)``. The analysis's
/// thread receives them in the same order. An importer that sends no header, only an end, hands
/// the whole graph over at once.
package final class GraphStream: Sendable {
  /// One step of the hand-over.
  package enum Message: Sendable {
    /// The graph without nodes: its name, inputs, layout, opset and every field of the whole
    /// graph but its nodes, stored tensors, declared shapes and outputs; and about how many
    /// nodes will follow, for the receiver to make room for them once.
    case header(Graph, expectedNodes: Int)
    /// More nodes, in the file's order, with the stored tensors and declared shapes
    /// (``Graph/initializers``, ``Graph/valueInfo``) read so far that were not yet sent.
    case piece(Graph)
    /// The graph's outputs, with the nodes, stored tensors and declared shapes not yet sent
    /// (all of them when no header came first).
    case end(Graph)
    /// The importer's error: the file is not a model it can read.
    case failure(ConvScopeError)
  }

  /// The messages sent and not yet received, and how many nodes the pieces sent held.
  private let state = Mutex<(messages: [Message], nodesSent: Int)>(([], 0))
  private let ready = DispatchSemaphore(value: 0)

  package init() {}

  /// Hands `message` to the receiving thread; never waits.
  package func send(_ message: Message) {
    state.withLock {
      if case .piece(let piece) = message { $0.nodesSent += piece.nodes.count }
      $0.messages.append(message)
    }
    ready.signal()
  }

  /// How many nodes the pieces sent so far held (the end's not counted).
  package var nodesSent: Int { state.withLock { $0.nodesSent } }

  /// The next message, waiting until the importer sends one.
  package func receive() -> Message {
    ready.wait()
    return state.withLock { $0.messages.removeFirst() }
  }

  /// The next piece or end as a graph, and whether it was the end; throws the importer's
  /// failure. (A header, which only comes first, is received with ``receive()``.)
  package func receiveGraph() throws(ConvScopeError) -> (graph: Graph, isEnd: Bool) {
    switch receive() {
    case .header(let graph, _), .piece(let graph): (graph, false)
    case .end(let graph): (graph, true)
    case .failure(let error): throw error
    }
  }
}

extension Graph {
  /// Adds a ``GraphStream`` piece's nodes, stored tensors and declared shapes to this graph.
  package mutating func append(_ piece: Graph) {
    nodes += piece.nodes
    initializers.merge(piece.initializers) { _, new in new }
    valueInfo.merge(piece.valueInfo) { _, new in new }
  }
}
