import Dispatch

/// Frees a large value off the calling thread. Freeing the layer table of a 100,000-layer model
/// cell by cell took the thread that wrote it 57 ms (3% of the run) just before the process
/// ended; handed to a utility-priority queue, the last reference goes there and the caller
/// carries on. The memory is freed later, so a value the caller's next steps could reuse the
/// memory of is better freed where it is.
package enum BackgroundRelease {
  /// Values with fewer elements than this are freed where they are: a hand-over costs more.
  package static let minimumCount = 4_096

  /// Takes `value`, the caller's last reference to it, and drops it on another thread when
  /// `count` (its rows, nodes or cells) is at least ``minimumCount``, here otherwise.
  package static func release<T: Sendable>(_ value: consuming T, count: Int) {
    guard count >= minimumCount else { return }
    let box = Box(value)
    DispatchQueue.global(qos: .utility).async { box.drop() }
  }

  /// The value, dropped by ``drop()`` on the queue's thread.
  private final class Box<T: Sendable>: @unchecked Sendable {
    private var value: T?
    init(_ value: consuming T) { self.value = value }
    /// Runs once, on the queue, after the caller let go of the box.
    func drop() { value = nil }
  }
}
