import Foundation

/// Starts every worker thread at the same instant and gives them a common
/// deadline, so a run measures all threads working at once (and none of the
/// thread start-up).
final class StartGate: @unchecked Sendable {
  // @unchecked: `arrived` and `deadline` are guarded by `condition`.
  private let condition = NSCondition()
  private let parties: Int
  private var arrived = 0
  private var deadline: ContinuousClock.Instant?

  init(parties: Int) {
    self.parties = parties
  }

  /// Called by a worker: waits until the gate opens; returns the deadline.
  func arriveAndWait() -> ContinuousClock.Instant {
    condition.lock()
    defer { condition.unlock() }
    arrived += 1
    condition.broadcast()
    while deadline == nil { condition.wait() }
    return deadline!
  }

  /// Called by the coordinator: waits for every worker, then opens the gate
  /// for `duration`; returns the start instant.
  func open(for duration: Duration) -> ContinuousClock.Instant {
    condition.lock()
    defer { condition.unlock() }
    while arrived < parties { condition.wait() }
    let start = ContinuousClock.now
    deadline = start.advanced(by: duration)
    condition.broadcast()
    return start
  }
}
