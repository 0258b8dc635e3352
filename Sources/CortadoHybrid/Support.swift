#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a `pthread_mutex_t`.
///
/// Why not `Synchronization.Mutex`: it needs macOS 15 and the package supports
/// macOS 13. Why not `NSLock`: its `Sendable` conformance differs between
/// Foundation implementations. The mutex lives in allocated memory because a
/// pthread mutex must never move once initialised. Never call user code or
/// `await` inside `withLock`.
final class HybridLock<State>: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private var state: State

  init(_ state: State) {
    self.state = state
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    let status = pthread_mutex_init(mutex, nil)
    precondition(status == 0, "CortadoHybrid: pthread_mutex_init failed (\(status))")
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&state)
  }
}

// MARK: - Time arithmetic that cannot trap
//
// Lifetimes come from the server (PTTL) and from envelopes written by other
// processes, so any value is possible. `Duration` arithmetic traps on
// overflow; these helpers saturate instead, so nothing a server sends can
// crash the client.

extension Duration {
  /// Whole nanoseconds, clamped to `Int64`.
  var hybridNanoseconds: Int64 {
    let (seconds, attoseconds) = components
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds < 0 ? .min : .max }
    return hybridAdd(scaled, attoseconds / 1_000_000_000)
  }

  /// Whole milliseconds, clamped to `Int64`.
  var hybridMilliseconds: Int64 { hybridNanoseconds / 1_000_000 }

  /// Whole milliseconds, rounded up, so a positive lifetime never becomes zero.
  var hybridMillisecondsRoundedUp: Int64 {
    let nanoseconds = hybridNanoseconds
    guard nanoseconds > 0 else { return nanoseconds / 1_000_000 }
    return nanoseconds / 1_000_000 + (nanoseconds % 1_000_000 == 0 ? 0 : 1)
  }
}

/// `a + b`, saturating at the bounds of `Int64`.
func hybridAdd(_ a: Int64, _ b: Int64) -> Int64 {
  let (sum, overflow) = a.addingReportingOverflow(b)
  if overflow { return b > 0 ? .max : .min }
  return sum
}

/// Milliseconds as nanoseconds, saturating.
func hybridNanoseconds(milliseconds: UInt64) -> Int64 {
  guard milliseconds <= UInt64(Int64.max / 1_000_000) else { return .max }
  return Int64(milliseconds) * 1_000_000
}

/// Returns a reader of `clock` in nanoseconds elapsed since the reader was made.
func hybridClockReader<C: Clock>(_ clock: C) -> @Sendable () -> Int64 where C.Duration == Duration {
  let origin = clock.now
  return { origin.duration(to: clock.now).hybridNanoseconds }
}
