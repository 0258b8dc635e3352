/// A clock that moves only when you tell it to.
///
/// Use it to test anything time-dependent without sleeping: lifetimes,
/// idle expiry, refresh and statistics of load time.
///
/// ```swift
/// let clock = ManualClock()
/// let cache = Cache<String, Int>(maximumCount: 10, timeToLive: .seconds(20), clock: clock)
/// cache["a"] = 1
/// clock.advance(by: .seconds(19))
/// #expect(cache["a"] == 1)
/// clock.advance(by: .seconds(1))
/// #expect(cache["a"] == nil)     // expired at exactly 20 s
/// ```
///
/// The clock is a reference type, so every copy (the cache's and your test's)
/// sees the same time. It is safe to read and advance from any thread. Tasks
/// that `sleep` on it resume when the clock is advanced past their deadline,
/// or throw `CancellationError` when cancelled.
public final class ManualClock: Clock, @unchecked Sendable {
  /// An instant on a manual clock: the time elapsed since the clock was made.
  public struct Instant: InstantProtocol, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Time since the clock's start (its zero instant).
    public var offset: Duration

    /// Creates an instant `offset` after the clock's start.
    public init(offset: Duration) { self.offset = offset }

    /// The instant `duration` later.
    public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }

    /// The time from this instant to `other`.
    public func duration(to other: Instant) -> Duration { other.offset - offset }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }

    public var description: String { "ManualClock.Instant(\(offset))" }
  }

  @usableFromInline let time: _AtomicInt64
  private let mutex = _Mutex()
  // Guarded by `mutex`.
  private var sleepers: [UInt64: (deadline: Int64, continuation: CheckedContinuation<Void, any Error>)] = [:]
  private var nextSleeperID: UInt64 = 0

  /// Creates a clock at `start` (zero by default).
  public init(start: Duration = .zero) {
    precondition(start >= .zero, "ManualClock: the start offset must not be negative (got \(start))")
    time = _AtomicInt64(start._nanosecondsClamped)
  }

  /// The current instant.
  public var now: Instant { Instant(offset: .nanoseconds(time.value)) }

  /// One nanosecond: the clock is exact.
  public var minimumResolution: Duration { .nanoseconds(1) }

  /// The time elapsed since the clock's start.
  public var elapsed: Duration { .nanoseconds(time.value) }

  @inlinable @inline(__always)
  var _nanoseconds: Int64 { time.value }

  /// Moves the clock forward by `duration`, waking the tasks whose deadline
  /// has come.
  ///
  /// - Precondition: `duration` is not negative: a monotonic clock never goes back.
  public func advance(by duration: Duration) {
    precondition(duration >= .zero, "ManualClock.advance(by:): the duration must not be negative (got \(duration))")
    mutex.lock()
    let current = time.value
    let target = _Time.deadline(current, plus: duration._nanosecondsClamped)
    time.store(target)
    let due = takeDueSleepers(at: target)
    mutex.unlock()
    for continuation in due { continuation.resume() }
  }

  /// Moves the clock forward to `instant`; does nothing if it is already there.
  public func advance(to instant: Instant) {
    let delta = now.duration(to: instant)
    if delta > .zero { advance(by: delta) }
  }

  /// The number of tasks currently sleeping on this clock (useful to let a
  /// test wait until a background task has reached its `sleep`).
  public var sleeperCount: Int {
    mutex.withLock { sleepers.count }
  }

  /// Suspends until the clock reaches `deadline`.
  public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
    let target = deadline.offset._nanosecondsClamped
    let id: UInt64 = mutex.withLock {
      nextSleeperID &+= 1
      return nextSleeperID
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        mutex.lock()
        if Task.isCancelled {
          mutex.unlock()
          continuation.resume(throwing: CancellationError())
        } else if time.value >= target {
          mutex.unlock()
          continuation.resume()
        } else {
          sleepers[id] = (target, continuation)
          mutex.unlock()
        }
      }
    } onCancel: {
      mutex.lock()
      let sleeper = sleepers.removeValue(forKey: id)
      mutex.unlock()
      sleeper?.continuation.resume(throwing: CancellationError())
    }
  }

  // Must be called with `mutex` held.
  private func takeDueSleepers(at now: Int64) -> [CheckedContinuation<Void, any Error>] {
    guard !sleepers.isEmpty else { return [] }
    var due: [(Int64, UInt64, CheckedContinuation<Void, any Error>)] = []
    for (id, sleeper) in sleepers where sleeper.deadline <= now {
      due.append((sleeper.deadline, id, sleeper.continuation))
    }
    for entry in due { sleepers.removeValue(forKey: entry.1) }
    // Wake in deadline order, then in the order they went to sleep.
    due.sort { ($0.0, $0.1) < ($1.0, $1.1) }
    return due.map(\.2)
  }
}
