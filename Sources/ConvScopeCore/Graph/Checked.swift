/// Overflow-checked integer arithmetic for counts: every product of dims and
/// every sum of costs goes through here, so an absurd model is an error, never a trap.
public enum Checked {
  /// `a * b`, or an error when it overflows `Int`.
  @inlinable
  public static func multiply(_ a: Int, _ b: Int) throws(OpError) -> Int {
    let (r, o) = a.multipliedReportingOverflow(by: b)
    if o { throw overflow }
    return r
  }

  /// `a + b`, or an error when it overflows `Int`.
  @inlinable
  public static func add(_ a: Int, _ b: Int) throws(OpError) -> Int {
    let (r, o) = a.addingReportingOverflow(b)
    if o { throw overflow }
    return r
  }

  /// The product of `values` (1 for none).
  @inlinable
  public static func product<S: Sequence<Int>>(_ values: S) throws(OpError) -> Int {
    var r = 1
    for v in values { r = try multiply(r, v) }
    return r
  }

  /// `initial` times the product of `values`, multiplied left to right: the result (and the
  /// overflow) of `product([initial] + values)` without building that array.
  @inlinable
  public static func product<S: Sequence<Int>>(_ values: S, times initial: Int) throws(OpError) -> Int {
    var r = initial
    for v in values { r = try multiply(r, v) }
    return r
  }

  /// The sum of `values` (0 for none).
  @inlinable
  public static func sum<S: Sequence<Int>>(_ values: S) throws(OpError) -> Int {
    var r = 0
    for v in values { r = try add(r, v) }
    return r
  }

  /// The error for a count past `Int.max`.
  public static let overflow = OpError("count overflows a 64-bit integer (the model is absurdly large)")
}
