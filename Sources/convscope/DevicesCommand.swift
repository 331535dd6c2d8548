import ArgumentParser
import ConvScope

/// `convscope devices`: the built-in device profiles for `--device`.
struct DevicesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "devices",
    abstract: "List the built-in device profiles for --device (peak rates, bandwidth, sources).",
    discussion: """
      Rates are dense peaks (a multiply-accumulate is 2 FLOPs); NVIDIA's tensor-core rates \
      "with sparsity" are halved. A profile of your own is a YAML file given to --device; \
      docs/devices.md shows its fields.
      """)

  @Option(
    name: [.customShort("f"), .long],
    help: "table (fitted to the terminal's width) or json (every field of each profile, as a YAML profile spells it).")
  var format: ListFormat = .table

  func run() throws {
    try ErrorReporting.run { () throws(ConvScopeError) in
      try Terminal.writeOutput(
        format == .json
          ? DeviceListRenderer.json(DeviceProfile.builtIn)
          : DeviceListRenderer.render(DeviceProfile.builtIn, options: RenderOptions(width: Terminal.width)))
    }
  }
}
