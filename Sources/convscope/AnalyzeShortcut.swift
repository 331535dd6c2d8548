import ArgumentParser
import ConvScope

/// The common `analyze` command lines read without the argument parser, which reflects on
/// every option of a command before parsing (about 3 ms of a 10 ms run on a small model,
/// `Benchmarks/startup.sh`).
///
/// It reads the model files and the options below, in the spellings `--name value`,
/// `--name=value` and `-x value`; each value is converted by the same function the option
/// uses and the same checks run. Anything else (another option, a repeated one, a value that
/// does not convert, a failed check, `--`, combined short flags) returns nil, and the
/// argument parser reads the line as always, with its messages. A new `analyze` option
/// therefore needs nothing here; `AnalyzeShortcutTests` checks that every line read here
/// gives the settings the parser gives.
enum AnalyzeShortcut {
  /// The settings `arguments` (the words after `analyze`) ask for, or nil when the argument
  /// parser has to read them.
  static func settings(_ arguments: [String]) -> AnalyzeSettings? {
    var files: [String] = []
    var settings = AnalyzeSettings(files: [], request: AnalysisRequest(model: .file("")))
    var seen: Set<Name> = []
    var index = 0
    while index < arguments.count {
      let word = arguments[index]
      index += 1
      guard word.hasPrefix("-"), word != "-" else {
        files.append(word)
        continue
      }
      var spelling = Substring(word)
      var value: String?
      if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
        spelling = word[..<equals]
        value = String(word[word.index(after: equals)...])
      }
      guard let name = Name(spelling) else { return nil }
      guard name.repeats || seen.insert(name).inserted else { return nil }
      if name.takesValue {
        if value == nil {
          guard index < arguments.count, name == .batch || !arguments[index].hasPrefix("-") else { return nil }
          value = arguments[index]
          index += 1
        }
      } else if value != nil {
        return nil
      }
      guard set(name, value ?? "", in: &settings) else { return nil }
    }
    guard !files.isEmpty else { return nil }
    settings.files = files
    settings.request.model = .file(files[0])
    settings.output.apply(to: &settings.request)
    do {
      try settings.output.validate()
      try settings.rows.validate()
      try settings.validate()
    } catch {
      return nil
    }
    return settings
  }

  /// The options read here, by any of their spellings.
  private enum Name: Hashable {
    case format, output, noColor, quiet, wide, compact, units, strict, batch, dtype, inputShape, layout, convention

    init?(_ spelling: Substring) {
      switch spelling {
      case "-f", "--format": self = .format
      case "-o", "--output": self = .output
      case "--no-color": self = .noColor
      case "-q", "--quiet": self = .quiet
      case "--wide": self = .wide
      case "--compact": self = .compact
      case "--units": self = .units
      case "--strict": self = .strict
      case "--batch": self = .batch
      case "--dtype": self = .dtype
      case "--input-shape": self = .inputShape
      case "--layout": self = .layout
      case "--convention": self = .convention
      default: return nil
      }
    }

    var takesValue: Bool {
      switch self {
      case .noColor, .quiet, .wide, .compact, .strict: false
      default: true
      }
    }

    /// Options given several times add up; the others are read once here.
    var repeats: Bool { self == .inputShape }
  }

  /// Sets one option; false when its value does not convert.
  private static func set(_ name: Name, _ value: String, in settings: inout AnalyzeSettings) -> Bool {
    switch name {
    case .format:
      guard let format = OutputFormat(argument: value) else { return false }
      settings.output.explicitFormat = format
    case .output: settings.output.path = value
    case .noColor: settings.output.noColor = true
    case .quiet: settings.rows.quiet = true
    case .wide: settings.rows.wide = true
    case .compact: settings.rows.compact = true
    case .units:
      guard let units = CountUnits(argument: value) else { return false }
      settings.rows.units = units
    case .strict: settings.strict = true
    case .batch:
      // One size; a list is a sweep, left to the parser.
      guard let sizes = try? IntListArgument(parsing: value).values, sizes.count == 1 else { return false }
      settings.request.batch = sizes[0]
    case .dtype:
      guard let type = DataType(userName: value) else { return false }
      settings.request.dataType = type
    case .inputShape:
      guard let shape = try? InputShapeArgument(parsing: value) else { return false }
      settings.request.inputShapes.append(shape.binding)
    case .layout:
      guard let layout = TensorLayout(userName: value) else { return false }
      settings.request.layout = layout
    case .convention:
      guard let convention = Convention(argument: value) else { return false }
      settings.request.convention = convention
    }
    return true
  }
}
