import ConvScopeAnalysis
import ConvScopeCore

extension AnalysisRequest {
  /// Refuses a request that cannot be honoured whole, naming the field at fault: a setting
  /// that would apply to part of the report only, or a value out of range.
  public func validate() throws(ConvScopeError) {
    let source = model.name
    if mode == .training && (convention != nil || reconcile) {
      throw ConvScopeError(
        source: source, convention != nil ? .convention : .reconcile,
        "conventions reproduce tools that count one inference pass; they have no figure for mode training")
    }
    if !(widthMultiplier > 0 && widthMultiplier <= 64) {
      throw ConvScopeError(source: source, .widthMultiplier, "must be a number in (0, 64], got \(widthMultiplier)")
    }
    if let depth, depth < 1 { throw ConvScopeError(source: source, .depth, "must be at least 1, got \(depth)") }
    if let batch, batch < 1 { throw ConvScopeError(source: source, .batch, "must be positive, got \(batch)") }
    if let resolution, resolution < 1 {
      throw ConvScopeError(source: source, .resolution, "must be positive, got \(resolution)")
    }
    if let sweep {
      let field: RequestField = sweep.axis == .batch ? .batch : .resolution
      if sweep.values.isEmpty { throw ConvScopeError(source: source, field, "a sweep needs at least one value") }
      if let bad = sweep.values.first(where: { $0 < 1 }) {
        throw ConvScopeError(source: source, field, "values must be positive, got \(bad)")
      }
      if sweep.axis == .resolution && resolution != nil {
        throw ConvScopeError(
          source: source, .resolution, "sweep one thing at a time: a resolution and a resolution sweep")
      }
    }
    var named: Set<String> = []
    for binding in inputShapes where !named.insert(binding.name).inserted {
      throw ConvScopeError(
        source: source, .inputShapes,
        binding.name.isEmpty ? "a shape without an input name is given twice" : "'\(binding.name)' is given twice")
    }
  }
}
