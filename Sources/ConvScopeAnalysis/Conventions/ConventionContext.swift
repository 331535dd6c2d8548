import ConvScopeCore
import ConvScopeReport

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
    let layers = layers.map(Self.unfolded)
    let roles = infers ? ModuleStructure.roles(layers) : layers.map { _ in ModuleRole() }
    facts = zip(layers, roles).map { row, role in
      LayerFacts(
        row: row, batch: batch,
        hasFoldedBatchNorm: infers && Self.weightWasFolded(row),
        isModuleCall: !infers || Self.isLeafModule(row.name, containers: containers), module: role)
    }
  }

  /// A folded row as a tool that runs it sees it: the cost and weights its rule gave it
  /// (``OpFacts/foldedCost``, ``OpFacts/foldedParams``), still flagged folded.
  static func unfolded(_ row: LayerRow) -> LayerRow {
    guard row.folded else { return row }
    var row = row
    row.cost = row.facts.foldedCost
    row.macs = row.cost.macs
    row.params = row.facts.foldedParams
    return row
  }

  /// Whether `counting` counts `fact`: every node ConvScope counts, and the folded nodes its
  /// tool runs (``FoldedNodes``).
  func counts<C: CountingConvention>(_ fact: LayerFacts, _ counting: C.Type) -> Bool {
    guard fact.row.folded else { return true }
    switch C.foldedNodes {
    case .none: return false
    case .moduleCalls:  // a TorchScript path in a leaf scope (not the exporter's own root-level Identity)
      return options.infersTorchProvenance && fact.isModuleCall && !Self.scope(of: fact.row.name).isEmpty
    case .all: return true
    }
  }

  /// TorchScript's constant folding renames the weight of a Conv it merged a BatchNorm into
  /// `onnx::Conv_<n>`; a Conv whose weights were kept keeps the PyTorch name (`conv1.weight`).
  static func weightWasFolded(_ row: LayerRow) -> Bool {
    row.facts.family == .convolution && row.facts.weightInput?.hasPrefix("onnx::Conv_") == true
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

  /// Sums `counting`'s per-layer figures into its result.
  func tally<C: CountingConvention>(_ counting: C.Type) throws(OpError) -> ConventionResult {
    let configuration = C.configuration
    var result = ConventionResult(
      convention: configuration.name, name: configuration.toolName, figure: 0, unit: configuration.unit, layers: [:],
      components: [:], params: 0, description: configuration.summary, notes: [])
    var unsupported: [String] = []
    var undecided: [String] = []
    var moduleSum = 0
    var functionalSum = 0
    for fact in facts where counts(fact, counting) {
      if !fact.row.supported {
        if !unsupported.contains(fact.op) { unsupported.append(fact.op) }
        continue
      }
      // A folded row's weights are counted where ConvScope counts them, at the first reader of its value.
      let params = fact.row.folded ? 0 : try C.params(fact)
      guard let count = try C.count(fact) else {
        if !undecided.contains(fact.op) { undecided.append(fact.op) }
        result.params = try Checked.add(result.params, params)
        continue
      }
      if C.dividesModulesByBatch && fact.isModuleCall {
        let hooked = count.figure - count.functionalShare
        moduleSum = try Checked.add(moduleSum, hooked)
        functionalSum = try Checked.add(functionalSum, count.functionalShare)
        if count.figure != 0 { result.layers[fact.row.name] = hooked / max(batch, 1) + count.functionalShare }
      } else {
        if count.figure != 0 { result.layers[fact.row.name] = count.figure }
        functionalSum = try Checked.add(functionalSum, count.figure)
      }
      for (key, value) in count.components {
        result.components[key] = try Checked.add(result.components[key] ?? 0, value)
      }
      result.params = try Checked.add(result.params, params)
    }
    result.figure = try Checked.add(moduleSum / max(batch, 1), functionalSum)
    result.notes = try C.notes(self)
    if C.dividesModulesByBatch && batch > 1 {
      result.notes.append("module counts divided by the batch size \(batch) (per-sample figure), as the tool does")
    }
    if !undecided.isEmpty {
      let ops = undecided.joined(separator: ", ")
      result.notes.append("\(ops): no rule in \(configuration.name)'s convention, counted 0")
    }
    if !unsupported.isEmpty {
      result.notes.append("ops ConvScope could not analyse, left out: \(unsupported.joined(separator: ", "))")
    }
    return result
  }

  /// Convs that had a BatchNorm folded into them (and, for the tools that profile every node,
  /// the shape arithmetic ConvScope folded to constants is part of ``facts``).
  var foldedConvs: [LayerFacts] { facts.filter(\.hasFoldedBatchNorm) }

  /// The note every PyTorch convention gives when it reconstructs folded BatchNorms.
  func foldedBatchNormNote(_ effect: String) -> [String] {
    let folded = foldedConvs
    guard !folded.isEmpty else { return [] }
    let channels = folded.reduce(0) { $0 + $1.outputChannels }
    return [
      "\(folded.count) Conv nodes have weights named onnx::Conv_*: the exporter folded a BatchNorm "
        + "(\(channels) channels in all) into each; counted as the PyTorch model ran them, "
        + "a bias-free Conv then BatchNorm: \(effect)"
    ]
  }

  /// The note of conventions that count module and functional calls differently.
  func functionalNote(_ counted: (OpFamily) -> Bool, _ effect: String) -> [String] {
    let functional = facts.filter { !$0.isModuleCall && counted($0.family) }.map(\.row.name)
    guard !functional.isEmpty else { return [] }
    return [
      "functional calls (no module of their own in the exported names), \(effect): "
        + functional.joined(separator: ", ")
    ]
  }
}
