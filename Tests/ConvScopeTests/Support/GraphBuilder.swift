import ConvScope

/// Builds small graphs in tests: each call appends a node reading the named tensors
/// (the previous node's output by default) and returns its output's name.
struct GraphBuilder {
  private(set) var graph: Graph
  private var last: String
  private var counter = 0

  init(input: Shape, name: String = "x") {
    graph = Graph(name: "test", inputs: [TensorInfo(name: name, shape: input)], outputs: [], nodes: [])
    last = name
  }

  /// A node of `op` on `inputs` (default: the last output) plus constant `weights` dims.
  @discardableResult
  mutating func add(
    _ op: String, _ name: String? = nil, inputs: [String]? = nil, weights: [[Int]] = [],
    attributes: [String: AttributeValue] = [:]
  ) -> String {
    counter += 1
    let nodeName = name ?? "\(op.lowercased())\(counter)"
    var names = inputs ?? [last]
    for (i, dims) in weights.enumerated() {
      let weight = "\(nodeName).w\(i)"
      graph.initializers[weight] = ConstantTensor(dataType: .float32, dims: dims)
      names.append(weight)
    }
    graph.nodes.append(Node(name: nodeName, opType: op, inputs: names, outputs: [nodeName], attributes: attributes))
    last = nodeName
    return nodeName
  }

  /// A Conv with `filters` output channels reading `channels`, square kernel, stride and padding.
  @discardableResult
  mutating func conv(
    _ name: String? = nil, input: String? = nil, channels: Int, filters: Int, kernel: Int,
    stride: Int = 1, pad: Int = 0
  ) -> String {
    add(
      "Conv", name, inputs: input.map { [$0] }, weights: [[filters, channels, kernel, kernel], [filters]],
      attributes: ["strides": .ints([stride, stride]), "pads": .ints([pad, pad, pad, pad])])
  }

  /// Marks `names` (default: the last output) as graph outputs.
  mutating func output(_ names: [String]? = nil) {
    graph.outputs = (names ?? [last]).map { TensorInfo(name: $0, shape: []) }
  }
}
