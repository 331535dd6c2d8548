/// Decimal digits written straight into a byte buffer, for text built a byte at a time
/// (``Shape/description``, ``NumberFormatting``) without a `String` made for each number.
package enum DecimalDigits {
  /// The most bytes ``DigitWriter/append(_:)-(Int)`` writes for a number: a sign and 19 digits.
  package static let maxCount = 20

  /// The text `build` writes into a buffer of `capacity` bytes, as a string: a short one (15
  /// bytes or fewer) needs no allocation at all. Writing past `capacity` stops the process (a
  /// precondition, in release builds too); nothing is ever written past the buffer.
  package static func text(capacity: Int, _ build: (inout DigitWriter) -> Void) -> String {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
      var writer = DigitWriter(buffer)
      build(&writer)
      return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<writer.count]), as: UTF8.self)
    }
  }

  /// `values` in decimal digits with `separator` between them: `[3, 3]` and `x` give `3x3`.
  package static func joined(_ values: [Int], separator: StaticString) -> String {
    text(capacity: values.count * (maxCount + separator.utf8CodeUnitCount)) { out in
      for (index, value) in values.enumerated() {
        if index > 0 { out.append(separator) }
        out.append(value)
      }
    }
  }
}

/// A byte buffer filled from the left with literals, bytes and numbers
/// (``DecimalDigits/text(capacity:_:)`` hands one out), each append checked against the
/// buffer's end.
package struct DigitWriter {
  private let buffer: UnsafeMutableBufferPointer<UInt8>
  /// The bytes written so far.
  package private(set) var count = 0

  init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

  /// Appends `value` in decimal digits, after a `-` when it is negative.
  package mutating func append(_ value: Int) {
    if value < 0 { append(byte: UInt8(ascii: "-")) }
    var digits = 1
    var rest = value.magnitude / 10
    while rest != 0 {
      digits += 1
      rest /= 10
    }
    append(value.magnitude, digits: digits)
  }

  /// Appends the last `digits` decimal digits of `value`, leading zeros kept: `5` in 3 digits
  /// is `005`.
  package mutating func append(_ value: UInt, digits: Int) {
    precondition(digits >= 0 && digits <= buffer.count - count)
    var rest = value
    for index in stride(from: count + digits - 1, through: count, by: -1) {
      buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
      rest /= 10
    }
    count += digits
  }

  /// Appends `literal`'s bytes.
  package mutating func append(_ literal: StaticString) {
    append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
  }

  /// Appends `bytes`.
  package mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    precondition(bytes.count <= buffer.count - count)
    _ = UnsafeMutableBufferPointer(rebasing: buffer[count..<count + bytes.count]).initialize(from: bytes)
    count += bytes.count
  }

  /// Appends one byte.
  package mutating func append(byte: UInt8) {
    precondition(count < buffer.count)
    buffer[count] = byte
    count += 1
  }
}
