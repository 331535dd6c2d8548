import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Builds the rows of a large list on several threads at once: a 100,000-layer model's nodes
/// (decoded from their bytes) and its table and JSON (laid out from immutable report data) are
/// each that many independent pieces of work.
///
/// Small lists stay on the calling thread: below ``minimumPerWorker`` rows a thread (and the
/// malloc arena it brings) costs more than it saves, so a model of ordinary size never starts one.
package enum ParallelRows {
  /// The fewest rows worth a thread of their own.
  package static let minimumPerWorker = 2_048

  /// How many rows each thread lays out at a time: their text stays small enough to be reused
  /// from the heap, round after round, instead of mapped afresh.
  package static let rowsPerRun = 256

  /// How many threads to split `count` rows over: at most one per online processor, at most
  /// eight, and one per ``minimumPerWorker`` rows.
  package static func workers(for count: Int) -> Int {
    max(1, min(processors, 8, count / minimumPerWorker))
  }

  /// The online processors, asked once: `sysconf` reads a `/sys` file on every call, and a run
  /// asks for every list it builds (eight times for a small model's table).
  private static let processors = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))

  /// `[element(0), ..., element(count - 1)]`, each element built in place: on `workers` threads,
  /// each taking one consecutive run of indices, or on the calling thread when `workers` is 1.
  /// `element` must be safe to call from several threads at once (it reads shared data only).
  package static func array<T>(count: Int, workers: Int, _ element: (Int) -> T) -> [T] {
    guard workers > 1, count > 1 else { return (0..<count).map(element) }
    return withoutActuallyEscaping(element) { element in
      [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        let shared = Shared(base: buffer.baseAddress!, element: element)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
          for index in run(worker, of: workers, in: count) {
            (shared.base + index).initialize(to: shared.element(index))
          }
        }
        initialized = count
      }
    }
  }

  /// What the workers of ``array(count:workers:_:)`` share: the array's storage, each element of
  /// which one worker alone initialises, and the builder, which its caller promises is safe to
  /// call from several threads. Neither outlives the call.
  private struct Shared<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    let element: (Int) -> T
  }

  /// Works through `0..<count` a round at a time: in each round `workers` threads each take
  /// ``rowsPerRun`` consecutive indices and `lay` makes one result of them (told its worker and
  /// its indices); then `consume` takes the round's results in order, on the calling thread.
  package static func rounds<T, E: Error>(
    count: Int, workers: Int, lay: (_ worker: Int, _ indices: Range<Int>) -> T, consume: (T) throws(E) -> Void
  ) throws(E) {
    let round = workers * rowsPerRun
    for start in stride(from: 0, to: count, by: round) {
      let size = min(round, count - start)
      let results = array(count: workers, workers: workers) { worker in
        let indices = run(worker, of: workers, in: size)
        return lay(worker, (start + indices.lowerBound)..<(start + indices.upperBound))
      }
      for result in results { try consume(result) }
    }
  }

  /// The indices worker `worker` of `workers` takes out of `0..<count`: consecutive runs that
  /// differ in length by at most one.
  package static func run(_ worker: Int, of workers: Int, in count: Int) -> Range<Int> {
    count * worker / workers..<count * (worker + 1) / workers
  }
}
