/// The order in which a Functional model's calls are emitted: passes over the calls still
/// pending, in file order, each emitting every call whose inputs are produced by then, until a
/// pass emits nothing. Replayed without rescanning: a call that is not ready waits on one input
/// it lacks and is looked at again only once that input is produced, in the same pass if it
/// comes later in the file than the call that produced it, else in the next. So a config that
/// lists its layers in reverse costs n log n steps, not n² (a pass per layer).
struct KerasCallPasses {
  private var current: [Int]
  private var next: [Int] = []
  private var emittedInPass = false
  private var emitted: [Bool]
  private var firstNotEmitted = 0

  /// Every call of `count` is looked at in the first pass.
  init(count: Int) {
    current = Array(0..<count)  // ascending: already a heap, smallest on top
    emitted = Array(repeating: false, count: count)
  }

  /// The next call to look at, or `nil` when a pass has emitted nothing (all are emitted, or
  /// ``stuck`` is not).
  mutating func nextCall() -> Int? {
    if current.isEmpty {
      guard emittedInPass else { return nil }
      (current, next, emittedInPass) = (next, [], false)
    }
    return Self.pop(&current)
  }

  /// `position` was emitted; `waiters` (calls waiting on what it produced) are looked at again.
  mutating func emit(_ position: Int, waking waiters: [Int]) {
    emitted[position] = true
    emittedInPass = true
    for waiter in waiters { waiter > position ? Self.push(waiter, &current) : Self.push(waiter, &next) }
  }

  /// The first call in file order that was never emitted.
  mutating func stuck() -> Int? {
    while firstNotEmitted < emitted.count && emitted[firstNotEmitted] { firstNotEmitted += 1 }
    return firstNotEmitted < emitted.count ? firstNotEmitted : nil
  }

  private static func push(_ value: Int, _ heap: inout [Int]) {
    heap.append(value)
    var child = heap.count - 1
    while child > 0, heap[(child - 1) / 2] > heap[child] {
      heap.swapAt(child, (child - 1) / 2)
      child = (child - 1) / 2
    }
  }

  private static func pop(_ heap: inout [Int]) -> Int? {
    guard let top = heap.first else { return nil }
    heap.swapAt(0, heap.count - 1)
    heap.removeLast()
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < heap.count && heap[left] < heap[smallest] { smallest = left }
      if right < heap.count && heap[right] < heap[smallest] { smallest = right }
      if smallest == parent { return top }
      heap.swapAt(parent, smallest)
      parent = smallest
    }
  }
}
