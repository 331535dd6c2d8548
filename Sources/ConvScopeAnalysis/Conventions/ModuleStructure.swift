import ConvScopeCore
import ConvScopeReport

/// What a node's place in the PyTorch module tree was, as far as a TorchScript export shows it
/// (names `/module/path/OpType`, tensor names, and the graph's wiring). Transformer tools differ
/// exactly where a module ran its children's weights through functionals (`nn.MultiheadAttention`,
/// torchvision's window attention): the hooks of those children never fire. (The fused
/// `nn.TransformerEncoderLayer` path is never taken under a hook tool: it refuses to run when
/// forward hooks are attached, `torch/nn/modules/transformer.py:868-872`.)
struct ModuleRole: Sendable, Hashable {
  /// The node lies in a scope whose own nodes (its children's aside) include both a weight
  /// product and a product of two activations: a module that called `F.linear` with its children's weights and then attended
  /// (`nn.MultiheadAttention`, torchvision's `ShiftedWindowAttention` and, with its `cpb_mlp`
  /// child, `ShiftedWindowAttentionV2`). Its children `out_proj`, `qkv`, `proj` never ran as modules, so it is not a leaf module to torchinfo, and thop has
  /// no hook for it.
  var inAttentionModule = false
  /// That module is an `nn.MultiheadAttention`: it reads a tensor named `*.in_proj_weight`,
  /// `*.in_proj_bias` or `*.out_proj.weight`/`.bias` (ptflops has a hook for it).
  var inMultiheadAttention = false
  /// The node is one of the products or the softmax of `F.scaled_dot_product_attention`: the
  /// exporter writes it as `MatMul(Mul(q, √s), Mul(kᵀ, √s))` → [mask `Add`] → `Softmax` →
  /// `MatMul(·, v)`, scaling both operands, where a written `q @ kᵀ * s` scales once, after.
  var inScaledDotProduct = false
  /// The node is an op of `nn.TransformerEncoderLayer`/`DecoderLayer`'s own forward (its scope has
  /// `linear1` and `linear2` children): such a layer calls the activation function it stored at
  /// construction (`torch/nn/modules/transformer.py:778-788`), an unpatched `F.gelu`.
  var inTorchTransformerLayer = false
  /// The table elements of an embedding lookup (`Gather`) whose table an earlier lookup read
  /// first, and owns in ConvScope's count: a shared `nn.Embedding` called again (T5's `shared`, as
  /// the encoder's and then the decoder's `embed_tokens`). 0 for any other node.
  var sharedTableParams = 0
  /// The node is the `Sigmoid` of a SiLU: TorchScript writes `F.silu(x)` as `Mul(x, Sigmoid(x))`.
  var isSiluSigmoid = false
  /// The node is an `Add` whose other operand is a weight product's output: the bias of an
  /// `F.linear` exported as `MatMul` + `Add` (not, say, a relative position bias added to scores).
  var addsProductBias = false
  /// The node is cosine attention's scores, `F.normalize(q) @ F.normalize(k).transpose(-2, -1)`
  /// (`Div` → `MatMul` ← `Transpose` ← `Div`): torchvision's Swin V2 writes it with the `@`
  /// operator (`torchvision/models/swin_transformer.py:184`), which no tool patches.
  var isCosineScores = false
}

/// Reads ``ModuleRole``s for every row of a report.
enum ModuleStructure {
  static func roles(_ rows: [LayerRow]) -> [ModuleRole] {
    var byScope: [String: [Int]] = [:]
    for (i, row) in rows.enumerated() where row.name.hasPrefix("/") {
      byScope[ConventionContext.scope(of: row.name), default: []].append(i)
    }
    var attention: Set<String> = []
    var multihead: Set<String> = []
    for (scope, members) in byScope where !scope.isEmpty {
      let families = members.map { rows[$0] }
      let weighted = families.contains { isProduct($0) && $0.params > 0 }
      let attends = families.contains { isProduct($0) && $0.params == 0 && $0.facts.family != .linear }
      guard weighted && attends else { continue }
      attention.insert(scope)
      let projections = families.flatMap(\.inputs).contains { name in
        ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"].contains { name.hasSuffix($0) }
      }
      if projections { multihead.insert(scope) }
    }
    let layers = Set(
      byScope.keys.filter { byScope[$0 + "/linear1"] != nil || byScope[$0 + "/linear2"] != nil }.filter { scope in
        byScope.keys.contains { $0.hasPrefix(scope + "/linear1") }
          && byScope.keys.contains { $0.hasPrefix(scope + "/linear2") }
      })
    let sdpa = scaledDotProducts(rows)
    let silu = siluSigmoids(rows)
    var producer: [String: LayerRow] = [:]
    for row in rows { for output in row.outputs { producer[output.name] = row } }
    func producedBy(_ name: String, _ family: OpFamily) -> LayerRow? {
      producer[name].flatMap { $0.facts.family == family ? $0 : nil }
    }
    var weightProducts: Set<String> = []
    for row in rows where row.facts.family == .matrixProduct(.float) && row.params > 0 {
      weightProducts.formUnion(row.outputs.map(\.name))
    }
    var tableOwner: [String: Int] = [:]  // a lookup table → the params of the lookup that counts it
    var sharedTables: [Int: Int] = [:]
    for (i, row) in rows.enumerated() where row.facts.family == .dataMovement(.gather) && !row.folded {
      guard let table = row.inputs.first else { continue }
      if let owned = tableOwner[table], row.params == 0 {
        sharedTables[i] = owned
      } else if row.params > 0 {
        tableOwner[table] = row.params
      }
    }
    return rows.enumerated().map { i, row in
      let scope = ConventionContext.scope(of: row.name)
      return ModuleRole(
        inAttentionModule: attention.contains(scope), inMultiheadAttention: multihead.contains(scope),
        inScaledDotProduct: sdpa.contains(i), inTorchTransformerLayer: layers.contains(scope),
        sharedTableParams: sharedTables[i] ?? 0,
        isSiluSigmoid: silu.contains(i),
        addsProductBias: row.facts.family == .elementwise(.add) && row.inputs.contains { weightProducts.contains($0) },
        isCosineScores: row.facts.family == .matrixProduct(.float) && row.params == 0 && row.inputs.count == 2
          && producedBy(row.inputs[0], .elementwise(.div)) != nil
          && producedBy(row.inputs[1], .dataMovement(.transpose)).flatMap { t in
            t.inputs.first.flatMap { producedBy($0, .elementwise(.div)) }
          } != nil)
    }
  }

