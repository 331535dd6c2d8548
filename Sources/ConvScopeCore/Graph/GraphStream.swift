import Dispatch

/// A graph handed from an importer to the analysis in pieces while the importer is still
/// reading it: a large model's first layers are analysed on one core while the rest of its file
/// is translated on another.
///
/// The importer's thread sends, in this order: one ``Message/header(_:expectedNodes:)``, any
/// number of ``Message/piece(_:)``, then one ``Message/end(_:)``, ``Message/replacement(_:)`` or
/// ``Message/failure(_:)``; or, first and alone, an end (the whole graph at once) or a failure.
/// The analysis's thread receives them in the same order.
///
/// `@unchecked Sendable`: the queue of messages is only touched on `lock`, a serial queue (the
/// standard library's `Mutex` needs macOS 15; the package supports macOS 13).
package final class GraphStream: @unchecked Sendable {
  /// One step of the hand-over.
  package enum Message: Sendable {
    /// The graph without nodes: its name, inputs, layout, opset and every field of the whole
    /// graph but its nodes, stored tensors, declared shapes and outputs; and about how many
    /// nodes will follow, for the receiver to make room for them once.
    case header(Graph, expectedNodes: Int)
    /// More nodes, in the file's order, with the stored tensors and declared shapes
    /// (``Graph/initializers``, ``Graph/valueInfo``) their layers define.
    case piece(Graph)
    /// The graph's outputs, with the nodes, stored tensors and declared shapes not yet sent
    /// (all of them when no header came first).
    case end(Graph)
    /// The whole graph, in place of the header and pieces sent before it: an importer that sends
    /// ahead of reading the whole file (``ONNXStreamingRead``) found the file other than it
    /// guessed, and the analysis starts again on the graph as read whole.
    case replacement(Graph)
    /// The importer's error: the file is not a model it can read.
    case failure(ConvScopeError)
  }

  private let lock = DispatchQueue(label: "convscope.graph-stream")
  /// The messages sent and not yet received, and how many nodes the pieces sent held.
  private var messages: [Message] = []
  private var sentNodes = 0
  private let ready = DispatchSemaphore(value: 0)
  /// The most nodes handed over in pieces: the layer budget, which the importer's caller checks
  /// once the import ends, so that the analysis walks no node of a model the budget refuses.
  private let nodeLimit: Int

  /// Makes the messages on the receiving thread, when it asks for each (``init(nodeLimit:producer:)``).
  private let producer: (() -> Message)?

  package init(nodeLimit: Int = .max) {
    self.nodeLimit = nodeLimit
    producer = nil
  }

  /// A stream whose messages `producer` makes on the receiving thread, one each time the
  /// receiver asks (``receive()``), in the order ``GraphStream`` describes; the pieces past
  /// `nodeLimit` nodes are dropped as ``send(_:)`` drops them. For an importer whose reading
  /// waits on another thread while its decoding and the analysis share this one
  /// (``ONNXStreamingRead``).
  package init(nodeLimit: Int = .max, producer: @escaping () -> Message) {
    self.nodeLimit = nodeLimit
    self.producer = producer
  }

  /// Hands `message` to the receiving thread; never waits for it. A piece that takes the nodes
  /// sent past the limit is counted and not handed over, nor is any after it.
  package func send(_ message: Message) {
    let handed = lock.sync {
      if case .piece(let piece) = message {
        sentNodes += piece.nodes.count
        guard sentNodes <= nodeLimit else { return false }
      }
      messages.append(message)
      return true
    }
    if handed { ready.signal() }
  }

  /// How many nodes the pieces sent so far held, handed over or not (the end's not counted).
  package var nodesSent: Int { lock.sync { sentNodes } }

  /// The next message, waiting until the importer sends one (or made by the producer).
  package func receive() -> Message {
    guard let producer else {
      ready.wait()
      return lock.sync { messages.removeFirst() }
    }
    while true {
      let message = producer()
      if case .piece(let piece) = message {
        let over = lock.sync {
          sentNodes += piece.nodes.count
          return sentNodes > nodeLimit
        }
        if over { continue }
      }
      return message
    }
  }

  /// The next piece or end as a graph, whether it was the end, and whether it replaces all
  /// received before it (a replacement, which is also the end); throws the importer's failure.
  /// For what follows a header (a header and a refusal come first, and are received with
  /// ``receive()``).
  package func receiveGraph() throws(ConvScopeError) -> (graph: Graph, isEnd: Bool, replaces: Bool) {
    switch receive() {
    case .header(let graph, _), .piece(let graph): return (graph, false, false)
    case .end(let graph): return (graph, true, false)
    case .replacement(let graph): return (graph, true, true)
    case .failure(let error): throw error
    }
  }
}

extension Graph {
  /// Adds a ``GraphStream`` piece's nodes, stored tensors and declared shapes to this graph,
  /// and an end's outputs (`isEnd`).
  package mutating func append(_ piece: Graph, isEnd: Bool) {
    if isEnd { outputs = piece.outputs }
    nodes += piece.nodes
    initializers.merge(piece.initializers) { _, new in new }
    valueInfo.merge(piece.valueInfo) { _, new in new }
  }
}
