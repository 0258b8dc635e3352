#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The clock a cache reads, erased to a monotonic reading in nanoseconds.
///
/// You rarely use this type directly: the cache initialisers accept any
/// `some Clock<Duration>` (`ContinuousClock`, `SuspendingClock`,
/// ``ManualClock``, ``CoarseClock`` or a test clock from another package) and
/// wrap it here. A stored `any Clock<Duration>` cannot compute durations between
/// its own instants, so the wrapper keeps the clock's *readings* instead: the
/// nanoseconds elapsed since an origin taken when the wrapper was made.
///
/// The clocks that ship with Swift and with Cortado get a direct fast path
/// (one `clock_gettime`, or one atomic load for ``ManualClock``); any other
/// clock is read through its `now` and `duration(to:)`.
public struct CacheClock: Sendable {
  @usableFromInline
  enum Source: Sendable {
    case continuous
    case suspending
    case coarse
    case manual(ManualClock)
    case custom(@Sendable () -> Int64)
  }

  @usableFromInline let source: Source

  /// Wraps `clock`.
  public init<C: Clock>(_ clock: C) where C.Duration == Duration {
    if clock is ContinuousClock {
      source = .continuous
    } else if clock is SuspendingClock {
      source = .suspending
    } else if let manual = clock as? ManualClock {
      source = .manual(manual)
    } else if clock is CoarseClock {
      source = .coarse
    } else {
      let origin = clock.now
      source = .custom { origin.duration(to: clock.now)._nanosecondsClamped }
    }
  }

  /// `ContinuousClock`: the default.
  public static var continuous: CacheClock { CacheClock(ContinuousClock()) }

  /// The current reading, in nanoseconds on a monotonic scale (shared with
  /// the package's other modules, which keep time the same way).
  /// Suspends until this clock reads `deadline` (as `now()` counts). A
  /// `ManualClock` wakes the sleeper when advanced to the deadline, even if
  /// it was advanced before the sleep began; the others sleep for what is
  /// left, in continuous (or suspending) time.
  package func sleep(untilReading deadline: Int64) async throws {
    switch source {
    case .manual(let clock):
      try await clock.sleep(until: ManualClock.Instant(offset: .nanoseconds(deadline)))
    case .suspending:
      let remaining = deadline - now()
      if remaining > 0 { try await SuspendingClock().sleep(for: .nanoseconds(remaining)) }
    case .continuous, .coarse, .custom:
      let remaining = deadline - now()
      if remaining > 0 { try await ContinuousClock().sleep(for: .nanoseconds(remaining)) }
    }
  }

  @inlinable @inline(__always)
  package func now() -> Int64 {
    switch source {
    case .continuous: return _readSystemClock(_continuousClockID)
    case .suspending: return _readSystemClock(_suspendingClockID)
    case .coarse: return _readSystemClock(_coarseClockID)
    // Only these two can reach the end of the range (the system clocks count
    // from boot): clamp them below `never`.
    case .manual(let clock): return Swift.min(clock._nanoseconds, _Time.latestReading)
    case .custom(let read): return Swift.min(read(), _Time.latestReading)
    }
  }
}

#if canImport(Darwin)
  @usableFromInline let _continuousClockID = CLOCK_MONOTONIC_RAW
  @usableFromInline let _suspendingClockID = CLOCK_UPTIME_RAW
  @usableFromInline let _coarseClockID = CLOCK_MONOTONIC_RAW_APPROX

  @inlinable @inline(__always)
  func _readSystemClock(_ id: clockid_t) -> Int64 {
    Int64(truncatingIfNeeded: clock_gettime_nsec_np(id))
  }
#else
  // The same clocks the Swift runtime uses for ContinuousClock (CLOCK_BOOTTIME)
  // and SuspendingClock (CLOCK_MONOTONIC) on Linux.
  @usableFromInline let _continuousClockID = CLOCK_BOOTTIME
  @usableFromInline let _suspendingClockID = CLOCK_MONOTONIC
  @usableFromInline let _coarseClockID = CLOCK_MONOTONIC_COARSE

  @inlinable @inline(__always)
  func _readSystemClock(_ id: clockid_t) -> Int64 {
    var spec = timespec()
    clock_gettime(id, &spec)
    return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
  }
#endif
