import ArgumentParser
import ConvScope

/// Where the command line and the library's ``AnalysisRequest`` meet: which flag sets which
/// request field, so that the library's errors (which name fields) read as flags.
enum CommandLineRequest {
  /// The flag that sets `field` (every field has one: a new field needs its flag here).
  static func flag(for field: RequestField) -> String {
    switch field {
    case .model: "file"
    case .inputShapes: "--input-shape"
    case .batch: "--batch"
    case .resolution: "--resolution"
    case .dataType: "--dtype"
    case .layout: "--layout"
    case .mode: "--mode"
    case .device: "--device"
    case .training: "--train"
    case .convention: "--convention"
    case .reconcile: "--reconcile"
    case .sweep: "--batch/--resolution"
    case .widthMultiplier: "--width-mult"
    case .depth: "--depth"
    }
  }

  /// The flag for an error's `field`: a request field's, or `--format` for the renderers'
  /// output format (not a request field); nil for a field of the model file.
  static func flag(named field: String) -> String? {
    if let requestField = RequestField(rawValue: field) { return flag(for: requestField) }
    return field == "format" ? "--format" : nil
  }

  /// `error` with its request field written as the flag that sets it.
  static func flagged(_ error: ConvScopeError) -> ConvScopeError {
    var error = error
    if let field = error.field, let flag = flag(named: field) { error.field = flag }
    return error
  }

  /// Checks a request at parse time: a refusal is a usage error (exit 64) naming the flag.
  static func validate(_ request: AnalysisRequest) throws(ValidationError) {
    do {
      try request.validate()
    } catch {
      let flag = error.field.flatMap(flag(named:))
      throw ValidationError((flag.map { "\($0): " } ?? "") + error.message)
    }
  }
}
