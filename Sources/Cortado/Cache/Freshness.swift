/// How long an entry stays fresh: one value that combines every time-based
/// rule, for a whole cache or for one entry.
///
/// An entry expires at whichever comes first of its ``timeToLive`` (counted
/// from its last write) and its ``timeToIdle`` (counted from its last read or
/// write). A `nil` field means "no such limit"; ``never`` has none at all.
///
/// ```swift
/// // Sessions: gone 30 minutes after the last use, and at most 12 hours after login.
/// let sessions = Freshness(timeToLive: .seconds(12 * 3600), timeToIdle: .seconds(1800))
///
/// // Stale-while-revalidate: serve for 5 minutes, refresh in the background after 1.
/// let prices = Freshness(timeToLive: .seconds(300), refreshAfter: .seconds(60))
/// ```
///
/// An entry written at `t` with a lifetime `d` is live on `[t, t + d)` and
/// expired at exactly `t + d`, as in `cachetools` and `expiringdict`. Writes
/// restart both clocks; reads restart only ``timeToIdle``. A lifetime too long
/// for the clock's range (hundreds of years) means the entry never expires.
///
/// ``refreshAfter`` and ``staleIfError`` matter only to loading reads
/// (``Cache/loadValue(forKey:using:)-(_,(Key)->Value)``): plain reads never see a value past its
/// lifetime.
public struct Freshness: Sendable, Hashable, CustomStringConvertible {
  /// The maximum time an entry lives after it was written (expire after
  /// write: the semantics of `cachetools.TTLCache` and `expiringdict`).
  public var timeToLive: Duration?

  /// The maximum time an entry lives without being read or written (expire
  /// after access, sliding). Every hit restarts it, so reads become writes to
  /// the entry's deadline.
  public var timeToIdle: Duration?

  /// After this time since the last write, a loading read still returns the
  /// current value at once, and starts one background reload
  /// (stale-while-revalidate). It should be shorter than ``timeToLive``.
  public var refreshAfter: Duration?

  /// When a reload fails after the entry's ``timeToLive`` has passed, a loading
  /// read may still return the last good value for up to this long past the
  /// lifetime (stale-if-error). Plain reads never return such a value.
  public var staleIfError: Duration?

  /// How long a loader's failure is remembered (negative caching): loading
  /// reads of the key within that time throw the same error at once instead
  /// of calling the loader again. `nil` (the default): failures are never
  /// cached. Only the cache-wide freshness's value is used; a write or
  /// removal of the key forgets the failure.
  public var failureTimeToLive: Duration?

  /// Spreads expiry and refresh over time: each write lengthens its entry's
  /// ``timeToLive`` and ``refreshAfter`` by one draw, uniform on
  /// `[0, jitter)`, so an entry written at `t` with a lifetime `d` is live on
  /// `[t, t + d + r)` for that draw `r`. Entries written together (after a
  /// deploy, a restart, a bulk load) then do not all expire or refresh in the
  /// same instant. ``timeToIdle`` is not jittered, and neither is an explicit
  /// ``Cache/setValue(_:forKey:timeToLive:)``. The draws come from the
  /// cache's generator, seeded from the eviction policy's seed (that of
  /// ``EvictionPolicy/random(seed:)``, otherwise a fixed one), so a
  /// single-threaded run with ``ManualClock`` is reproducible. `nil` or zero: no jitter; negative:
  /// rejected (``CacheConfigurationError/Field/jitter``).
  public var jitter: Duration?

  /// Creates a freshness policy. Every field is optional; a `nil` field
  /// imposes no limit.
  public init(
    timeToLive: Duration? = nil,
    timeToIdle: Duration? = nil,
    refreshAfter: Duration? = nil,
    staleIfError: Duration? = nil,
    failureTimeToLive: Duration? = nil,
    jitter: Duration? = nil
  ) {
    self.timeToLive = timeToLive
    self.timeToIdle = timeToIdle
    self.refreshAfter = refreshAfter
    self.staleIfError = staleIfError
    self.failureTimeToLive = failureTimeToLive
    self.jitter = jitter
  }

