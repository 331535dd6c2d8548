import ArgumentParser
import ConvScope

/// Where the command line and the library's ``AnalysisRequest`` meet: which flag sets which
/// request field, so that the library's errors (which name fields) read as flags.
enum CommandLineRequest {
  /// The flag that sets each request field.
  static let flags: [String: String] = [
    RequestField.model.rawValue: "file",
    RequestField.inputShapes.rawValue: "--input-shape",
    RequestField.batch.rawValue: "--batch",
    RequestField.resolution.rawValue: "--resolution",
    RequestField.dataType.rawValue: "--dtype",
    RequestField.layout.rawValue: "--layout",
    RequestField.mode.rawValue: "--mode",
    RequestField.device.rawValue: "--device",
    RequestField.training.rawValue: "--train",
    RequestField.convention.rawValue: "--convention",
    RequestField.reconcile.rawValue: "--reconcile",
    RequestField.sweep.rawValue: "--batch/--resolution",
    RequestField.widthMultiplier.rawValue: "--width-mult",
    RequestField.depth.rawValue: "--depth",
    // Not a request field: the renderers' output format.
    "format": "--format",
  ]

  /// `error` with its request field written as the flag that sets it.
  static func flagged(_ error: ConvScopeError) -> ConvScopeError {
    var error = error
    if let field = error.field, let flag = flags[field] { error.field = flag }
    return error
  }

  /// Checks a request at parse time: a refusal is a usage error (exit 64) naming the flag.
  static func validate(_ request: AnalysisRequest) throws(ValidationError) {
    do {
      try request.validate()
    } catch {
      let flag = error.field.flatMap { flags[$0] }
      throw ValidationError((flag.map { "\($0): " } ?? "") + error.message)
    }
  }
}
