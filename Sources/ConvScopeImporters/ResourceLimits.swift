import ConvScopeCore
import Foundation

/// The limits that keep a hostile or broken file from exhausting time or memory; each is
/// documented with its error text in `docs/limits.md`. Those a real model could need more of
/// are read from an environment variable when set (a positive whole number), else a default.
public enum ResourceLimits {
  /// The most layers a model may have: spec layers after `repeat:` blocks are unrolled
  /// (checked before unrolling), graph nodes for every format (checked after import).
  public static var layers: Int { get throws(ConvScopeError) { try value(layersVariable, default: 100_000) } }
  /// The environment variable that raises ``layers``.
  public static let layersVariable = "CONVSCOPE_MAX_LAYERS"

  /// Twice ``layers`` (saturating): the most entries or calls a Keras config may make before
  /// its graph exists, since an entry or a call need not become a node (an `InputLayer` does
  /// not), so the graph's own check decides near the budget and this one only stops far past it.
  static var twiceLayers: Int {
    get throws(ConvScopeError) {
      let budget = try layers
      return budget > Int.max / 2 ? Int.max : 2 * budget
    }
  }

  /// The refusal of a model past the layer budget `limit`: `count` of `what` (`nodes` after
  /// import, the `layers` a Keras config lists), in the words every such error uses.
  static func overLayerBudget(_ count: Int, _ what: String, verb: String, limit: Int) -> String {
    "the model \(verb) \(NumberFormatting.grouped(count)) \(what), more than the layer budget of "
      + "\(NumberFormatting.grouped(limit)) (\(layersVariable) raises it)"
  }

  /// The most bytes of names an importer builds by prefixing one name with another: the nodes
  /// and values of an ONNX function's body inlined into each call (`call/inner`), the layers
  /// of a Keras model nested in another (`outer/inner`). Such names grow with each level of
  /// nesting and are made again for each call, so a file of a few kilobytes could ask for
  /// gigabytes before the layer budget is reached. 64 MiB: 100,000 nodes with names of 300
  /// characters take 30 MB.
  static let builtNameBytes = 64 << 20

  /// The refusal of an expansion whose names pass ``builtNameBytes``.
  static func overBuiltNameBytes(_ what: String) -> String {
    "\(what) gives names of more than \(NumberFormatting.grouped(builtNameBytes)) bytes in all"
  }

  /// The most bytes read from standard input (`-`) or another stream: 1 GiB, so that the whole
  /// run stays within 2 GB of memory with the data held once (a file redirected to standard
  /// input is mapped, not read, and has no cap).
  public static var standardInputBytes: Int {
    get throws(ConvScopeError) { try value(standardInputVariable, default: 1 << 30) }
  }
  /// The environment variable that raises ``standardInputBytes``.
  public static let standardInputVariable = "CONVSCOPE_MAX_STDIN_BYTES"

  /// The most bytes a `.keras` archive's `config.json` may declare or inflate to: 64 MiB.
  public static var archiveEntryBytes: Int {
    get throws(ConvScopeError) { try value(archiveEntryVariable, default: 64 << 20) }
  }
  /// The environment variable that raises ``archiveEntryBytes``.
  public static let archiveEntryVariable = "CONVSCOPE_MAX_ENTRY_BYTES"

  /// The most tensors, or metadata pairs, a weights file's header may list (GGUF tensor and
  /// metadata counts, safetensors entries): 1,000,000, checked before anything is kept.
  public static var headerEntries: Int {
    get throws(ConvScopeError) { try value(headerEntriesVariable, default: 1_000_000) }
  }
  /// The environment variable that raises ``headerEntries``.
  public static let headerEntriesVariable = "CONVSCOPE_MAX_HEADER_ENTRIES"

  /// The most bytes a safetensors file's JSON header may declare: 100,000,000, the limit of
  /// the `safetensors` package itself.
  public static var headerBytes: Int {
    get throws(ConvScopeError) { try value(headerBytesVariable, default: 100_000_000) }
  }
  /// The environment variable that raises ``headerBytes``.
  public static let headerBytesVariable = "CONVSCOPE_MAX_HEADER_BYTES"

  /// The variable `name` as a positive whole number (`_` separators allowed), or `fallback` when unset.
  static func value(_ name: String, default fallback: Int) throws(ConvScopeError) -> Int {
    // getenv, not ProcessInfo's environment: that builds a dictionary of every variable.
    guard let variable = getenv(name), case let text = String(cString: variable), !text.isEmpty else {
      return fallback
    }
    guard let value = Int(text.filter { $0 != "_" }), value > 0 else {
      throw ConvScopeError(message: "\(name) is '\(text)'; expected a positive whole number")
    }
    return value
  }
}