  /// No time limit at all: entries leave only by eviction or removal.
  public static var never: Freshness { Freshness() }

  /// Expire `duration` after each write.
  public static func timeToLive(_ duration: Duration) -> Freshness { Freshness(timeToLive: duration) }

  /// Expire `duration` after each read or write.
  public static func timeToIdle(_ duration: Duration) -> Freshness { Freshness(timeToIdle: duration) }

  /// Whether any field limits the entry's life.
  public var expires: Bool { timeToLive != nil || timeToIdle != nil }

  public var description: String {
    var parts: [String] = []
    if let timeToLive { parts.append("timeToLive: \(timeToLive)") }
    if let timeToIdle { parts.append("timeToIdle: \(timeToIdle)") }
    if let refreshAfter { parts.append("refreshAfter: \(refreshAfter)") }
    if let staleIfError { parts.append("staleIfError: \(staleIfError)") }
    if let failureTimeToLive { parts.append("failureTimeToLive: \(failureTimeToLive)") }
    if let jitter { parts.append("jitter: \(jitter)") }
    return parts.isEmpty ? "Freshness.never" : "Freshness(\(parts.joined(separator: ", ")))"
  }

  /// Checks that every set duration is positive.
  func validate() throws(CacheConfigurationError) {
    func check(_ value: Duration?, _ field: CacheConfigurationError.Field) throws(CacheConfigurationError) {
      if let value, value <= .zero {
        throw CacheConfigurationError(field: field, message: "must be positive (got \(value)); use nil for no limit")
      }
    }
    try check(timeToLive, .timeToLive)
    try check(timeToIdle, .timeToIdle)
    try check(refreshAfter, .refreshAfter)
    try check(staleIfError, .staleIfError)
    try check(failureTimeToLive, .failureTimeToLive)
    if let jitter, jitter < .zero {
      throw CacheConfigurationError(field: .jitter, message: "must not be negative (got \(jitter)); use nil for none")
    }
  }

  /// The policy in the cache's internal units, for an entry.
  ///
  /// A per-entry freshness (``Cache/setValue(_:forKey:freshness:)`` or
  /// ``Cache/Configuration/freshnessForEntry``) is checked here: a
  /// ``timeToLive`` or ``timeToIdle`` of zero or less means "expired on
  /// arrival" (as ``Cache/setValue(_:forKey:timeToLive:)`` documents), while a
  /// ``refreshAfter`` or ``staleIfError`` of zero or less is invalid and the
  /// write is rejected with ``CacheWriteResult/Rejection/invalidFreshness(_:)``.
  /// A positive lifetime shorter than a nanosecond counts as one nanosecond.
  /// ``jitter`` in nanoseconds; 0 for none (or when invalid: the write is
  /// rejected anyway).
  @inlinable
  var _jitterNanoseconds: Int64 {
    guard let jitter, jitter > .zero else { return 0 }
    return jitter._nanosecondsClamped
  }

  @usableFromInline
  var _lifetime: _Lifetime {
    var invalid: CacheConfigurationError.Field? = nil
    if let refreshAfter, refreshAfter <= .zero { invalid = .refreshAfter }
    if let staleIfError, staleIfError <= .zero { invalid = invalid ?? .staleIfError }
    if let jitter, jitter < .zero { invalid = invalid ?? .jitter }
    return _Lifetime(
      timeToLive: timeToLive.map { $0._lifetimeNanoseconds } ?? _Time.never,
      idle: timeToIdle.map { $0 <= .zero ? -1 : $0._lifetimeNanoseconds } ?? 0,
      refresh: invalid == nil ? refreshAfter.map { $0._lifetimeNanoseconds } ?? _Time.never : _Time.never,
      staleIfError: invalid == nil ? staleIfError.map { $0._lifetimeNanoseconds } ?? 0 : 0,
      invalid: invalid
    )
  }
}
