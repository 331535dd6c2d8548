import ArgumentParser
import ConvScope

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `convscope calibrate`: measures this machine and writes a device profile for `--device`.
struct CalibrateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "calibrate",
    abstract: "Measure this machine and write a device profile for --device (theoretical peaks and measured rates).",
    discussion: """
      Reads the processor and its caches from /proc/cpuinfo and /sys (Linux), derives the \
      theoretical float32 peak and load/store bandwidth of its microarchitecture (the roofline's \
      bound), and times a cache-blocked GEMM at layer-typical shapes, an FMA kernel (checked \
      against the peak) and a streaming copy from inside L1 to beyond the last-level cache on one \
      thread per core (the `measured` rates: an estimate, never a bound). Progress \
      goes to standard error; docs/devices.md explains every figure.

      Examples:
        convscope calibrate -o this-machine.yaml
        convscope model.onnx --device this-machine.yaml
      """)

  @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the profile here.", valueName: "file"))
  var output: String?

  @Option(help: ArgumentHelp("The profile's name.", valueName: "name"))
  var name = "calibrated"

  @Option(help: ArgumentHelp("CPU seconds a thread spends measuring (0.5 to 25).", valueName: "n"))
  var seconds = 5.0

  func validate() throws {
    guard (0.5...25).contains(seconds) else { throw ValidationError("--seconds must be between 0.5 and 25") }
  }

  func run() throws {
    try ErrorReporting.run { () throws(ConvScopeError) in
      let processor = try ProcessorInfo.read()
      Terminal.writeError(
        "calibrate: \(processor.modelName), \(processor.cores) cores, "
          + processor.caches.map { "L\($0.level) \($0.bytes >> 10) KiB" }.joined(separator: ", ") + "\n")
      let measurement = try Calibration.measure(
        levels: Calibration.cacheLevels(processor), threads: processor.cores, seconds: seconds
      ) { Terminal.writeError("calibrate: \($0)\n") }
      let profile = try Calibration.profile(
        name: name, processor: processor, measurement: measurement, date: Date.now.ISO8601Format())
      let text = try profile.yaml()
      if let output {
        try Terminal.writeFile(to: output) { (write) throws(ConvScopeError) in try write(text) }
        Terminal.writeError("calibrate: wrote \(output)\n")
      } else {
        try Terminal.writeOutput(text)
      }
    }
  }
}
