import ConvScopeCore

/// A value a report carries for the library's own passes but does not publish: it takes
/// no part in the owner's equality, hash or JSON, so a report decoded from its JSON equals
/// the report that wrote it. ``LayerRow/facts`` is one.
@propertyWrapper
public struct Unpublished<Value: Sendable>: Sendable, Hashable {
  public var wrappedValue: Value

  public init(wrappedValue: Value) {
    self.wrappedValue = wrappedValue
  }

  /// Always equal: the value is not part of what its owner publishes.
  public static func == (lhs: Self, rhs: Self) -> Bool { true }

  /// Hashes nothing, consistently with ``==(_:_:)``.
  public func hash(into hasher: inout Hasher) {}
}
