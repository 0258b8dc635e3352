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

  /// Spreads the store's expiry: each write lengthens ``timeToLive`` in the
  /// store by one draw, uniform on `[0, jitter)`, so keys written together
  /// (after a deploy, by a batch) do not all expire in the same instant and
  /// send every instance to the source at once. The memory copy keeps
  /// ``localTimeToLive`` (or ``timeToLive``). `nil` or zero: none; negative:
  /// rejected.
  public var jitter: Duration?

  /// Whether a write keeps the remaining lifetime of a key that has one in
  /// the store (Redis `SET … KEEPTTL`; Hummingbird's `set(expires: nil)`);
  /// a key without one gets ``timeToLive`` (plus ``jitter``), so no key is
  /// ever left without expiry. Needs a store that implements
  /// ``RemoteCacheStore/setKeepingTimeToLive(_:bytes:otherwise:)``;
  /// otherwise the write throws ``HybridCacheError/unsupportedByStore(_:)``.
  /// Applies to ``HybridCache/setValue(_:forKey:options:)``, not to fills.
  public var keepsRemainingLifetime: Bool

  /// Creates options.
  public init(
    timeToLive: Duration, localTimeToLive: Duration? = nil, failSafe: FailSafe? = nil, jitter: Duration? = nil,
    keepsRemainingLifetime: Bool = false
  ) {
    self.timeToLive = timeToLive
    self.localTimeToLive = localTimeToLive
    self.failSafe = failSafe
    self.jitter = jitter
    self.keepsRemainingLifetime = keepsRemainingLifetime
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
    if let jitter, jitter < .zero {
      throw HybridCacheConfigurationError(
        field: "jitter", message: "must not be negative (got \(jitter)); use nil for none")
    }
    if let failSafe {
      try HybridCacheConfigurationError.positive(failSafe.maximumStaleness, "failSafe.maximumStaleness")
      try HybridCacheConfigurationError.positive(failSafe.throttle, "failSafe.throttle")
    }
  }
}
