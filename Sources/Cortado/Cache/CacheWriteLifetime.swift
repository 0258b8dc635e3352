/// The lifetime a write gives its entry: see ``Cache/setValue(_:forKey:lifetime:)``.
///
/// ## Topics
/// ### Lifetimes
/// - ``cacheDefault``
/// - ``timeToLive(_:)``
/// - ``freshness(_:)``
/// - ``keepRemaining(otherwise:)``
public enum CacheWriteLifetime: Sendable, Hashable {
  /// The cache's own: ``Cache/Configuration/freshness``, or
  /// ``Cache/Configuration/freshnessForEntry`` when set.
  case cacheDefault
  /// This time to live instead of the cache's (its time to idle still
  /// applies), as ``Cache/setValue(_:forKey:timeToLive:)``.
  case timeToLive(Duration)
  /// This freshness policy instead of the cache's, as
  /// ``Cache/setValue(_:forKey:freshness:)``.
  case freshness(Freshness)
  /// A live entry keeps its remaining lifetime (its deadlines, refresh time
  /// and age), as Redis `SET … KEEPTTL`; a key with no live entry gets
  /// `otherwise`. Hummingbird's `set(expires: nil)` is
  /// `.keepRemaining(otherwise: .never)`.
  case keepRemaining(otherwise: Freshness)
}
