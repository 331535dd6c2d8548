import ConvScopeCore
import Dispatch
import Foundation

/// Reads a large ONNX file that the page cache does not hold: its structure is read
/// (``ONNXStructureRead``) on a thread of its own, while this one decodes what has been read
/// and hands the main graph to the analysis in pieces (``GraphStream``, pulled by the
/// analysis on this same thread).
///
/// On a cold page cache the structure read waits for the disk once for each initializer whose
/// header nothing predicted (``RecordPrefetch``): 20 to 50 waits of 40 to 50 µs for the
/// exports of the README's speed table, during which the analysis had nothing to do. An ONNX
/// file holds the main graph's nodes first, then its initializers, then its inputs and outputs,
/// with the opsets after the graph. So as soon as the main graph begins, this thread reads the
/// file's end into a buffer of its own (the graph's last 64 KiB, with its inputs, outputs and
/// declared shapes, and what follows the graph, with the opsets: ``ONNXGraphTail``), while the
/// reading thread walks the nodes, which this one decodes; once the initializers begin, the
/// graph's header is handed over, and each node follows as soon as the initializers it reads
/// have arrived: the reading thread waits for the disk while this one decodes and analyses.
///
/// Where the graph's inputs start is guessed (``ONNXGraphTail/start(in:graph:window:)``), so what was
/// handed over is checked once the whole structure is read: the file is decoded as
/// ``ONNXImporter`` decodes it (taking the nodes decoded here), and the graph handed over must
/// equal that graph. Where it does not (a guess was wrong, a node came after the initializers,
/// an input is also an initializer), the stream ends with the whole graph as a
/// ``GraphStream/Message/replacement(_:)`` and the analysis starts again on it; a file that
/// does not decode ends it with the decoder's error. What the analysis reports is thus the
/// report and the error of the file read whole, in every case.
///
/// `@unchecked Sendable`: the reading thread touches `pending` and asks the kernel to read ahead
/// (``SparseFileCopy/prefetch(_:)``), and hands its events over on `lock`; the rest is this
/// thread's, which reads only the bytes the events say were copied.
final class ONNXStreamingRead: ONNXStructureRead.Observer, @unchecked Sendable {
  /// The most graph inputs a streamed graph declares: a file that lists its initializers as
  /// inputs (old exporters) lists hundreds, and is read whole.
  static let maxInputs = 16

  /// What the reading thread has read, in order.
  private enum Event {
    case mainGraph(Range<Int>)
    case field(Int, Range<Int>)
    /// The structure's copy, once the walk is over. It is finished (``SparseFileCopy/finish()``)
    /// on this thread, after the events before it are handled: a failed copy unmaps its buffer.
    case done(SparseFileCopy)
  }

  private let lock = NSLock()
  private let posted = DispatchSemaphore(value: 0)
  /// Posted by the reading thread and not yet taken (on `lock`).
  private var events: [Event] = []
  /// The reading thread's events not yet posted: nodes are posted in batches of
  /// ``nodeBatch``, for this thread to take many at each wake-up.
  private var pending: [Event] = []
  static let nodeBatch = 64
  /// The events taken and not yet handled (this thread's).
  private var taken: [Event] = []
  private var nextTaken = 0

  private let path: String
  /// The structure's copy: the reading thread fills it, this thread reads what it was told is read.
  private let file: SparseFileCopy
  /// The layer budget: a graph of more nodes is not handed over (``startStreaming()``).
  private let nodeLimit: Int
  private var bytes: UnsafeRawBufferPointer { file.bytes }
  private var decoder: ONNXDecoder
  private var mainGraph: Range<Int>?
  private var tail: ONNXGraphTail?
  private var graphName = ""
  private var nodeRanges: [Range<Int>] = []
  private var decodedNodes: [Node] = []
  /// Set when a node does not decode: the graph is read whole, which reports it.
  private var undecodable = false

