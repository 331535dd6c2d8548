import ConvScopeCore

/// One layer entry after `repeat:` blocks are unrolled: the layer's YAML and
/// the repeat iterations it sits in, outermost first.
struct SpecLayerEntry {
  /// One iteration of a `repeat:` block.
  struct Iteration {
    let index: Int
    /// Applies the iteration to a name: `{i}` becomes the index; a name without it gets `_index`.
    func apply(_ name: String) -> String {
      name.contains("{i}") ? name.replacingOccurrences(of: "{i}", with: String(index)) : "\(name)_\(index)"
    }
  }

  let node: SpecNode
  let iterations: [Iteration]

  /// The layer's name in the graph: innermost iteration first, then outwards.
  func expand(_ name: String) -> String {
    iterations.reversed().reduce(name) { $1.apply($0) }
  }

  /// The names an `inputs:` reference may mean, innermost scope first: the
  /// same iteration's layer, then the enclosing blocks', then the name as written.
  func candidates(for reference: String) -> [String] {
    (0...iterations.count).reversed().map { depth in
      iterations[..<depth].reversed().reduce(reference) { $1.apply($0) }
    }
  }
}

/// Unrolls `repeat:` blocks:
///
/// ```yaml
/// - repeat: 3
///   layers:
///     - {name: "conv{i}", op: conv, filters: 16, kernel: 3, padding: same}
///     - {name: relu, op: relu}            # relu_1, relu_2, relu_3
/// ```
enum SpecRepeat {
  /// How many layers `items` unroll to, capped just above `limit` (nothing is read or checked here):
  /// the product of nested repeat counts times the layers inside, summed.
  static func unrolledCount(_ items: [SpecNode], limit: Int) -> Int {
    var total = 0
    for item in items {
      if let count = item.value("repeat")?.int, count > 0, let layers = item.value("layers")?.items {
        total += capped(count, max(1, unrolledCount(Array(layers), limit: limit)), limit: limit)
      } else {
        total += 1
      }
      if total > limit { return limit + 1 }
    }
    return total
  }

  /// `a * b`, or just above `limit` when that is larger (or overflows).
  private static func capped(_ a: Int, _ b: Int, limit: Int) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow || product > limit ? limit + 1 : product
  }

  /// Appends the entries of `items` (layers or repeat blocks) to `entries`.
  /// The layer budget (``ResourceLimits/layers``) is checked for each block before any of it
  /// is unrolled, counting what is already unrolled and the whole block.
  static func expand(
    _ items: [SpecNode], iterations: [SpecLayerEntry.Iteration], location: SpecLocation,
    into entries: inout [SpecLayerEntry], limit: Int
  ) throws(ConvScopeError) {
    for item in items {
      guard item.value("repeat") != nil else {
        entries.append(SpecLayerEntry(node: item, iterations: iterations))
        continue
      }
      let block = try SpecFields(item, location: location, what: "repeat block")
      let count = try block.positiveInt("repeat", required: true) ?? 0
      guard let layers = block.value("layers")?.items, !layers.isEmpty else {
        throw block.error("layers", "a repeat block needs a non-empty list of `layers:`")
      }
      try block.finish(allowed: ["repeat", "layers"])
      let unrolled = capped(count, unrolledCount(Array(layers), limit: limit), limit: limit)
      guard entries.count + unrolled <= limit else {
        throw block.error(
          "repeat",
          "the model would unroll to more than \(NumberFormatting.grouped(limit)) layers, the layer budget "
            + "(\(ResourceLimits.layersVariable) raises it)")
      }
      for index in 1...count {
        try expand(
          Array(layers), iterations: iterations + [.init(index: index)], location: location, into: &entries,
          limit: limit)
      }
    }
  }
}
