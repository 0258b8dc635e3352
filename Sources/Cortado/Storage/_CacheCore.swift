/// The storage behind a ``Cache``: the stripes, the configuration in internal
/// units, the clock and the removal sink.
///
/// Kept apart from the public `Cache` object so that background work (the
/// sweeper, refresh tasks) can hold the storage without keeping the `Cache`
/// alive: when the last user drops the `Cache`, its `deinit` closes the core,
/// and everything working on it stops.
@usableFromInline
final class _CacheCore<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
  @usableFromInline let stripes: UnsafeMutablePointer<_Stripe<Key, Value>>
  @usableFromInline let stripeCount: Int
  /// `64 - log2(stripeCount)`: the stripe is chosen by the hash's high bits
  /// (the index uses the low bits).
  @usableFromInline let stripeShift: UInt64
  @usableFromInline let clock: CacheClock
  /// Nonzero once any entry may expire: only then do reads pay for the clock.
  @usableFromInline let readsClock: _AtomicInt64
  @usableFromInline let sink: _RemovalSink<Key, Value>
  @usableFromInline let costFunction: (@Sendable (Key, Value) -> Int)?
  @usableFromInline let defaultLifetime: _Lifetime
  /// The cache-wide `Freshness.jitter` in nanoseconds (0: none).
  @usableFromInline let defaultJitter: Int64
  /// The jitter generator: a seed (the policy's) and a counter of draws.
  @usableFromInline let jitterSeed: UInt64
  @usableFromInline let jitterDraws = _AtomicInt64(0)
  @usableFromInline let freshnessForEntry: (@Sendable (Key, Value) -> Freshness)?
  @usableFromInline let sweeps: Bool
  @usableFromInline let sweeperRegistered: _AtomicInt64
  @usableFromInline let closed: _AtomicInt64
  @usableFromInline let globalStamp: _AtomicInt64?
  @usableFromInline let waiterIDs = _AtomicInt64(0)
  @usableFromInline let loadStatistics = _LoadStatistics()
  @usableFromInline let failureTimeToLive: Int64
  /// `Configuration.maximumRefreshBatch`.
  @usableFromInline let maximumRefreshBatch: Int
  /// `Configuration.refreshBatching`, if set.
  @usableFromInline let refreshBatcher: _RefreshBatcher<Key, Value>?
  @usableFromInline let onLoadFailure: (@Sendable (Key, any Error) -> Void)?
  /// Every load task running (see `_RunningLoads`).
  @usableFromInline let running = _RunningLoads()
  /// Set when a sweep queued removals that nobody has delivered yet.
  @usableFromInline let removalsAwaitDelivery = _AtomicInt64(0)
  /// Sees the loading code's join, cancel and finish points (tests only).
  @usableFromInline let observer: (@Sendable (_LoadEvent<Key>) -> Void)?

  @usableFromInline
  init(configuration: Cache<Key, Value>.Configuration) {
    clock = configuration.clock
    sink = _RemovalSink(listener: configuration.onRemoval)
    costFunction = configuration.cost
    defaultLifetime = configuration.freshness._lifetime
    defaultJitter = configuration.freshness._jitterNanoseconds
    jitterSeed = _mix64(configuration.evictionPolicy._seed)
    freshnessForEntry = configuration.freshnessForEntry
    failureTimeToLive = configuration.freshness.failureTimeToLive.map { $0._nanosecondsClamped } ?? 0
    onLoadFailure = configuration.onLoadFailure
    maximumRefreshBatch = configuration.maximumRefreshBatch
    refreshBatcher = configuration.refreshBatching.map {
      _RefreshBatcher(loader: $0.loader, delay: $0.maximumDelay, limit: configuration.maximumRefreshBatch)
    }
    observer = configuration._loadObserver
    sweeps = configuration.sweepsExpiredEntries
    sweeperRegistered = _AtomicInt64(0)
    closed = _AtomicInt64(0)
    let expires = configuration.expiresUpFront
    readsClock = _AtomicInt64(expires ? 1 : 0)

    let count = configuration.resolvedStripeCount
    stripeCount = count
    stripeShift = UInt64(64 - count.trailingZeroBitCount)
    globalStamp = count > 1 ? _AtomicInt64(0) : nil

    let kind: _PolicyKind =
      configuration.maximumCount == nil && configuration.maximumCost == nil
      ? .none : configuration.evictionPolicy._kind
    let start = configuration.clock.now()
    stripes = .allocate(capacity: count)
    for index in 0..<count {
      let share = { (total: Int?) -> Int in
        guard let total else { return .max }
        return total / count + (index < total % count ? 1 : 0)
      }
      let settings = _ShardSettings(
        maximumCount: share(configuration.maximumCount),
        maximumCost: share(configuration.maximumCost.map { Swift.min($0, _ShardConstants.largestCostBudget) }),
        weighted: configuration.isWeighted,
        policy: kind,
        seed: configuration.evictionPolicy._seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15,
        expires: expires,
        freshnessInfo: configuration.freshness._lifetime.needsFreshnessInfo || configuration.freshnessForEntry != nil
      )
      (stripes + index).initialize(to: _Stripe(settings: settings, start: start, globalStamp: globalStamp, sink: sink))
    }
    if expires { registerWithSweeper() }
  }

  deinit {
    for index in 0..<stripeCount {
      stripes[index].destroy()
    }
    stripes.deinitialize(count: stripeCount)
    stripes.deallocate()
  }

  /// Marks the owning cache as gone and cancels its loads and refreshes.
  @usableFromInline
  func close() {
    closed.store(1)
    _ = refreshBatcher?.takeAll()  // disarms its timer: the refreshes it held are dropped with the cache
    cancelLoads()
  }

  // MARK: - Helpers

  @inlinable @inline(__always)
  func stripe(for hash: Int) -> _Stripe<Key, Value> {
    stripes[Int(truncatingIfNeeded: UInt64(bitPattern: Int64(hash)) >> stripeShift)]
  }

  /// The clock reading for a read: zero (unused) while nothing can expire.
  @inlinable @inline(__always)
  func readTime() -> Int64 {
    readsClock.relaxedValue != 0 ? clock.now() : 0
  }

  /// The one way to work on a stripe under its lock: runs `body` with the
  /// lock held, then, after unlocking, releases what the shard set aside
  /// (forgotten errors) and delivers queued removals to the listener. Every
  /// locked operation goes through here, so none can forget the second half.
  @inlinable @inline(__always)
  func locked<R>(_ stripe: _Stripe<Key, Value>, _ body: (UnsafeMutablePointer<_Shard<Key, Value>>) -> R) -> R {
    stripe.lock()
    let result = body(stripe.shard)
    if _slowPath(stripe.shard.pointee.recorded) {
      settleAndUnlock(stripe)
    } else {
      stripe.unlock()
    }
    return result
  }

  /// The slow half of `locked`: something was recorded.
  @usableFromInline
  func settleAndUnlock(_ stripe: _Stripe<Key, Value>) {
    var work = stripe.shard.pointee.takeWorkAfterUnlock()
    stripe.unlock()
    work.run()
    sink.drain()
  }

  /// The sweeper's variant of `locked`: the same, except that queued
  /// removals are left for `deliverRemovals()`, which the sweeper runs
  /// elsewhere so that one cache's slow listener never delays expiry in the
  /// others.
  @usableFromInline
  func lockedLeavingDelivery<R>(_ stripe: _Stripe<Key, Value>, _ body: (UnsafeMutablePointer<_Shard<Key, Value>>) -> R)
    -> R
  {
    stripe.lock()
    let result = body(stripe.shard)
    var work = _WorkAfterUnlock()
    if stripe.shard.pointee.recorded {
      work = stripe.shard.pointee.takeWorkAfterUnlock()
      removalsAwaitDelivery.store(1)
    }
    stripe.unlock()
    work.run()
    return result
  }

  /// The cost of a new entry, computed outside any lock.
  @inlinable
  func cost(_ key: Key, _ value: Value) -> Int {
    guard let costFunction else { return 1 }
    let cost = costFunction(key, value)
    if cost < 0 {
      fatalError("Cortado: the cost function returned \(cost) for key \(key); costs must not be negative")
    }
    return cost
  }

  /// The lifetime of a new entry, computed outside any lock.
  @inlinable
  func lifetime(_ key: Key, _ value: Value, timeToLive: Duration?) -> _Lifetime {
    var lifetime: _Lifetime
    var jitter = defaultJitter
    if let freshnessForEntry {
      let freshness = freshnessForEntry(key, value)
      lifetime = freshness._lifetime
      jitter = freshness._jitterNanoseconds
    } else {
      lifetime = defaultLifetime
    }
    if let timeToLive {
      lifetime.timeToLive = timeToLive._lifetimeNanoseconds
      jitter = 0  // an explicit time to live is exact
    }
    if jitter > 0 { addJitter(&lifetime, jitter) }
    if lifetime.expires && readsClock.relaxedValue == 0 { enableExpiry() }
    return lifetime
  }

  /// The lifetime `freshness` gives one write, jitter drawn, with expiry
  /// switched on if it needs it (`setValue(_:forKey:freshness:)` and
  /// keep-remaining writes).
  @inlinable
  func lifetime(_ freshness: Freshness) -> _Lifetime {
    var lifetime = freshness._lifetime
    let jitter = freshness._jitterNanoseconds
    if jitter > 0 { addJitter(&lifetime, jitter) }
    if lifetime.expires && readsClock.relaxedValue == 0 { enableExpiry() }
    return lifetime
  }

  /// Lengthens `lifetime` by one draw on [0, `jitter`) from the cache's
  /// generator: SplitMix64's mix of a seeded counter, so that concurrent
  /// writers draw without a lock and a single-threaded run (with
  /// `ManualClock`) is reproducible. Out of line: writes without jitter pay
  /// only the caller's compare.
  @usableFromInline @inline(never)
  func addJitter(_ lifetime: inout _Lifetime, _ jitter: Int64) {
    let draw = UInt64(bitPattern: jitterDraws.addRelaxed(1))
    let offset = _mix64(jitterSeed &+ draw &* 0x9E37_79B9_7F4A_7C15) % UInt64(jitter)
    lifetime.addJitter(Int64(offset))
  }

  /// Called the first time an entry gets a lifetime in a cache configured
  /// without one.
  @usableFromInline
  func enableExpiry() {
    readsClock.store(1)
    registerWithSweeper()
  }

  @usableFromInline
  func registerWithSweeper() {
    guard sweeps, sweeperRegistered.compareExchange(expected: 0, desired: 1) else { return }
    _Sweeper.shared.register(self)
  }

  // MARK: - Operations

  @inlinable
  func get(_ key: Key) -> Value? {
    let hash = key.hashValue
    let stripe = stripe(for: hash)
    let now = readTime()
    // A writer in the stripe is usually short: wait for it, spinning, a
    // couple of times before queueing on the lock.
    var attempts = 0
    lookup: while true {
      switch stripe.sharedLookup(key, hash: UInt32(truncatingIfNeeded: hash), now: now) {
      case .value(let value): return value
      case .miss: return nil
      case .exclusive: break lookup
      case .busy:
        attempts += 1
        if attempts > 2 || !stripe.awaitWriterExit() { break lookup }
      }
    }
    return locked(stripe) { shard in
      shard.pointee.lookup(key, hash: UInt32(truncatingIfNeeded: hash), now: now)
    }
  }

  @inlinable
  func set(_ key: Key, _ value: Value, lifetime: _Lifetime) -> CacheWriteResult<Value> {
    let cost = self.cost(key, value)
    let hash = key.hashValue
    let stripe = stripe(for: hash)
    let now = clock.now()
    return locked(stripe) { shard in
      shard.pointee.store(
        key, hash: UInt32(truncatingIfNeeded: hash), value: value, cost: cost, lifetime: lifetime, now: now)
    }
  }

  /// A write that keeps a live entry's remaining lifetime (`otherwise` for a
  /// key without one).
  @inlinable
  func setKeepingRemaining(_ key: Key, _ value: Value, otherwise: _Lifetime) -> CacheWriteResult<Value> {
    let cost = self.cost(key, value)
    let hash = key.hashValue
    let stripe = stripe(for: hash)
    let now = clock.now()
    return locked(stripe) { shard in
      shard.pointee.storeKeepingRemaining(
        key, hash: UInt32(truncatingIfNeeded: hash), value: value, cost: cost, lifetime: otherwise, now: now)
    }
  }

  @inlinable
  func remove(_ key: Key) -> Value? {
    let hash = key.hashValue
    let stripe = stripe(for: hash)
    let now = readTime()
    return locked(stripe) { shard in
      shard.pointee.remove(key, hash: UInt32(truncatingIfNeeded: hash), now: now)
    }
  }

  /// Runs `body` on the shard that holds `key`, with its lock held, then
  /// delivers any removals it queued.
  @inlinable
  func withShard<R>(for key: Key, _ body: (UnsafeMutablePointer<_Shard<Key, Value>>, UInt32, Int64) -> R) -> R {
    let hash = key.hashValue
    let stripe = stripe(for: hash)
    let now = readTime()
    return locked(stripe) { shard in body(shard, UInt32(truncatingIfNeeded: hash), now) }
  }

  /// Runs `body` on every shard in turn, each with its lock held.
  @usableFromInline
  func forEachShard(_ body: (UnsafeMutablePointer<_Shard<Key, Value>>, Int64) -> Void) {
    let now = clock.now()
    for index in 0..<stripeCount {
      locked(stripes[index]) { shard in body(shard, now) }
    }
  }
}

extension _CacheCore: _Sweepable {
  @usableFromInline
  var isClosed: Bool { closed.value != 0 }

  @usableFromInline
  func sweep(budgetPerStripe: Int) -> Bool {
    var more = false
    for index in 0..<stripeCount {
      if isClosed { return false }
      let stripe = stripes[index]
      let now = clock.now()
      let swept = lockedLeavingDelivery(stripe) { shard in shard.pointee.sweep(now: now, budget: budgetPerStripe) }
      if swept { more = true }
    }
    return more
  }

  @usableFromInline
  var hasRemovalsToDeliver: Bool { removalsAwaitDelivery.value != 0 }

  @usableFromInline
  func deliverRemovals() {
    removalsAwaitDelivery.store(0)
    sink.drain()
  }
}