  private enum Phase { case nodes, streaming, whole }
  private var phase = Phase.nodes
  /// The header handed over, and whether something read after it makes the end a replacement.
  private var header: Graph?
  private var abandoned = false
  private var reused: ONNXDecodedNodes?
  /// The nodes with unique names (as handed over), and the stored tensors each reads.
  private var nodes: [Node] = []
  private var storedInputs: [[String]] = []
  private var sent = 0
  private var arrived: [String: ConstantTensor] = [:]
  private var unsent: [String: ConstantTensor] = [:]
  private var declaredShapes: [String: TensorInfo] = [:]
  private var declaredShapesSent = false
  private var messages: [GraphStream.Message] = []

  private init(path: String, file: SparseFileCopy, nodeLimit: Int) {
    self.path = path
    self.file = file
    self.nodeLimit = nodeLimit
    decoder = ONNXDecoder(bytes: file.bytes)
  }

  /// The stream of the ONNX file at `path` (of at least `minimumSize` bytes), its structure read
  /// on a new thread; nodes past `nodeLimit` are not handed over. Nil when the file cannot be
  /// read this way or the system gives no thread (the caller reads it as usual).
  static func start(path: String, minimumSize: Int, nodeLimit: Int) -> GraphStream? {
    guard let file = SparseFileCopy(path: path, minimumSize: minimumSize) else { return nil }
    let read = ONNXStreamingRead(path: path, file: file, nodeLimit: nodeLimit)
    let handedOver = HandedOver(file: file)
    guard ImportThread.start({ read.post(.done(ONNXStructureRead.walk(handedOver.file, observer: read))) }) else {
      file.discard()
      return nil
    }
    return GraphStream(nodeLimit: nodeLimit) { read.next() }
  }

  /// The copy, given to the reading thread, which alone uses it from then on.
  private struct HandedOver: @unchecked Sendable { let file: SparseFileCopy }

  // MARK: The reading thread

  func enteringMainGraph(_ body: Range<Int>) {
    // The graph's end, which this thread reads once the nodes are read, is asked for now.
    if bytes.count - body.upperBound <= ONNXGraphTail.modelTail {
      file.prefetch(max(body.lowerBound, body.upperBound - ONNXGraphTail.window)..<bytes.count)
    }
    post(.mainGraph(body))
  }

  func walkedMainGraphField(_ number: Int, body: Range<Int>) {
    switch number {
    case 1, 2:
      pending.append(.field(number, body))
      if pending.count >= Self.nodeBatch { post() }
    case 5, 15:
      pending.append(.field(number, body))
      post()
    default: break
    }
  }

  /// Posts the pending events, and then `last`.
  private func post(_ last: Event? = nil) {
    if let last { pending.append(last) }
    guard !pending.isEmpty else { return }
    lock.lock()
    events += pending
    lock.unlock()
    pending.removeAll(keepingCapacity: true)
    posted.signal()
  }

  // MARK: This thread

  /// The next event, waiting for the reading thread to post more when all posted were taken.
  private func nextEvent() -> Event {
    // Each post signals once, and a take may take several posts' events: a later wait then
    // returns at once and takes nothing, and waits again.
    while nextTaken == taken.count {
      posted.wait()
      lock.lock()
      swap(&taken, &events)
      events.removeAll(keepingCapacity: true)
      lock.unlock()
      nextTaken = 0
    }
    nextTaken += 1
    return taken[nextTaken - 1]
  }

  /// The next message for the analysis, decoding what the reading thread has read until there is one.
  private func next() -> GraphStream.Message {
    while messages.isEmpty {
      switch nextEvent() {
      case .mainGraph(let body):
        mainGraph = body
        // The file's end, asked for by the reading thread, read while it reads the nodes: the
        // opset is then known before the nodes' subgraphs (an If's, a Loop's) are decoded.
        tail = readTail(of: body)
        decoder.opset = tail?.opset
      case .field(let number, let body):
        take(number, body)
      case .done(let copy):
        messages.append(end(copy.finish()))
      }
    }
    return messages.removeFirst()
  }

