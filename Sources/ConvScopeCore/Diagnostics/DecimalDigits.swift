/// Decimal digits written straight into a byte buffer, for text built a byte at a time
/// (``Shape/description``, ``NumberFormatting``) without a `String` made for each number.
package enum DecimalDigits {
  /// The most bytes ``write(_:into:at:)`` writes: a sign and 19 digits.
  package static let maxCount = 20

  /// Writes `value` (after a `-` when negative) at `start`, and returns the index after it.
  package static func write(_ value: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
    var magnitude = value.magnitude
    var digits = 1
    var rest = magnitude / 10
    while rest != 0 {
      digits += 1
      rest /= 10
    }
    var end = start
    if value < 0 {
      buffer[end] = UInt8(ascii: "-")
      end += 1
    }
    end += digits
    for index in stride(from: end - 1, through: end - digits, by: -1) {
      buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
      magnitude /= 10
    }
    return end
  }

  /// The text `build` writes into a buffer of `capacity` bytes (it returns the count written),
  /// as a string: a short one (15 bytes or fewer) needs no allocation at all.
  package static func text(capacity: Int, _ build: (UnsafeMutableBufferPointer<UInt8>) -> Int) -> String {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
      let count = build(buffer)
      return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
    }
  }

  /// `values` in decimal digits with `separator` between them: `[3, 3]` and `x` give `3x3`.
  package static func joined(_ values: [Int], separator: StaticString) -> String {
    text(capacity: values.count * (maxCount + separator.utf8CodeUnitCount)) { buffer in
      var count = 0
      for (index, value) in values.enumerated() {
        if index > 0 { count = write(separator, into: buffer, at: count) }
        count = write(value, into: buffer, at: count)
      }
      return count
    }
  }

  /// Writes `literal` at `start`, and returns the index after it.
  package static func write(_ literal: StaticString, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int)
    -> Int
  {
    let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    _ = UnsafeMutableBufferPointer(rebasing: buffer[start..<start + bytes.count]).initialize(from: bytes)
    return start + bytes.count
  }
}
