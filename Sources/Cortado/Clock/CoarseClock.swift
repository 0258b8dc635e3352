#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A monotonic clock that is cheap to read but only as precise as the system
/// tick.
///
/// Reading `ContinuousClock.now` costs about as much as a whole locked cache
/// lookup (≈ 20–26 ns on a typical Linux machine), so a cache with a lifetime
/// that reads the clock on every hit pays for it twice. `CoarseClock` reads
/// `CLOCK_MONOTONIC_COARSE` on Linux (≈ 3 ns) and `CLOCK_MONOTONIC_RAW_APPROX`
/// on Apple platforms.
///
/// The price is skew: a reading may lag real time by up to one scheduler tick
/// (``minimumResolution``; typically 1–4 ms on Linux). Entries therefore live
/// up to that much *longer* than their lifetime, never shorter.
///
/// Like `SuspendingClock` (and unlike the default `ContinuousClock`), it does
/// not advance while the system is asleep: `CLOCK_MONOTONIC_COARSE` follows
/// `CLOCK_MONOTONIC`, and Linux offers no coarse twin of `CLOCK_BOOTTIME`. An
/// entry's lifetime then excludes the time the machine was suspended, so in
/// wall time it may also live longer by the length of a suspension. Servers
/// rarely sleep; laptops and phones do. Choose it for lifetimes of seconds or
/// more, where a few milliseconds do not matter:
///
/// ```swift
/// let cache = Cache<String, Session>(maximumCount: 10_000,
///                                    timeToLive: .seconds(300),
///                                    clock: CoarseClock())
/// ```
public struct CoarseClock: Clock, Sendable {
  /// An instant on the coarse clock: nanoseconds since an unspecified origin.
  public struct Instant: InstantProtocol, Sendable, Hashable, Comparable {
    /// Nanoseconds since the clock's origin.
    public var nanoseconds: Int64

    /// Creates an instant from nanoseconds since the clock's origin.
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The instant `duration` later.
    public func advanced(by duration: Duration) -> Instant {
      Instant(nanoseconds: nanoseconds &+ duration._nanosecondsClamped)
    }

    /// The time from this instant to `other`.
    public func duration(to other: Instant) -> Duration {
      .nanoseconds(other.nanoseconds &- nanoseconds)
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
  }

  /// Creates the clock (it has no state).
  public init() {}

  /// The current (coarse) instant.
  public var now: Instant { Instant(nanoseconds: _readSystemClock(_coarseClockID)) }

  /// The tick of the underlying system clock.
  public var minimumResolution: Duration {
    #if canImport(Darwin)
      return .milliseconds(1)
    #else
      var spec = timespec()
      clock_getres(_coarseClockID, &spec)
      return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
    #endif
  }

  /// Suspends until `deadline` (plus at most one tick).
  public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
    let remaining = now.duration(to: deadline)
    if remaining > .zero {
      try await ContinuousClock().sleep(for: remaining + minimumResolution, tolerance: tolerance)
    }
  }
}