  private func take(_ number: Int, _ body: Range<Int>) {
    switch (number, phase) {
    case (1, .nodes):
      nodeRanges.append(body)
      guard !undecodable, let node = try? decoder.node(in: body, depth: 0) else {
        undecodable = true
        return
      }
      decodedNodes.append(node)
    case (2, .nodes):
      graphName = (try? ProtobufReader(bytes: bytes).string(in: body, field: "GraphProto.name")) ?? ""
    case (5, .nodes), (15, .nodes):
      phase = startStreaming() ? .streaming : .whole
      if phase == .streaming { take(number, body) }
    case (5, .streaming), (15, .streaming):
      guard !abandoned else { return }
      guard
        let tensor = try? number == 5
          ? decoder.tensor(in: body, kind: "initializer") : decoder.sparseTensor(in: body, kind: "initializer"),
        !tensor.name.isEmpty, arrived.updateValue(tensor.constant, forKey: tensor.name) == nil
      else {
        abandoned = true
        return
      }
      unsent[tensor.name] = tensor.constant
      handOverReadyNodes()
    case (1, .streaming), (2, .streaming):
      abandoned = true
    default:
      break
    }
  }

  /// Reads the graph's inputs and the opsets from the file's end and hands the header over;
  /// false when the graph cannot be handed over before it is read whole.
  private func startStreaming() -> Bool {
    guard !undecodable, !decodedNodes.isEmpty, let tail, (1...Self.maxInputs).contains(tail.inputs.count) else {
      return false
    }
    nodes = decodedNodes
    ONNXNodeNames.makeUnique(&nodes)
    reused = ONNXDecodedNodes(ranges: nodeRanges, nodes: decodedNodes, opset: tail.opset, uniquelyNamed: nodes)
    // More nodes than the layer budget: the end refuses the file (its decode reusing these
    // nodes), and none is analysed first.
    guard nodes.count <= nodeLimit else { return false }
    guard var storedInputs = Self.storedInputs(of: nodes, inputs: tail.inputs.map(\.name)) else { return false }
    // A subgraph (an If's branch, a Loop's body) reads its enclosing graph's tensors by name,
    // not as its node's inputs: its node waits for every stored tensor, handed over at the end.
    for index in nodes.indices where Self.holdsSubgraph(nodes[index]) { storedInputs[index].append("") }
    self.storedInputs = storedInputs
    declaredShapes = ONNXDecoder.declaredShapes(tail.declared, outputs: tail.outputs)
    let header = Graph(
      name: graphName, inputs: tail.inputs.map(\.inputInfo), outputs: [], nodes: [], layout: .nchw,
      opsetVersion: tail.opset)
    self.header = header
    messages.append(.header(header, expectedNodes: nodes.count))
    handOverReadyNodes()
    return true
  }

  private static func holdsSubgraph(_ node: Node) -> Bool {
    node.attributes.values.contains { value in
      switch value {
      case .graph, .graphs: true
      default: false
      }
    }
  }

  /// Hands over the nodes whose stored inputs have all arrived (the next in order, up to the
  /// first that waits), with the stored tensors arrived since the last piece. A node that
  /// writes a stored tensor's name waits for the end, whose check then replaces the graph.
  private func handOverReadyNodes() {
    var end = sent
    while end < nodes.count, storedInputs[end].allSatisfy({ arrived[$0] != nil }),
      !nodes[end].outputs.contains(where: { arrived[$0] != nil })
    {
      end += 1
    }
    guard end > sent || !declaredShapesSent else { return }
    var piece = Graph(name: "", inputs: [], outputs: [], nodes: Array(nodes[sent..<end]), initializers: unsent)
    if !declaredShapesSent {
      piece.valueInfo = declaredShapes
      declaredShapesSent = true
    }
    unsent = [:]
    sent = end
    messages.append(.piece(piece))
  }

