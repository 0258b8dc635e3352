extension Cache {
  /// Everything that can be configured about a cache.
  ///
  /// ```swift
  /// var configuration = Cache<URL, Image>.Configuration(maximumCost: 64 << 20)
  /// configuration.cost = { _, image in image.byteCount }          // cachetools' getsizeof
  /// configuration.timeToLive = .seconds(600)
  /// configuration.onRemoval = { url, _, reason in log("\(url) \(reason)") }
  /// let images = try Cache(configuration: configuration)
  /// ```
  ///
  /// A configuration is a plain value: build it, adjust it, and pass it to
  /// ``Cache/init(configuration:)``, which checks it and throws a
  /// ``CacheConfigurationError`` naming the first invalid field.
  public struct Configuration: Sendable {
    /// The most entries the cache holds; `nil` for no limit. Zero is allowed
    /// and means "store nothing" (like `functools.lru_cache(maxsize=0)`).
    public var maximumCount: Int?

    /// The most total cost the cache holds; `nil` for no limit. Each entry's
    /// cost comes from ``cost`` (1 without it). A value whose cost exceeds this
    /// is never stored (``RemovalReason/rejected``). A budget above 2^61 is
    /// treated as 2^61, far beyond any memory.
    public var maximumCost: Int?

    /// The cost of an entry (cachetools' `getsizeof`), computed once when the
    /// entry is written, outside the cache's locks. Must not be negative.
    public var cost: (@Sendable (Key, Value) -> Int)?

    /// The lifetime rules for every entry; see ``Freshness``.
    public var freshness: Freshness

    /// A lifetime chosen per entry from its key and value (cachetools
    /// `TLRUCache`'s `ttu`). Called once per write, outside the cache's locks;
    /// its result replaces ``freshness`` for that entry. An explicit
    /// ``Cache/setValue(_:forKey:timeToLive:)`` still takes precedence.
    public var freshnessForEntry: (@Sendable (Key, Value) -> Freshness)?

    /// Which entry leaves when the cache is full.
    public var evictionPolicy: EvictionPolicy

    /// The clock that measures lifetimes and ages.
    public var clock: CacheClock

    /// Called after an entry leaves the cache, with its key, value and reason.
    ///
    /// Never called while the cache holds a lock: the listener may use the
    /// cache. For any one key, notifications arrive in the order the changes
    /// happened. They are delivered by whichever thread finishes the operation
    /// (or by the sweeper for expiry), one at a time. Use
    /// ``Cache/waitForRemovalNotifications()`` to wait until all queued
    /// notifications have been delivered.
    public var onRemoval: (@Sendable (Key, Value, RemovalReason) -> Void)?

    /// Called after a loader throws (a load or a background refresh), once per
    /// failed loader call, outside every lock. Cancellations are not reported.
    /// Useful to log refresh failures that readers never see.
    public var onLoadFailure: (@Sendable (Key, any Error) -> Void)?

    /// Whether the process-wide sweeper reclaims this cache's expired entries
    /// (about once a second) even when nobody uses the cache, so that memory is
    /// returned and ``onRemoval`` fires for expiry. On by default; turn it off
    /// for deterministic tests (expiry still happens on every operation).
    public var sweepsExpiredEntries: Bool

    /// The number of independently locked stripes the cache is split into
    /// (rounded up to a power of two); `nil` chooses automatically.
    ///
    /// Striping lets threads work on different keys in parallel, but each
    /// stripe evicts on its own, so the eviction order is global only with a
    /// single stripe. Automatic: one stripe for caches bounded to at most
    /// 10,000 entries or bounded by cost; otherwise about four per processor,
    /// keeping at least 1,024 entries per stripe.
    ///
    /// One stripe holds fewer than 2^28 (268,435,456) entries; storing more
    /// into one stripe stops the process with a message. A cache meant to
    /// hold more than that should have enough stripes for its keys to spread
    /// below the limit.
    public var stripeCount: Int?

    /// The most keys one loader call refreshes: the refreshes that one
    /// ``Cache/loadValues(forKeys:using:)-(_,([Key])->[Key:Value])`` call
    /// finds due are sent to its batch loader together, in calls of at most
    /// this many keys, instead of one call per key (and so are those that
    /// ``refreshBatching`` collects). At least 1; the default, 64, keeps one
    /// request to the source moderate.
    public var maximumRefreshBatch: Int

    /// Coalesces every due refresh (``Freshness/refreshAfter``) into calls of
    /// one cache-wide batch loader: a refresh found due by any loading read
    /// waits at most ``RefreshBatching/maximumDelay`` for others to join it,
    /// and a batch of ``maximumRefreshBatch`` keys leaves at once. The reads
    /// themselves never wait (they return the current value). `nil` (the
    /// default): each refresh uses the loader of the read that found it due.
    public var refreshBatching: RefreshBatching?

    /// Sees the loading code's join, cancel and finish points, in tests
    /// (through `@testable import`, or from CortadoHybrid's single flight):
    /// controlled-interleaving tests wait for these points instead of
    /// sleeping.
    package var _loadObserver: (@Sendable (_LoadEvent<Key>) -> Void)? = nil

    /// Creates a configuration. Every limit defaults to none, and the policy to
    /// ``EvictionPolicy/windowTinyLFU``.
    public init(
      maximumCount: Int? = nil,
      maximumCost: Int? = nil,
      timeToLive: Duration? = nil,
      timeToIdle: Duration? = nil,
      evictionPolicy: EvictionPolicy = .default
    ) {
      self.maximumCount = maximumCount
      self.maximumCost = maximumCost
      self.cost = nil
      self.freshness = Freshness(timeToLive: timeToLive, timeToIdle: timeToIdle)
      self.freshnessForEntry = nil
      self.evictionPolicy = evictionPolicy
      self.clock = .continuous
      self.onRemoval = nil
      self.onLoadFailure = nil
      self.sweepsExpiredEntries = true
      self.stripeCount = nil
      self.maximumRefreshBatch = 64
      self.refreshBatching = nil
    }

    /// Creates a configuration that reads `clock`.
    public init(
      maximumCount: Int? = nil,
      maximumCost: Int? = nil,
      timeToLive: Duration? = nil,
      timeToIdle: Duration? = nil,
      evictionPolicy: EvictionPolicy = .default,
      clock: some Clock<Duration>
    ) {
      self.init(
        maximumCount: maximumCount, maximumCost: maximumCost, timeToLive: timeToLive,
        timeToIdle: timeToIdle, evictionPolicy: evictionPolicy)
      self.clock = CacheClock(clock)
    }

    /// Shorthand for `freshness.timeToLive`.
    public var timeToLive: Duration? {
      get { freshness.timeToLive }
      set { freshness.timeToLive = newValue }
    }

    /// Shorthand for `freshness.timeToIdle`.
    public var timeToIdle: Duration? {
      get { freshness.timeToIdle }
      set { freshness.timeToIdle = newValue }
    }

    /// Replaces the clock.
    public mutating func setClock(_ clock: some Clock<Duration>) {
      self.clock = CacheClock(clock)
    }

    /// How due refreshes are coalesced into batch calls: see
    /// ``Cache/Configuration/refreshBatching``.
    ///
    /// ```swift
    /// configuration.freshness = Freshness(timeToLive: .seconds(300), refreshAfter: .seconds(60))
    /// configuration.refreshBatching = .init(maximumDelay: .milliseconds(50)) { ids in
    ///     try await api.fetchUsers(ids)
    /// }
    /// ```
    ///
    /// ## Topics
    /// ### Creating
    /// - ``init(maximumDelay:loader:)``
    /// ### Properties
    /// - ``maximumDelay``
    /// - ``loader``
    public struct RefreshBatching: Sendable {
      /// The longest a due refresh waits for others before its batch leaves.
      public var maximumDelay: Duration
      /// Loads the refreshed values; keys it returns no value for keep their
      /// current one.
      public var loader: @Sendable ([Key]) async throws -> [Key: Value]

      /// Coalesces refreshes for up to `maximumDelay` (default 10 ms) into
      /// calls of `loader`.
      public init(
        maximumDelay: Duration = .milliseconds(10), loader: @escaping @Sendable ([Key]) async throws -> [Key: Value]
      ) {
        self.maximumDelay = maximumDelay
        self.loader = loader
      }
    }

    /// Checks the configuration; throws for the first invalid field.
    public func validate() throws(CacheConfigurationError) {
      if let maximumCount, maximumCount < 0 {
        throw CacheConfigurationError(
          field: .maximumCount, message: "must not be negative (got \(maximumCount)); use nil for no limit")
      }
      if let maximumCost, maximumCost < 0 {
        throw CacheConfigurationError(
          field: .maximumCost, message: "must not be negative (got \(maximumCost)); use nil for no limit")
      }
      try freshness.validate()
      if let refreshBatching, refreshBatching.maximumDelay < .zero {
        throw CacheConfigurationError(
          field: .refreshBatching,
          message: "maximumDelay must not be negative (got \(refreshBatching.maximumDelay))")
      }
      if maximumRefreshBatch < 1 {
        throw CacheConfigurationError(
          field: .maximumRefreshBatch, message: "must be at least 1 (got \(maximumRefreshBatch))")
      }
      if let stripeCount, stripeCount < 1 || stripeCount > 1 << 16 {
        throw CacheConfigurationError(
          field: .stripeCount,
          message: "must be between 1 and 65536 (got \(stripeCount)); use nil to choose automatically")
      }
    }

    /// Whether entries can expire at all from the configuration alone (or
    /// the clock is needed for remembered failures).
    var expiresUpFront: Bool {
      freshness.expires || freshnessForEntry != nil || freshness.failureTimeToLive != nil
    }

    /// Whether every entry carries a cost.
    var isWeighted: Bool { maximumCost != nil || cost != nil }

    /// The number of stripes this configuration gets.
    var resolvedStripeCount: Int {
      if let stripeCount { return _nextPowerOfTwo(stripeCount) }
      if isWeighted { return 1 }
      if let maximumCount, maximumCount <= 10_000 { return 1 }
      var stripes = _nextPowerOfTwo(_processorCount * 4)
      if let maximumCount {
        while stripes > 1 && maximumCount / stripes < 1_024 { stripes /= 2 }
      }
      return Swift.min(stripes, 256)
    }
  }
}

@usableFromInline
func _nextPowerOfTwo(_ value: Int) -> Int {
  var power = 1
  while power < value { power <<= 1 }
  return power
}
