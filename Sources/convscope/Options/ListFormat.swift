import ArgumentParser

/// The formats of the `devices` and `ops` lists: a table fitted to the terminal, or JSON.
enum ListFormat: String, CaseIterable, ExpressibleByArgument {
  case table, json

  /// `--format` in any case.
  init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
