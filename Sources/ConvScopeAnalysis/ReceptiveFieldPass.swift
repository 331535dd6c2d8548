import ConvScopeCore
import ConvScopeReport

/// Receptive fields through the graph, per spatial axis, following Araujo et al. (Distill, 2019):
///
///     window layer (kernel k, dilation d, stride s, begin padding p), k' = (k-1)*d+1:
///       size'  = size + (k' - 1) * jump
///       jump'  = jump * s
///       start' = start + ((k' - 1) / 2 - p) * jump
///     transposed conv (stride s): jump' = jump / s, size' = size + (ceil(k'/s) - 1) * jump  (flagged)
///     global pooling: the whole input
///     ops that keep the spatial dims (activations, norms, Add, channel Concat): the field passes
///     through; where several inputs meet, the largest size per axis, flagged when jumps or
///     starts differ.
///
/// Ops that reshape or mix spatial positions otherwise (Flatten, Gemm, Reshape, Transpose,
/// attention and recurrent layers) end it.
/// Example: torchvision's AlexNet features end at 195 (conv 11/4, pool 3/2, conv 5, pool 3/2,
/// three conv 3, pool 3/2).
enum ReceptiveFieldPass {
  /// Ops that keep the spatial shape but move data across positions or axes in ways a
  /// receptive field does not describe.
  static func isOpaque(_ family: OpFamily) -> Bool {
    switch family {
    case .softmax, .resize, .attention, .recurrent, .sampling, .spectral, .dataMovement(.reverse),
      .dataMovement(.transpose), .dataMovement(.reshape), .dataMovement(.flatten), .dataMovement(.depthToSpace),
      .dataMovement(.spaceToDepth), .dataMovement(.slice), .dataMovement(.gather), .dataMovement(.pad),
      .dataMovement(.tile), .dataMovement(.expand):
      true
    default: false
    }
  }

  /// Sets `receptiveField` on every row that has one (their tensors numbered by `tensors`);
  /// returns the first row whose field covers the whole input on every axis.
  static func annotate(_ rows: inout [LayerRow], tensors: RowTensors, inputs: [TensorSummary]) -> String? {
    var fields = [ReceptiveField?](repeating: nil, count: tensors.count)
    var extents = [[Int]?](repeating: nil, count: tensors.count)
    for (input, number) in zip(inputs, tensors.graphInputs) where input.shape.rank >= 3 {
      guard let sizes = input.shape.sizes else { continue }
      let axes = sizes.count - 2
      fields[number] = ReceptiveField(
        size: Array(repeating: 1, count: axes), jump: Array(repeating: 1, count: axes),
        start: Array(repeating: 0, count: axes), throughUpsampling: false, misaligned: false)
      extents[number] = Array(sizes[2...])
    }
    var coveringLayer: String?
    for index in rows.indices where !rows[index].folded && rows[index].supported {
      let reads = tensors.reads(of: index)
      guard let firstNumber = reads.first(where: { $0 >= 0 && fields[$0] != nil }), let first = fields[firstNumber],
        let output = rows[index].outputs.first
      else { continue }
      var field: ReceptiveField?
      let family = rows[index].facts.family
      if let window = rows[index].window, window.kernel.count == first.size.count {
        field = window.transposed ? throughTransposed(first, window) : through(first, window)
      } else if family.isGlobalPooling, let extent = extents[firstNumber] {
        field = ReceptiveField(
          size: extent, jump: first.jump, start: extent.map { Double($0 - 1) / 2 },
          throughUpsampling: first.throughUpsampling, misaligned: first.misaligned)
      } else if !isOpaque(family), output.shape.rank == first.size.count + 2,
        sameSpatialSizes(output.shape, rows[index].inputShapes.first?.shape)
      {
        field = merge(reads.lazy.compactMap { $0 >= 0 ? fields[$0] : nil })
      }
      guard let field else { continue }
      rows[index].receptiveField = field
      let extent = extents[firstNumber] ?? []
      for number in tensors.writes(of: index) {
        fields[number] = field
        extents[number] = extent
      }
      if coveringLayer == nil, !field.throughUpsampling, extent.count == field.size.count,
        zip(field.size, extent).allSatisfy({ $0 >= $1 })
      {
        coveringLayer = rows[index].name
      }
    }
    return coveringLayer
  }

  static func through(_ field: ReceptiveField, _ window: Window) -> ReceptiveField {
    var next = field
    for axis in field.size.indices {
      let extent = window.effectiveKernel(axis)
      next.size[axis] = grown(field.size[axis], by: Double(extent - 1) * field.jump[axis])
      next.start[axis] =
        field.start[axis] + (Double(extent - 1) / 2 - Double(window.padsBegin[axis])) * field.jump[axis]
      next.jump[axis] = field.jump[axis] * Double(window.strides[axis])
    }
    return next
  }

  /// `size + ceil(span)`, saturating at `Int.max`: absurd strides make a field astronomically
  /// wide (even an infinite jump), never a trap. A NaN span is `0 * inf`: a 1-wide kernel.
  static func grown(_ size: Int, by span: Double) -> Int {
    if span.isNaN || span <= 0 { return size }
    let step = span.rounded(.up)
    guard step < 9.0e18 else { return Int.max }
    let (sum, overflow) = size.addingReportingOverflow(Int(step))
    return overflow ? Int.max : sum
  }

  static func throughTransposed(_ field: ReceptiveField, _ window: Window) -> ReceptiveField {
    var next = field
    next.throughUpsampling = true
    for axis in field.size.indices {
      let stride = window.strides[axis]
      let taps = (window.effectiveKernel(axis) + stride - 1) / stride
      next.size[axis] = grown(field.size[axis], by: Double(taps - 1) * field.jump[axis])
      next.jump[axis] = field.jump[axis] / Double(stride)
    }
    return next
  }

  /// Whether both shapes are all numbers and agree past their first two axes (their spatial sizes).
  private static func sameSpatialSizes(_ shape: Shape, _ other: Shape?) -> Bool {
    guard let other, shape.dims.allSatisfy({ $0.value != nil }), other.dims.allSatisfy({ $0.value != nil }) else {
      return false
    }
    return shape.dims.dropFirst(2).elementsEqual(other.dims.dropFirst(2))
  }

  static func merge(_ fields: some Sequence<ReceptiveField>) -> ReceptiveField? {
    var rest = fields.makeIterator()
    guard var merged = rest.next() else { return nil }
    while let other = rest.next() {
      guard other.size.count == merged.size.count else { continue }
      if other.jump != merged.jump || other.start != merged.start { merged.misaligned = true }
      merged.size = zip(merged.size, other.size).map { max($0, $1) }
      merged.throughUpsampling = merged.throughUpsampling || other.throughUpsampling
      merged.misaligned = merged.misaligned || other.misaligned
    }
    return merged
  }
}
