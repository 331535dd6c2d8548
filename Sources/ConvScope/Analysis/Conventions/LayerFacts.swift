/// What a convention needs to know about one node, read from its ``LayerRow``:
/// element counts, bias, kernel, and the PyTorch history the exporter left in names.
struct LayerFacts: Sendable {
  let row: LayerRow
  /// The batch size of the whole model (ptflops divides module counts by it).
  let batch: Int
  /// True when the TorchScript exporter folded a BatchNorm into this Conv (see ``ConventionOptions``).
  let hasFoldedBatchNorm: Bool
  /// True when the node was a PyTorch module's forward rather than a functional call.
  let isModuleCall: Bool

  var op: String { row.op }
  /// ConvScope's multiply-accumulates for the node.
  var macs: Int { row.cost.macs }
  /// Elements of the first data input (0 when unknown).
  var inputElements: Int { row.inputShapes.first?.shape.elementCount ?? 0 }
  /// Elements of the first output (0 when unknown).
  var outputElements: Int { row.outputs.first?.shape.elementCount ?? 0 }
  /// The first output's sizes (empty when unknown).
  var outputSizes: [Int] { row.outputs.first?.shape.sizes ?? [] }
  /// The first data input's sizes (empty when unknown).
  var inputSizes: [Int] { row.inputShapes.first?.shape.sizes ?? [] }
  /// Channels of the first output (`C` of `N x C x ...`), 0 when unknown.
  var outputChannels: Int { outputSizes.count > 1 ? outputSizes[1] : 0 }
  /// Channels of the first input, 0 when unknown.
  var inputChannels: Int { inputSizes.count > 1 ? inputSizes[1] : 0 }
  /// The product of the window's kernel sizes (1 for an op without a window).
  var kernelVolume: Int { (try? Checked.product(row.window?.kernel ?? [])) ?? 0 }
  /// Whether a Conv, ConvTranspose or Gemm has its optional bias input.
  var hasBias: Bool { ["Conv", "ConvTranspose", "Gemm"].contains(op) && row.inputs.count > 2 }
  /// The stored bias as PyTorch had it: a folded BatchNorm's bias did not exist in the PyTorch Conv.
  var hasTorchBias: Bool { hasBias && !hasFoldedBatchNorm }
  /// Number of data inputs (an elementwise op over `n` inputs does `n - 1` combines).
  var dataInputCount: Int { row.inputShapes.count }

  /// An `LRN`'s window `size`, read back from its rule's cost (`size` adds per element); the
  /// Report keeps no attributes.
  var lrnSize: Int { outputElements > 0 ? row.cost.adds / outputElements : 0 }

  /// `a * b` overflow-checked, for the conventions' formulas.
  func times(_ a: Int, _ b: Int) throws(OpError) -> Int { try Checked.multiply(a, b) }
}

/// The layers of one report, read once: which Convs had a BatchNorm folded into them
/// and which nodes were module calls.
struct ConventionContext {
  let facts: [LayerFacts]
  let batch: Int
  let options: ConventionOptions

  init(layers: [LayerRow], batch: Int, options: ConventionOptions) {
    self.batch = batch
    self.options = options
    let infers = options.infersTorchProvenance
    let containers = Self.containerScopes(layers.map(\.name))
    facts = layers.filter { !$0.folded }.map { row in
      LayerFacts(
        row: row, batch: batch,
        hasFoldedBatchNorm: infers && Self.weightWasFolded(row),
        isModuleCall: !infers || Self.isLeafModule(row.name, containers: containers))
    }
  }

  /// TorchScript's constant folding renames the weight of a Conv it merged a BatchNorm into
  /// `onnx::Conv_<n>`; a Conv whose weights were kept keeps the PyTorch name (`conv1.weight`).
  static func weightWasFolded(_ row: LayerRow) -> Bool {
    row.op == "Conv" && row.inputs.count > 1 && row.inputs[1].hasPrefix("onnx::Conv_")
  }

  /// TorchScript names a node `/module/path/OpType`. A node is a module's own forward when
  /// its scope is a leaf (no other node lives deeper in it); a node at the root (`/Flatten`)
  /// or in a container scope (`/layer1/layer1.0/Add`) was a functional call. Names that are
  /// not TorchScript paths count as modules.
  static func isLeafModule(_ name: String, containers: Set<String>) -> Bool {
    guard name.hasPrefix("/") else { return true }
    let scope = scope(of: name)
    return !scope.isEmpty && !containers.contains(scope)
  }

  /// Every scope that has a deeper scope inside it (`/layer1` and `/layer1/layer1.0` for
  /// `/layer1/layer1.0/conv1/Conv`).
  static func containerScopes(_ names: [String]) -> Set<String> {
    var containers: Set<String> = []
    for name in names where name.hasPrefix("/") {
      var scope = scope(of: name)
      while !scope.isEmpty {
        scope = self.scope(of: scope)
        if !scope.isEmpty { containers.insert(scope) }
      }
    }
    return containers
  }

