/// How a model's author writes activation shapes. The graph itself is always in
/// ONNX order (`N x C x spatial...`); the layout only changes how shapes are shown.
public enum TensorLayout: String, Sendable, Hashable, Codable, CaseIterable {
  /// `N x C x H x W` (PyTorch, ONNX, Caffe).
  case nchw = "NCHW"
  /// `N x H x W x C` (TensorFlow, Keras).
  case nhwc = "NHWC"
  /// `C x H x W`, batch left out.
  case chw = "CHW"
  /// `H x W x C`, batch left out (the seed article's tables).
  case hwc = "HWC"

  /// Whether channels are written last.
  public var channelsLast: Bool { self == .nhwc || self == .hwc }
  /// Whether the batch dimension is written.
  public var showsBatch: Bool { self == .nchw || self == .nhwc }

  /// Parses `NCHW`, `nhwc`, `HWC`...; also the 1-D/3-D spellings (`NCW`, `NDHWC`, `WC`).
  public init?(userName: String) {
    let key = userName.uppercased()
    if let exact = TensorLayout(rawValue: key) {
      self = exact
      return
    }
    let hasBatch = key.hasPrefix("N")
    let body = hasBatch ? key.dropFirst() : key[...]
    guard body.count >= 2, body.allSatisfy({ "CDHW".contains($0) }) else { return nil }
    if body.first == "C" {
      self = hasBatch ? .nchw : .chw
    } else if body.last == "C" {
      self = hasBatch ? .nhwc : .hwc
    } else {
      return nil
    }
  }

  /// `shape` (ONNX order) as this layout writes it: channels moved last for
  /// rank >= 3, batch dropped when the layout omits it and it is 1 or symbolic.
  public func display(_ shape: Shape) -> Shape {
    var dims = shape.dims
    if channelsLast && dims.count >= 3 {
      let channels = dims.remove(at: 1)
      dims.append(channels)
    }
    let batchIsOne = dims.first.map { $0.value == nil || $0.value == 1 } ?? false
    if !showsBatch && dims.count >= 2 && batchIsOne {
      dims.removeFirst()
    }
    return Shape(dims)
  }
}
