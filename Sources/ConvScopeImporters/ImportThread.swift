#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A detached thread for an import (``ModelLoader/start(path:streaming:)``), started with
/// `pthread_create` so that a refusal is seen: Foundation's `Thread.start()` ignores it on
/// Linux, and the analysis would then wait for a stream nobody fills.
enum ImportThread {
  /// The thread's stack: the main thread's usual 8 MiB, which the nesting caps
  /// (``ResourceLimits``) are sized for.
  static let stackBytes = 8 << 20

  /// Runs `work` on a new thread; false, with `work` not run, when the system gives none.
  static func start(_ work: @escaping @Sendable () -> Void) -> Bool {
    var attributes = pthread_attr_t()
    guard pthread_attr_init(&attributes) == 0 else { return false }
    defer { pthread_attr_destroy(&attributes) }
    guard pthread_attr_setstacksize(&attributes, stackBytes) == 0,
      pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) == 0
    else { return false }
    let context = Unmanaged.passRetained(Work(work)).toOpaque()
    #if canImport(Darwin)
      var thread: pthread_t?
    #else
      var thread = pthread_t()
    #endif
    guard pthread_create(&thread, &attributes, run, context) == 0 else {
      Unmanaged<Work>.fromOpaque(context).release()
      return false
    }
    return true
  }

  /// The work a thread runs, boxed to cross `pthread_create`'s context pointer.
  private final class Work: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }

  #if canImport(Darwin)
    private static let run: @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? = { context in
      Unmanaged<Work>.fromOpaque(context).takeRetainedValue().body()
      return nil
    }
  #else
    private static let run: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { context in
      guard let context else { return nil }
      Unmanaged<Work>.fromOpaque(context).takeRetainedValue().body()
      return nil
    }
  #endif
}