  /// `/layer1/layer1.0/conv1/Conv` → `/layer1/layer1.0/conv1`; a name without `/` has no scope.
  static func scope(of name: String) -> String {
    guard let slash = name.lastIndex(of: "/") else { return "" }
    return String(name[..<slash])
  }

  /// Sums `counting`'s per-layer figures into the result for `convention`.
  func tally<C: CountingConvention>(_ convention: Convention, _ counting: C.Type) throws(OpError) -> ConventionResult {
    var result = ConventionResult(
      convention: convention, name: convention.toolName, figure: 0, unit: convention.unit, layers: [:],
      components: [:], params: 0, description: convention.summary, notes: [])
    var unsupported: [String] = []
    var moduleSum = 0, functionalSum = 0
    for fact in facts {
      if !fact.row.supported {
        if !unsupported.contains(fact.op) { unsupported.append(fact.op) }
        continue
      }
      let count = try C.count(fact)
      if C.dividesModulesByBatch && fact.isModuleCall {
        moduleSum = try Checked.add(moduleSum, count.figure)
        if count.figure != 0 { result.layers[fact.row.name] = count.figure / max(batch, 1) }
      } else {
        if count.figure != 0 { result.layers[fact.row.name] = count.figure }
        functionalSum = try Checked.add(functionalSum, count.figure)
      }
      for (key, value) in count.components {
        result.components[key] = try Checked.add(result.components[key] ?? 0, value)
      }
      result.params = try Checked.add(result.params, try C.params(fact))
    }
    result.figure = try Checked.add(moduleSum / max(batch, 1), functionalSum)
    result.notes = try C.notes(self)
    if C.dividesModulesByBatch && batch > 1 {
      result.notes.append("module counts divided by the batch size \(batch) (per-sample figure), as the tool does")
    }
    if !unsupported.isEmpty {
      result.notes.append("ops ConvScope could not analyse, left out: \(unsupported.joined(separator: ", "))")
    }
    return result
  }

  /// Convs that had a BatchNorm folded into them.
  var foldedConvs: [LayerFacts] { facts.filter(\.hasFoldedBatchNorm) }

  /// The note every PyTorch convention gives when it reconstructs folded BatchNorms.
  func foldedBatchNormNote(_ effect: String) -> [String] {
    let folded = foldedConvs
    guard !folded.isEmpty else { return [] }
    let channels = folded.reduce(0) { $0 + $1.outputChannels }
    return [
      "\(folded.count) Conv nodes have weights named onnx::Conv_*: the exporter folded a BatchNorm (\(channels) channels in all) into each; "
        + "counted as the PyTorch model ran them, a bias-free Conv then BatchNorm: \(effect)"
    ]
  }

  /// The note of conventions that count module and functional calls differently.
  func functionalNote(_ ops: Set<String>, _ effect: String) -> [String] {
    let functional = facts.filter { !$0.isModuleCall && ops.contains($0.op) }.map(\.row.name)
    guard !functional.isEmpty else { return [] }
    return ["functional calls (no module of their own in the exported names), \(effect): \(functional.joined(separator: ", "))"]
  }
}

/// One layer's figure under a convention, with named sub-totals.
struct LayerCount {
  var figure: Int
  var components: [String: Int] = [:]

  static let zero = LayerCount(figure: 0)
}

/// A tool's rules: the figure of one layer, the parameters it prints, and its notes for a model.
protocol CountingConvention {
  /// The tool's figure for one node.
  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount
  /// The parameters the tool attributes to one node.
  static func params(_ layer: LayerFacts) throws(OpError) -> Int
  /// Remarks on the whole model (folded BatchNorms, functional calls, ops the tool cannot know).
  static func notes(_ context: ConventionContext) throws(OpError) -> [String]
  /// True for ptflops' pytorch backend: module counts are divided by the batch size.
  static var dividesModulesByBatch: Bool { get }
}

extension CountingConvention {
  static var dividesModulesByBatch: Bool { false }
  static func notes(_ context: ConventionContext) throws(OpError) -> [String] { [] }

  /// PyTorch's parameter count: a folded BatchNorm turned its 2C affine parameters into a C bias.
  static func torchParams(_ layer: LayerFacts) throws(OpError) -> Int {
    layer.hasFoldedBatchNorm ? try Checked.add(layer.row.params, layer.outputChannels) : layer.row.params
  }
}

extension LayerCount: ExpressibleByIntegerLiteral {
  init(integerLiteral value: Int) { self.init(figure: value) }
}
