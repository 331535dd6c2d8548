import ConvScopeCore
/// Asks the op rules for the shapes of tensors an importer has emitted so far,
/// when the format does not declare what a weight's dims depend on (a Caffe
/// convolution's input channels, an old Keras file without `build_config`).
///
/// The importer computes no shapes itself: the probe runs the same rules the
/// analyzer runs, node by node as they are committed, with every symbolic dim
/// taken as 1 (only channel and feature sizes, which never depend on the batch,
/// are read from it). A tensor after an op without a rule has no known shape.
struct ShapeProbe {
  private let registry: OpRegistry
  private var tensors: [String: TensorInfo] = [:]
  private var values: [String: ConstantTensor] = [:]
  /// Why a tensor's shape is unknown: the node that could not be probed.
  private var blockers: [String: String] = [:]

  init(registry: OpRegistry = .standard) { self.registry = registry }

  /// Declares a graph input (symbolic dims become 1).
  mutating func addInput(_ info: TensorInfo) {
    var bound = info
    bound.shape = Shape(info.shape.dims.map { $0.value ?? 1 })
    tensors[info.name] = bound
  }

  /// Runs the rules of `nodes` (reading `initializers` as constants).
  mutating func add(_ nodes: some Sequence<Node>, initializers: [String: ConstantTensor]) {
    for node in nodes {
      var infos: [TensorInfo?] = []
      var constants: [ConstantTensor?] = []
      var blocker: String?
      for input in node.inputs {
        if input.isEmpty {
          infos.append(nil)
          constants.append(nil)
        } else if let constant = initializers[input] {
          infos.append(TensorInfo(name: input, dataType: constant.dataType, shape: constant.shape))
          constants.append(constant.values == nil ? nil : constant)
        } else if let info = tensors[input] {
          infos.append(info)
          constants.append(values[input])
        } else {
          blocker = blockers[input] ?? "'\(input)' is not known"
          break
        }
      }
      if blocker == nil {
        if let rule = registry.rule(domain: node.domain, opType: node.opType) {
          let context = NodeContext(node: node, inputs: infos, constants: constants)
          do {
            let outcome = try rule.infer(context)
            for (output, result) in zip(node.outputs, outcome.outputs) where !output.isEmpty {
              tensors[output] = TensorInfo(name: output, dataType: result.dataType, shape: result.shape)
              if let constant = result.constant { values[output] = constant }
            }
            continue
          } catch {
            blocker = "'\(node.name)' (\(node.opType)): \(error.message)"
          }
        } else {
          blocker = "'\(node.name)' is a \(node.opType), which has no shape rule"
        }
      }
      for output in node.outputs { blockers[output] = blocker }
    }
  }

  /// The probed sizes of `tensor` (symbolic dims counted as 1).
  func sizes(of tensor: String) -> [Int]? { tensors[tensor]?.shape.sizes }

  /// Why `tensor`'s shape is unknown, for an error message.
  func reason(for tensor: String) -> String {
    blockers[tensor].map { "its shape is unknown after \($0)" } ?? "its shape is unknown"
  }
}
