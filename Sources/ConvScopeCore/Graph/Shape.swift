/// The dimensions of a tensor, outermost first (ONNX order: `N x C x H x W` for images).
///
/// ```swift
/// let image: Shape = [1, 3, 224, 224]
/// image.rank            // 4
/// image.elementCount    // 150_528
/// ```
public struct Shape: Hashable, Sendable, Codable {
  /// The dimensions, outermost first.
  public var dims: [Dim]

  /// A shape from its dimensions.
  public init(_ dims: [Dim]) { self.dims = dims }

  /// A shape whose dimensions are all known.
  public init(_ sizes: [Int]) { self.dims = sizes.map(Dim.fixed) }

  /// The number of dimensions.
  public var rank: Int { dims.count }

  /// The sizes, when every dimension is known.
  public var sizes: [Int]? {
    var out: [Int] = []
    out.reserveCapacity(dims.count)
    for d in dims {
      guard let v = d.value else { return nil }
      out.append(v)
    }
    return out
  }

  /// The product of ``sizes``, overflow-checked in the same order, without building the array;
  /// `nil` when a dimension is not a number.
  public func checkedElementCount() throws(OpError) -> Int? {
    guard dims.allSatisfy({ $0.value != nil }) else { return nil }
    var product = 1
    for dim in dims { product = try Checked.multiply(product, dim.value ?? 0) }
    return product
  }

  /// The number of elements, when every dimension is known and the product fits in `Int`.
  public var elementCount: Int? {
    guard let sizes else { return nil }
    return try? Checked.product(sizes)
  }

  /// The dimension at `axis`; negative axes count from the end, as in ONNX.
  public subscript(axis: Int) -> Dim {
    get { dims[axis < 0 ? axis + rank : axis] }
    set { dims[axis < 0 ? axis + rank : axis] = newValue }
  }

  public init(from decoder: Decoder) throws {
    dims = try decoder.singleValueContainer().decode([Dim].self)
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(dims)
  }
}

extension Shape: ExpressibleByArrayLiteral {
  public init(arrayLiteral elements: Dim...) { self.dims = elements }
}

extension Shape: CustomStringConvertible {
  /// `1x3x224x224`; a scalar prints as `scalar`.
  public var description: String {
    guard let first = dims.first else { return "scalar" }
    if dims.allSatisfy({ $0.value != nil }) {
      // Every dim a number: the digits written once, with no string made for each.
      return DecimalDigits.text(capacity: dims.count * (DecimalDigits.maxCount + 1)) { out in
        for (axis, dim) in dims.enumerated() {
          if axis > 0 { out.append(byte: UInt8(ascii: "x")) }
          out.append(dim.value ?? 0)
        }
      }
    }
    // Appended in place: no array of dim strings to join.
    var text = first.description
    for dim in dims.dropFirst() {
      text += "x"
      text += dim.description
    }
    return text
  }
}
