extension Duration {
  /// The duration in whole nanoseconds, clamped to `Int64`'s range.
  ///
  /// Cortado keeps every instant and lifetime as `Int64` nanoseconds: cheap to
  /// compare, and wide enough for 292 years. Lifetimes beyond that are clamped,
  /// and a deadline that would overflow means "never" (see `_Time.deadline`).
  @inlinable
  package var _nanosecondsClamped: Int64 {
    let (seconds, attoseconds) = components
    let (secondsNanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds < 0 ? .min : .max }
    let (total, overflow2) = secondsNanos.addingReportingOverflow(attoseconds / 1_000_000_000)
    if overflow2 { return seconds < 0 ? .min : .max }
    return total
  }
}

extension Duration {
  /// A lifetime in whole nanoseconds: like `_nanosecondsClamped`, but a
  /// positive fraction of a nanosecond rounds *up*, so that a positive
  /// lifetime never becomes "expired on arrival".
  @inlinable
  package var _lifetimeNanoseconds: Int64 {
    let nanoseconds = _nanosecondsClamped
    guard self > .zero, nanoseconds < .max, components.attoseconds % 1_000_000_000 != 0 else { return nanoseconds }
    return nanoseconds + 1
  }
}

extension Duration {
  /// Whole milliseconds, clamped to `Int64`, rounded up so that a positive
  /// lifetime never becomes zero (stores that count in milliseconds).
  @inlinable
  package var _millisecondsRoundedUp: Int64 {
    let nanoseconds = _nanosecondsClamped
    guard nanoseconds > 0 else { return nanoseconds / 1_000_000 }
    return nanoseconds / 1_000_000 + (nanoseconds % 1_000_000 == 0 ? 0 : 1)
  }
}

/// Milliseconds as nanoseconds, clamped to `Int64`.
@inlinable
package func _nanoseconds(milliseconds: UInt64) -> Int64 {
  guard milliseconds <= UInt64(Int64.max / 1_000_000) else { return .max }
  return Int64(milliseconds) * 1_000_000
}

/// Helpers for Cortado's internal time scale: `Int64` nanoseconds read from a
/// monotonic clock, with `Int64.max` meaning "never".
@usableFromInline
enum _Time {
  /// The deadline that never comes.
  @usableFromInline static let never: Int64 = .max

  /// The latest clock reading the cache works with: one before `never`, so
  /// that an entry that never expires stays live even on a clock advanced to
  /// the end of its range (a `ManualClock` saturates there).
  @usableFromInline static let latestReading: Int64 = .max - 1

  /// `now + lifetime`, or `never` when the sum does not fit (a lifetime "too
  /// long to represent in the clock's range" means the entry never expires).
  @inlinable @inline(__always)
  static func deadline(_ now: Int64, plus lifetime: Int64) -> Int64 {
    let (sum, overflow) = now.addingReportingOverflow(lifetime)
    return overflow || sum == .max ? never : sum
  }
}