  static func isProduct(_ row: LayerRow) -> Bool {
    switch row.facts.family {
    case .matrixProduct(.float), .linear: true
    default: false
    }
  }

  /// The `Sigmoid` rows whose output a `Mul` multiplies by the sigmoid's own input.
  static func siluSigmoids(_ rows: [LayerRow]) -> Set<Int> {
    var sigmoidOf: [String: (index: Int, input: String)] = [:]
    for (i, row) in rows.enumerated() where row.facts.family == .activation(.sigmoid) {
      if let input = row.inputs.first, let output = row.outputs.first { sigmoidOf[output.name] = (i, input) }
    }
    var found: Set<Int> = []
    for row in rows where row.facts.family == .elementwise(.mul) && row.inputs.count == 2 {
      for (a, b) in [(row.inputs[0], row.inputs[1]), (row.inputs[1], row.inputs[0])] {
        if let gate = sigmoidOf[a], gate.input == b { found.insert(gate.index) }
      }
    }
    return found
  }

  /// The rows of every `Mul, Mul → MatMul → [Add] → Softmax → MatMul` chain (see ``ModuleRole``).
  static func scaledDotProducts(_ rows: [LayerRow]) -> Set<Int> {
    var producer: [String: Int] = [:]
    var consumers: [String: [Int]] = [:]
    for (i, row) in rows.enumerated() {
      for output in row.outputs { producer[output.name] = i }
      for input in row.inputs { consumers[input, default: []].append(i) }
    }
    func next(_ i: Int, where family: (OpFamily) -> Bool) -> Int? {
      rows[i].outputs.first.flatMap { consumers[$0.name] }?.first { family(rows[$0].facts.family) }
    }
    var found: Set<Int> = []
    for (i, row) in rows.enumerated() where row.facts.family == .matrixProduct(.float) && row.params == 0 {
      let scaled = row.inputs.prefix(2).allSatisfy { name in
        producer[name].map { rows[$0].facts.family == .elementwise(.mul) } ?? false
      }
      guard scaled, row.inputs.count >= 2 else { continue }
      let masked = next(i) { $0 == .elementwise(.add) }
      guard let softmax = next(masked ?? i, where: { $0 == .softmax(.softmax) }),
        let values = next(softmax, where: { $0 == .matrixProduct(.float) })
      else { continue }
      found.formUnion([i, softmax, values])
    }
    return found
  }
}

extension ConventionContext {
  /// One line for a `--reconcile` reader: the nodes `select` picks, what the tool did with them
  /// and the multiply-accumulates of ConvScope's count they hold (nothing when none is picked).
  func roleNote(_ what: String, _ select: (LayerFacts) -> Bool) throws(OpError) -> [String] {
    let picked = facts.filter { !$0.row.folded && select($0) }
    guard !picked.isEmpty else { return [] }
    var macs = 0
    for fact in picked { macs = try Checked.add(macs, fact.macs) }
    return ["\(what) (\(picked.count) nodes, \(macs) of ConvScope's MACs)"]
  }

  /// The scaled-dot-product attention note of the tools that count SDPA as 0.
  func scaledDotProductNote(_ why: String) throws(OpError) -> [String] {
    try roleNote("F.scaled_dot_product_attention (Mul, Mul → MatMul → Softmax → MatMul) counted 0: \(why)") {
      $0.module.inScaledDotProduct
    }
  }

  /// The note of the hook tools that see nothing of an attention module whose children never ran.
  func attentionModuleNote(_ why: String) throws(OpError) -> [String] {
    try roleNote("attention modules that call F.linear with their children's weights counted 0: \(why)") {
      $0.module.inAttentionModule
    }
  }
}
