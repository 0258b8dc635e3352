/// A fast, thread-safe, bounded in-memory cache with time-based expiry.
///
/// Share one instance across threads and tasks: every method is safe to call
/// concurrently, with no external lock.
///
/// ```swift
/// let users = Cache<String, User>(maximumCount: 10_000, timeToLive: .seconds(20))
/// users["alice"] = alice                 // insert or replace
/// let hit = users["alice"]               // nil when absent or expired
/// let carol = users.value(forKey: "carol", orInsert: { fetchUser("carol") })  // computed once
/// print(users.statistics.hitRate)
/// ```
///
/// ## What it guarantees
/// - **Bounds**: never more than `maximumCount` entries, nor more than
///   `maximumCost` total cost, under any concurrency.
/// - **Expiry**: an entry written at `t` with lifetime `d` is served on
///   `[t, t + d)` and never after; expired entries are never counted or
///   returned, and are removed before any live entry is evicted. Their memory
///   is reclaimed as the cache is used and, when it is idle, by a process-wide
///   sweeper.
/// - **No user code under a lock**: cost and lifetime functions, predicates,
///   compute closures, listeners, keys' hashing and the `deinit`s of values
///   and remembered errors all run outside. The one exception is the keys'
///   `==`, which every hash table calls while it searches: it must be fast,
///   and must not use this cache (as `Dictionary` requires `==` to be pure).
/// - **A write or removal is a barrier**: no load or computation that began
///   before it stores its result afterwards, and no caller arriving after it
///   receives that result. Concurrent histories of every operation are
///   checked for linearizability against a sequential model (see
///   `docs/reliability.md`).
///
/// ## Performance
/// The cache is split into independently locked stripes chosen by key hash,
/// each with its own eviction policy and timer wheel; every operation is O(1).
/// See `docs/design.md` for the structure and the measurements behind it.
///
/// ## Topics
/// ### Creating a cache
/// - ``init(maximumCount:timeToLive:)``
/// - ``init(maximumCount:timeToLive:clock:)``
/// - ``init(configuration:)``
/// - ``Configuration``
/// - ``configuration``
/// ### Reading
/// - ``subscript(_:)``
/// - ``value(forKey:)``
/// - ``value(forKey:orInsert:)``
/// - ``contains(_:)``
/// - ``entry(forKey:)``
/// ### Loading
/// - ``loadValue(forKey:using:)-(_,(Key)->Value)``
/// - ``loadValue(forKey:using:)-(_,(Key)->CacheLoadResult<Value>)``
/// - ``loadValues(forKeys:using:)-(_,([Key])->[Key:Value])``
/// - ``loadValues(forKeys:using:)-(_,([Key])->[Key:CacheLoadResult<Value>])``
/// - ``refresh(forKey:using:)``
/// - ``refreshAll(_:using:)``
/// - ``shutdown()``
/// ### Writing
/// - ``updateValue(_:forKey:)``
/// - ``setValue(_:forKey:)``
/// - ``setValue(_:forKey:timeToLive:)``
/// - ``setValue(_:forKey:freshness:)``
/// - ``setValue(_:forKey:lifetime:)``
/// ### Atomic updates
/// - ``insertValue(_:forKey:)``
/// - ``compute(forKey:_:)``
/// - ``modifyValue(forKey:_:)``
/// ### Removing
/// - ``removeValue(forKey:)``
/// - ``removeAll()``
/// - ``removeAll(where:)``
/// - ``removeExpired()``
/// ### Inspecting
/// - ``count``
/// - ``isEmpty``
/// - ``snapshot()``
/// - ``totalCost``
/// - ``stripeCount``
/// - ``description``
/// ### Statistics and notifications
/// - ``statistics``
/// - ``resetStatistics()``
/// - ``waitForRemovalNotifications()``
public final class Cache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  @usableFromInline let core: _CacheCore<Key, Value>

  /// The configuration the cache was created with.
  public let configuration: Configuration

  /// Creates a cache from a full configuration.
  ///
  /// - Throws: ``CacheConfigurationError`` naming the first invalid field
  ///   (a negative capacity, a non-positive lifetime, ...).
  public init(configuration: Configuration) throws(CacheConfigurationError) {
    try configuration.validate()
    self.configuration = configuration
    core = _CacheCore(configuration: configuration)
  }

  /// Creates a cache holding at most `maximumCount` entries (no limit when
  /// `nil`), each living `timeToLive` after its last write (forever when
  /// `nil`), timed by `ContinuousClock`.
  ///
  /// The equivalent of Python's `cachetools.TTLCache(maxsize, ttl)` or
  /// `expiringdict.ExpiringDict(max_len, max_age_seconds)`, but thread-safe.
  ///
  /// An invalid argument (a negative count, a lifetime of zero or less) stops
  /// the program with a message naming it; use ``init(configuration:)`` to
  /// get a thrown error instead.
  public convenience init(maximumCount: Int? = nil, timeToLive: Duration? = nil) {
    self.init(validating: Configuration(maximumCount: maximumCount, timeToLive: timeToLive))
  }

  /// Creates a cache timed by `clock` (for example a ``ManualClock`` in tests).
  ///
  /// An invalid argument stops the program with a message naming it.
  public convenience init(maximumCount: Int? = nil, timeToLive: Duration? = nil, clock: some Clock<Duration>) {
    self.init(validating: Configuration(maximumCount: maximumCount, timeToLive: timeToLive, clock: clock))
  }

  private convenience init(validating configuration: Configuration) {
    do {
      try self.init(configuration: configuration)
    } catch {
      // fatalError keeps its message in optimised builds (a precondition's is dropped).
      fatalError("\(error)")
    }
  }

  deinit {
    core.close()
  }

  /// The value for `key`, or `nil` when it is absent or expired; assigning
  /// stores a value (with the cache's lifetime), assigning `nil` removes it.
  ///
  /// A read that finds the value counts as a use for the eviction policy and
  /// restarts its idle lifetime; it does not restart its time to live.
  @inlinable
  public subscript(key: Key) -> Value? {
    get { core.get(key) }
    set {
      if let newValue {
        _ = core.set(key, newValue, lifetime: core.lifetime(key, newValue, timeToLive: nil))
      } else {
        _ = core.remove(key)
      }
    }
  }

  /// The live value for `key`, or `nil`: the same as reading the subscript.
  @inlinable
  public func value(forKey key: Key) -> Value? {
    core.get(key)
  }

  /// Whether `key` has a live value. Does not count as a use and does not
  /// change the statistics (like `in` in Python).
  @inlinable
  public func contains(_ key: Key) -> Bool {
    core.withShard(for: key) { shard, hash, now in
      shard.pointee.peek(key, hash: hash, now: now) >= 0
    }
  }
}

extension Cache: CustomStringConvertible {
  public var description: String {
    var limits: [String] = []
    if let maximumCount = configuration.maximumCount { limits.append("maximumCount: \(maximumCount)") }
    if let maximumCost = configuration.maximumCost { limits.append("maximumCost: \(maximumCost)") }
    limits.append("freshness: \(configuration.freshness)")
    limits.append("policy: \(configuration.evictionPolicy)")
    return "Cache<\(Key.self), \(Value.self)>(count: \(count), \(limits.joined(separator: ", ")))"
  }
}
