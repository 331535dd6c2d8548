import ConvScopeCore

/// The fields of an ``AnalysisRequest``, as errors name them (`field 'inputShapes'`). A front
/// end maps them to its own words (the command-line tool: `--input-shape`).
public enum RequestField: String, Sendable, CaseIterable {
  case model, inputShapes, batch, resolution, dataType, layout, mode, device, training, convention,
    reconcile, sweep, widthMultiplier, depth
}

extension ConvScopeError {
  /// An error about the request's `field`, for the model `source`.
  package init(source: String, _ field: RequestField, _ message: String) {
    self.init(file: source, field: field.rawValue, message: message)
  }
}
