/// What happened when a value was written.
///
/// Returned (discardable) by ``Cache/setValue(_:forKey:timeToLive:)`` and the
/// other writing methods:
///
/// ```swift
/// if case .rejected = cache.setValue(hugeImage, forKey: url) {
///     log("too large to cache")
/// }
/// ```
public enum CacheWriteResult<Value: Sendable>: Sendable {
  /// The key was not in the cache (or only an expired value was); the value
  /// is now stored.
  case inserted
  /// The value replaced the key's previous live value, which is attached.
  case replaced(previous: Value)
  /// The value was not stored. Any previous value under the key was removed
  /// (it is attached), so the cache never serves an outdated value in its place.
  case rejected(reason: Rejection, previous: Value?)

  /// Why a value was not stored.
  public enum Rejection: Sendable, Hashable {
    /// Its cost exceeds the cache's `maximumCost`.
    case tooCostly
    /// The cache is configured with `maximumCount: 0` and stores nothing.
    case zeroCapacity
    /// Its lifetime was zero or negative, so it was expired on arrival.
    case alreadyExpired
    /// Its per-entry ``Freshness`` has an invalid field (a ``Freshness/refreshAfter``
    /// or ``Freshness/staleIfError`` of zero or less).
    case invalidFreshness(CacheConfigurationError.Field)
  }

  /// Whether the value is now in the cache.
  public var isStored: Bool {
    if case .rejected = self { return false }
    return true
  }

  /// The live value the key held before the write, if any.
  public var previousValue: Value? {
    switch self {
    case .inserted: return nil
    case .replaced(let previous): return previous
    case .rejected(_, let previous): return previous
    }
  }
}
