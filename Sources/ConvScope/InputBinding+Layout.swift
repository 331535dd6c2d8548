import ConvScopeCore

extension InputBinding {
  /// This shape in ONNX order, for an input declared `declared` in a model shown in `layout`.
  /// A shape one dim short of the declared rank is taken without its batch dim (in any
  /// layout; the declared batch dim is put back). A shape in a channels-last layout (NHWC,
  /// HWC) has its channels moved back to axis 1, unless it is visibly in ONNX order already:
  /// axis 1, not the last, holds the declared channel count (`1x3x160x160` for a model
  /// declared `Nx3x224x224` and shown NHWC). In CHW or HWC, a shape of the declared rank is
  /// taken as ONNX order.
  public func onnxShape(declared: Shape, layout: TensorLayout) -> Shape {
    var dims = shape.dims
    if dims.count + 1 == declared.rank, let batch = declared.dims.first {
      dims.insert(batch, at: 0)
    } else if !(layout.showsBatch && dims.count == declared.rank) || Self.isChannelsFirst(dims, declared: declared) {
      return shape
    }
    if layout.channelsLast && dims.count >= 3 {
      dims.insert(dims.removeLast(), at: 1)
    }
    return Shape(dims)
  }

  /// Whether `dims` has the declared channel count at axis 1 and another size last.
  private static func isChannelsFirst(_ dims: [Dim], declared: Shape) -> Bool {
    guard dims.count >= 3, declared.rank == dims.count, case .fixed(let channels) = declared.dims[1] else {
      return false
    }
    return dims[1] == .fixed(channels) && dims.last != .fixed(channels)
  }
}