  /// The stream's last message, once the structure is read (`data`; nil when a read failed).
  private func end(_ data: Data?) -> GraphStream.Message {
    do throws(ConvScopeError) {
      let graph: Graph
      if let data {
        graph = try ONNXImporter().decodeModel(from: data, fileName: path, decodedNodes: reused).graph
      } else {
        // A read failed: the file is mapped and read whole, as ``ModelLoader`` reads it then.
        let (data, directory) = try ModelLoader.read(path: path)
        graph = try ONNXImporter().importGraph(from: data, fileName: path, directory: directory)
      }
      try ModelLoader.checkBudget(nodes: graph.nodes.count, fileName: path)
      guard let header else { return .end(graph) }
      guard !abandoned, handedOver(as: graph, header: header), storedInputsArrived else { return .replacement(graph) }
      var rest = Graph(name: "", inputs: [], outputs: graph.outputs, nodes: Array(nodes[sent...]), initializers: unsent)
      if !declaredShapesSent { rest.valueInfo = declaredShapes }
      return .end(rest)
    } catch {
      return .failure(error)
    }
  }

  /// Whether every tensor the nodes not yet handed over wait for is stored (the mark of a
  /// subgraph's node, ``startStreaming()``, is met by all having arrived). A node reading a
  /// tensor nothing defines is for the whole graph's walk to refuse.
  private var storedInputsArrived: Bool {
    storedInputs[sent...].allSatisfy { waits in waits.allSatisfy { $0.isEmpty || arrived[$0] != nil } }
  }

  /// Whether the header and pieces handed over make `graph`, the file read whole.
  private func handedOver(as graph: Graph, header: Graph) -> Bool {
    graph.name == header.name && graph.inputs == header.inputs && graph.opsetVersion == header.opsetVersion
      && graph.layout == header.layout && graph.nodes == nodes && graph.initializers == arrived
      && graph.valueInfo == declaredShapes && graph.initializerRoles.isEmpty && graph.heldTensors.isEmpty
      && graph.symbolRanges.isEmpty
      && !nodes.contains { node in node.outputs.contains { arrived[$0] != nil } }
  }

  /// For each node, the tensors it reads that no input and no earlier node defines: the stored
  /// tensors it waits for. Nil when the nodes are not in an order the analysis can follow (a
  /// node reads what a later one writes, or two write the same tensor).
  static func storedInputs(of nodes: [Node], inputs: [String]) -> [[String]]? {
    var written = Set<String>(minimumCapacity: nodes.count * 2 + inputs.count)
    for input in inputs { written.insert(input) }
    var stored: [[String]] = []
    stored.reserveCapacity(nodes.count)
    var waited: [String] = []
    for node in nodes {
      var waits: [String] = []
      for input in node.inputs where !input.isEmpty && !written.contains(input) { waits.append(input) }
      for output in node.outputs where !output.isEmpty {
        guard written.insert(output).inserted else { return nil }
      }
      waited += waits
      stored.append(waits)
    }
    // A tensor waited for must be stored: one a later node writes is read before it is written.
    for name in waited where written.contains(name) { return nil }
    return stored
  }

  /// The graph's inputs, outputs and declared shapes and the default-domain opset, read from
  /// the file's end into a buffer of this thread's own (the reading thread fills the other);
  /// nil when they cannot be read so, or the model defines functions (whose calls the decoder
  /// expands into the graph).
  private func readTail(of graph: Range<Int>) -> ONNXGraphTail? {
    guard bytes.count - graph.upperBound <= ONNXGraphTail.modelTail,
      var copy = SparseFileCopy(path: path, minimumSize: 0)
    else { return nil }
    defer { copy.discard() }
    guard copy.copy(0..<graph.lowerBound),
      copy.copy(max(graph.lowerBound, graph.upperBound - ONNXGraphTail.window)..<bytes.count)
    else { return nil }
    return ONNXGraphTail(in: copy.bytes, graph: graph)
  }
}
