/// A freshness policy in nanoseconds, ready for a shard.
@usableFromInline
struct _Lifetime: Sendable {
  /// Time to live; `never` for none; zero or negative: expired on arrival.
  @usableFromInline var timeToLive: Int64
  /// Time to idle; 0 for none; negative: expired on arrival.
  @usableFromInline var idle: Int64
  /// Refresh after; `never` for none.
  @usableFromInline var refresh: Int64
  /// Stale-if-error window; 0 for none.
  @usableFromInline var staleIfError: Int64

  /// The per-entry field that made this lifetime invalid (the write is
  /// rejected), or nil.
  @usableFromInline var invalid: CacheConfigurationError.Field?

  @inlinable
  init(
    timeToLive: Int64, idle: Int64, refresh: Int64, staleIfError: Int64, invalid: CacheConfigurationError.Field? = nil
  ) {
    self.timeToLive = timeToLive
    self.idle = idle
    self.refresh = refresh
    self.staleIfError = staleIfError
    self.invalid = invalid
  }

  /// Lengthens the finite time to live and refresh time by `offset`
  /// (saturating: a lifetime too long for the clock means "never").
  @inlinable
  mutating func addJitter(_ offset: Int64) {
    if timeToLive != _Time.never && timeToLive > 0 { timeToLive = _Time.deadline(timeToLive, plus: offset) }
    if refresh != _Time.never { refresh = _Time.deadline(refresh, plus: offset) }
  }

  @usableFromInline static let never = _Lifetime(
    timeToLive: _Time.never, idle: 0, refresh: _Time.never, staleIfError: 0)

  @inlinable
  var isExpiredOnArrival: Bool { timeToLive <= 0 || idle < 0 }

  @inlinable
  var expires: Bool { timeToLive != _Time.never || idle != 0 }

  /// Needs the per-entry freshness array (idle, refresh or stale-if-error).
  @inlinable
  var needsFreshnessInfo: Bool { idle != 0 || refresh != _Time.never || staleIfError != 0 }
}
