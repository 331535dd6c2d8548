import ConvScope
import Testing

@Suite struct RooflineTests {
  /// A device with round numbers: 1 TFLOP/s, 100 GB/s (ridge point 10 FLOP/byte).
  let device = DeviceProfile(
    name: "test", description: "round numbers", peakFlops: ["float32": 1e12], memoryBandwidth: 1e11, source: "test")

  @Test func bigConvolutionIsComputeBound() throws {
    var b = GraphBuilder(input: [1, 64, 56, 56])
    b.add("Conv", "conv", weights: [[64, 64, 3, 3]], attributes: ["pads": .ints([1, 1, 1, 1])])
    b.output()
    let roofline = try Roofline.analyze(try Analyzer.analyze(b.graph), on: device)
    let layer = try #require(roofline.layers.first)
    let flops = 2 * (56 * 56 * 64) * (3 * 3 * 64)  // no bias
    let bytes = (56 * 56 * 64 + 3 * 3 * 64 * 64 + 56 * 56 * 64) * 4  // read x and W, write y
    #expect(layer.flops == flops)
    #expect(layer.bytes == bytes)
    #expect(layer.bound == .compute)  // 231 MFLOP / 3.36 MB = 68.8 FLOP/B > 10
    #expect(abs(layer.timeLowerBoundSeconds - Double(flops) / 1e12) < 1e-15)
  }

  @Test func pointwiseConvolutionOnFewChannelsIsMemoryBound() throws {
    var b = GraphBuilder(input: [1, 4, 100, 100])
    b.add("Conv", "conv", weights: [[4, 4, 1, 1]])
    b.output()
    let roofline = try Roofline.analyze(try Analyzer.analyze(b.graph), on: device)
    let layer = try #require(roofline.layers.first)
    let flops = 2 * (100 * 100 * 4) * 4
    let bytes = (100 * 100 * 4 * 2 + 16) * 4
    #expect(layer.flops == flops)
    #expect(layer.bound == .memory)  // 320,000 FLOP / 320,064 B ≈ 1 FLOP/B < 10
    #expect(abs(layer.timeLowerBoundSeconds - Double(bytes) / 1e11) < 1e-15)
    #expect(abs(roofline.throughputBoundPerSecond - 1 / layer.timeLowerBoundSeconds) < 1e-6)
  }

  @Test func builtInProfilesHaveSourcesAndRates() {
    let names = DeviceProfile.builtIn.map(\.name)
    #expect(Set(names).count == names.count)
    for profile in DeviceProfile.builtIn {
      #expect(!profile.source.isEmpty)
      #expect((profile.peakFlops["float32"] ?? 0) > 0)
      #expect(profile.memoryBandwidth > 0)
    }
    #expect(DeviceProfile.builtIn(named: "H200")?.memoryBandwidth == 4.8e12)
  }
}

@Suite struct DeviceProfileYAMLTests {
  @Test func userProfileLoadsFromYAML() throws {
    let text = """
      name: my-npu
      description: An edge NPU
      peak_flops: {float32: 2.0e12, float16: 4.0e12}
      memory_bandwidth: 3.4e10
      source: vendor datasheet
      """
    let profile = try DeviceProfile.load(yaml: text, fileName: "npu.yaml")
    #expect(profile.peak(for: .float16) == 4e12)
    #expect(profile.peak(for: .bfloat16) == 2e12)  // falls back to float32
  }

  @Test func ratesOutsideAnyDevicesRangeAreRefused() throws {
    // Infinite or absurd rates trapped when a bound was converted to a whole number, and a
    // zero or tiny one gave bounds of 1e307 seconds (found by a hostile-input audit).
    let cases = [
      ("peak_flops: {float32: .inf}\nmemory_bandwidth: 1e12", "peak_flops.float32"),
      ("peak_flops: {float32: 1e12}\nmemory_bandwidth: 1e28", "memory_bandwidth"),
      ("peak_flops: {float32: 1e-300}\nmemory_bandwidth: 1e12", "peak_flops.float32"),
      (
        "peak_flops: {float32: 1e12}\nmemory_bandwidth: 1e12\ncaches: [{name: L2, bytes: 1024, bandwidth: 0}]",
        "caches[0].bandwidth"
      ),
    ]
    for (rates, field) in cases {
      let text = "name: x\ndescription: y\nsource: z\n" + rates
      let error = try #require(throws: ConvScopeError.self) { try DeviceProfile.load(yaml: text, fileName: "d.yaml") }
      #expect(error.field == field, "\(rates)")
      #expect(error.message == "a rate must be a number from 1 to 1e21 per second (no device is faster)")
    }
    // The fastest real rates load.
    let fast = "name: x\ndescription: y\nsource: z\npeak_flops: {float8: 4e15}\nmemory_bandwidth: 4.8e12"
    #expect(try DeviceProfile.load(yaml: fast, fileName: "d.yaml").memoryBandwidth == 4.8e12)
  }

  @Test func missingBandwidthNamesTheField() {
    #expect {
      try DeviceProfile.load(yaml: "name: x\ndescription: y\npeak_flops: {float32: 1}\nsource: z", fileName: "d.yaml")
    } throws: { error in
      (error as? ConvScopeError)?.description == "d.yaml: field 'memory_bandwidth': is required"
    }
  }

  /// One dtype per report: `--dtype int8` bounds compute at the device's int8 peak (h100-sxm:
  /// 1,979 T dense), not at float32's 67 T.
  @Test func theRequestsElementTypeChoosesThePeak() throws {
    var request = AnalysisRequest(model: .file(Fixtures.example("seed-resnet.yaml").path))
    request.dataType = .int8
    request.device = .named("h100-sxm")
    let roofline = try #require(try Pipeline.report(for: request).roofline)
    #expect(roofline.dtype == .int8)
    #expect(roofline.peakFlopsPerSecond == 1979e12)
  }
}
