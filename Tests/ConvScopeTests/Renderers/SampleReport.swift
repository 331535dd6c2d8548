import ConvScope

/// The fixed report every renderer test writes: a small HWC network in the
/// seed article's style, built in code and analysed for real.
///
/// - `Conv1`: 57x57x1 → 57x57x16, kernel 1x5, pads 0+0 (H) and 2+2 (W), with bias:
///   params `1*5*1*16+16 = 96`, MACs `57*57*16 * 1*5*1 = 259,920`, bias adds `57*57*16`.
/// - `Conv2`: 16 → 16 channels, kernel 5x1, pads 2+2 (H): params `5*1*16*16+16 = 1,296`.
/// - `Conv3`: 16 → 32 channels, kernel 2x2, stride 2, no padding:
///   `(57-2+0+0)/2+1 = 28.5`, floored to 28 (a warning and a `*` mark).
/// - `Vendor`: an op with no rule (`com.example:Vendor`): listed, not counted.
/// - `ShapeConv`: a convolution of two constants, folded away and hidden.
enum SampleReport {
  static let graph = Graph(
    name: "tiny-convnet",
    inputs: [TensorInfo(name: "image", shape: ["N", 1, 57, 57])],
    outputs: [TensorInfo(name: "vendor_out", shape: [])],
    nodes: [
      Node(
        name: "Conv1", opType: "Conv", inputs: ["image", "w1", "b1"], outputs: ["c1"],
        attributes: ["pads": .ints([0, 2, 0, 2])], note: "a 1x5 kernel with 'same' padding along W"),
      Node(
        name: "Conv2", opType: "Conv", inputs: ["c1", "w2", "b2"], outputs: ["c2"],
        attributes: ["pads": .ints([2, 0, 2, 0])]),
      Node(
        name: "Conv3", opType: "Conv", inputs: ["c2", "w3", "b3"], outputs: ["c3"],
        attributes: ["strides": .ints([2, 2])]),
      Node(name: "Vendor", opType: "Vendor", domain: "com.example", inputs: ["c3"], outputs: ["vendor_out"]),
      Node(name: "ShapeConv", opType: "Conv", inputs: ["const_in", "const_w"], outputs: ["const_out"]),
    ],
    initializers: [
      "w1": ConstantTensor(dataType: .float32, dims: [16, 1, 1, 5]),
      "b1": ConstantTensor(dataType: .float32, dims: [16]),
      "w2": ConstantTensor(dataType: .float32, dims: [16, 16, 5, 1]),
      "b2": ConstantTensor(dataType: .float32, dims: [16]),
      "w3": ConstantTensor(dataType: .float32, dims: [32, 16, 2, 2]),
      "b3": ConstantTensor(dataType: .float32, dims: [32]),
      "const_in": ConstantTensor(dataType: .float32, dims: [1, 1, 4, 4]),
      "const_w": ConstantTensor(dataType: .float32, dims: [1, 1, 3, 3]),
    ],
    layout: .hwc)

  /// The report; `charts` asks for what the HTML page draws (a roofline on the default device).
  static func report(charts: Bool = false) throws -> Report {
    var request = AnalysisRequest(model: .graph(graph, name: "tiny-convnet.yaml", format: .spec))
    request.assumesDeviceForCharts = charts
    return try Pipeline.report(for: request)
  }
}
