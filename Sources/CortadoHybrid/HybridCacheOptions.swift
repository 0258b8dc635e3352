/// Lifetimes and fail-safe for one write or load; defaults come from
/// ``HybridCacheConfiguration/defaultOptions``.
///
/// ```swift
/// let price = try await prices.loadValue(forKey: sku, options: HybridCacheOptions(
///     timeToLive: .seconds(60),             // fresh in the shared store for a minute
///     localTimeToLive: .seconds(5),         // but re-checked by this process every 5 s
///     failSafe: .init(maximumStaleness: .seconds(3600)))) { sku in try await catalog.price(sku) }
/// ```
///
/// In a single-flight load, the options of the caller that started the load
/// apply.
public struct HybridCacheOptions: Sendable, Hashable {
  /// How long a value is fresh in the shared store (L2). The store keeps it
  /// for this long, plus the fail-safe window when ``failSafe`` is set.
  public var timeToLive: Duration

  /// How long this process serves the value from memory (L1) without asking
  /// the store; `nil` for ``timeToLive``. Never longer than what is left of
  /// the value's freshness in the store.
  public var localTimeToLive: Duration?

  /// Serve a stale value when the loader fails; `nil` (the default) turns
  /// it off.
  public var failSafe: FailSafe?

  /// Creates options.
  public init(timeToLive: Duration, localTimeToLive: Duration? = nil, failSafe: FailSafe? = nil) {
    self.timeToLive = timeToLive
    self.localTimeToLive = localTimeToLive
    self.failSafe = failSafe
  }

  /// When the loader fails, return the last known value instead of the error,
  /// for a bounded time after it stopped being fresh.
  ///
  /// The stale value can come from memory (also one marked stale by a lost
  /// connection or an invalidation) or from the shared store, which keeps
  /// every value ``maximumStaleness`` past its freshness for this purpose.
  /// Once served, it is reused for ``throttle`` before the loader is tried
  /// again, so a failing source is not hammered.
  public struct FailSafe: Sendable, Hashable {
    /// How long after the end of its freshness a value may still be served.
    public var maximumStaleness: Duration
    /// How long a stale value that was served is reused before the next
    /// attempt to load (never past ``maximumStaleness``).
    public var throttle: Duration

    /// Creates a fail-safe policy; the throttle defaults to 30 seconds.
    public init(maximumStaleness: Duration, throttle: Duration = .seconds(30)) {
      self.maximumStaleness = maximumStaleness
      self.throttle = throttle
    }
  }

  /// Throws when a duration is not positive.
  func validate() throws(HybridCacheConfigurationError) {
    try HybridCacheConfigurationError.positive(timeToLive, "timeToLive")
    if let localTimeToLive { try HybridCacheConfigurationError.positive(localTimeToLive, "localTimeToLive") }
    if let failSafe {
      try HybridCacheConfigurationError.positive(failSafe.maximumStaleness, "failSafe.maximumStaleness")
      try HybridCacheConfigurationError.positive(failSafe.throttle, "failSafe.throttle")
    }
  }
}
