import Dispatch
import Foundation
import Testing

@testable import ConvScopeCore

/// Large values handed to ``BackgroundRelease`` are freed on another thread; small ones where
/// they are.
@Suite struct BackgroundReleaseTests {
  /// Reports, when it is freed, whether the freeing thread is the one that made it.
  final class Probe: @unchecked Sendable {
    let maker = pthread_self()
    let outcome: Outcome
    init(_ outcome: Outcome) { self.outcome = outcome }
    deinit {
      outcome.freedByMaker = pthread_equal(pthread_self(), maker) != 0
      outcome.done.signal()
    }
  }

  final class Outcome: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var freedByMaker: Bool?
  }

  @Test func aLargeValueIsFreedOffTheCallingThread() {
    let outcome = Outcome()
    BackgroundRelease.release(Probe(outcome), count: BackgroundRelease.minimumCount)
    #expect(outcome.done.wait(timeout: .now() + 10) == .success)
    #expect(outcome.freedByMaker == false)
  }

  @Test func aSmallValueIsFreedHere() {
    let outcome = Outcome()
    BackgroundRelease.release(Probe(outcome), count: BackgroundRelease.minimumCount - 1)
    #expect(outcome.done.wait(timeout: .now()) == .success)  // already freed, on return
    #expect(outcome.freedByMaker == true)
  }
}
