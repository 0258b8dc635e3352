import Cortado
import Foundation

/// A two-level cache: Cortado in memory (L1) in front of a shared byte store
/// (L2, such as Redis), with invalidation across instances.
///
/// ```swift
/// let store = InMemoryRemoteStore()                      // or the Redis store of CortadoRedis
/// let users = try HybridCache<User>(store: store, configuration: .init(namespace: "myapp:users"))
///
/// let user = try await users.loadValue(forKey: id) { id in try await database.user(id) }
/// try await users.setValue(updated, forKey: id)          // every other instance drops its copy
/// await users.removeValue(forKey: id)
/// ```
///
/// ## Reads
/// ``loadValue(forKey:options:using:)`` returns a fresh value from memory;
/// otherwise one caller per key and process (single flight) reads the store
/// and, on a miss, runs the loader and writes the result to both levels.
/// ``value(forKey:)`` reads memory, then the store, and never loads.
///
/// ## Invalidation
/// The cache consumes the store's ``RemoteCacheStore/invalidations()``:
/// - a key written, removed or expired by another client is dropped from
///   memory (kept only as a fail-safe fallback);
/// - a flush, a lost connection or lost events bump an **epoch** (O(1)):
///   every value in memory stops being served as fresh, and stays only as a
///   fail-safe fallback;
/// - while the store is disconnected, values are cached in memory for
///   ``HybridCacheConfiguration/degradedLocalTimeToLive`` only, and the
///   reconnect bumps the epoch again.
///
/// A fill that overlaps an invalidation of its key returns its value to its
/// callers but does not keep it in memory.
///
/// ## Failures
/// A store error or timeout is a miss; while the store is disconnected it is
/// not called at all. Writes and removals that cannot reach the store are
/// queued and replayed after the reconnect (writes as a compare-and-set that
/// cannot overwrite a newer value). See `docs/distributed.md` for the full
/// failure table and the consistency it promises.
///
/// ## Topics
/// ### Creating a cache
/// - ``init(store:configuration:)``
/// - ``HybridCacheConfiguration``
/// - ``HybridCacheOptions``
/// ### Reading
/// - ``loadValue(forKey:options:using:)``
/// - ``value(forKey:)``
/// - ``values(forKeys:)``
/// ### Writing
/// - ``setValue(_:forKey:options:)``
/// - ``removeValue(forKey:)``
/// - ``replayRecoveryQueue()``
/// ### Inspecting
/// - ``statistics``
/// - ``isDegraded``
/// - ``invalidationEpoch``
/// - ``pendingRecoveryCount``
/// - ``storageKey(forKey:)``
public final class HybridCache<Value: Codable & Sendable>: Sendable {
  /// The configuration the cache was created with.
  public let configuration: HybridCacheConfiguration

  /// The prefix of every key this cache uses in the store
  /// (``HybridCacheConfiguration/keyPrefix``).
  public let keyPrefix: String

  let store: any RemoteCacheStore
  /// L1, keyed by the key after the prefix (hashed when long).
  let local: Cache<String, LocalEntry<Value>>
  /// The fills in flight, keyed by the full user key.
  let flights: SingleFlight<FillOutcome<Value>>
  let state: LockedState<HybridState>
  /// The configured clock.
  let clock: CacheClock

  /// Creates a cache over `store` and starts consuming its invalidations.
  ///
  /// - Throws: ``HybridCacheConfigurationError`` naming the first invalid
  ///   field, or the field `namespace` when the store does not report
  ///   invalidations for this namespace (``RemoteCacheStore/trackedPrefixes``):
  ///   the cache would never hear of other instances' writes.
  public init(store: some RemoteCacheStore, configuration: HybridCacheConfiguration)
    throws(HybridCacheConfigurationError)
  {
    try configuration.validate()
    let tracked = store.trackedPrefixes
    guard configuration.isCovered(by: tracked) else {
      let listed = (tracked ?? []).map { "\"\($0)\"" }.joined(separator: ", ")
      throw HybridCacheConfigurationError(
        field: "namespace",
        message: "\"\(configuration.namespace)\" is not covered by the store's invalidations, "
          + "which cover only keys starting with [\(listed)]; this cache's keys start with "
          + "\"\(configuration.namespacePrefix)\": create the store for this namespace")
    }
    self.configuration = configuration
    self.keyPrefix = configuration.keyPrefix
    self.store = store
    self.clock = configuration.clock
    var localConfiguration = Cache<String, LocalEntry<Value>>.Configuration(
      maximumCount: configuration.localMaximumCount)
    localConfiguration.clock = configuration.clock
    do {
      local = try Cache(configuration: localConfiguration)
      flights = try SingleFlight(observer: configuration._loadObserver)
    } catch {
      throw HybridCacheConfigurationError(field: "localMaximumCount", message: "\(error)")
    }
    // Subscribe before reading the state and before anything can be cached:
    // a connect in between then still arrives as `.reconnected`, and no
    // invalidation is missed.
    let events = store.invalidations()
    state = LockedState(
      HybridState(
        reliable: store.state == .connected,
        queue: RecoveryQueue(capacity: configuration.recoveryQueueCapacity)
      ))
    let consumer = Task { [weak self] in
      for await event in events {
        guard let self else { return }
        self.handle(event)
      }
    }
    state.withLock { $0.eventTask = consumer }
  }

  deinit {
    let tasks = state.withLock { [$0.eventTask, $0.replayTask] }
    for task in tasks { task?.cancel() }
  }

  /// Stops consuming invalidations and replaying, cancels loads in flight,
  /// and waits for all of it.
  ///
  /// The cache stays usable but no longer hears about other instances'
  /// writes, so from then on it keeps values in memory for
  /// ``HybridCacheConfiguration/degradedLocalTimeToLive`` only.
  public func shutdown() async {
    let tasks = state.withLock { state -> [Task<Void, Never>?] in
      state.isShutDown = true
      state.reliable = false
      state.epoch &+= 1
      defer {
        state.eventTask = nil
        state.replayTask = nil
      }
      return [state.eventTask, state.replayTask]
    }
    for task in tasks { task?.cancel() }
    for task in tasks { await task?.value }
    await flights.shutdown()
  }

  // MARK: Inspecting

  /// The counters since the cache was created.
  public var statistics: HybridCacheStatistics {
    state.withLock { $0.statistics }
  }

  /// Whether invalidations are not known to be flowing (the store is not
  /// connected, or the cache was shut down): values are then cached in memory
  /// only for ``HybridCacheConfiguration/degradedLocalTimeToLive``.
  public var isDegraded: Bool {
    state.withLock { !$0.reliable }
  }

  /// The current epoch. It grows on every flush, lost connection, reconnect
  /// and lost invalidation; values cached in an earlier epoch are no longer
  /// fresh.
  public var invalidationEpoch: UInt64 {
    state.withLock { $0.epoch }
  }

  /// The number of writes and removals waiting for replay.
  public var pendingRecoveryCount: Int {
    state.withLock { $0.queue.count }
  }

  /// The store key for `key`: ``keyPrefix`` and the key, or a hash of it
  /// when it is longer than ``HybridCacheConfiguration/maximumKeyBytes``.
  public func storageKey(forKey key: String) -> String {
    keyPrefix + makeKey(key).local
  }

  // MARK: Keys and local entries

  /// The configured clock's reading, in nanoseconds.
  func now() -> Int64 { clock.now() }

  func makeKey(_ key: String) -> HybridKey {
    HybridKey(key, maximumBytes: configuration.maximumKeyBytes)
  }

  func remoteKey(_ key: HybridKey) -> String {
    keyPrefix + key.local
  }

  /// The value in memory if it is fresh in the current epoch.
  func freshLocal(_ key: HybridKey) -> Value? {
    guard let entry = local.value(forKey: key.local), entry.belongs(to: key), now() < entry.freshUntil else {
      return nil
    }
    return state.withLock { state in
      guard entry.epoch == state.epoch else { return nil }
      state.statistics.localHits += 1
      return entry.value
    }
  }

  /// The value in memory if it may still serve as a fail-safe fallback.
  func localFallback(_ key: HybridKey) -> Fallback<Value>? {
    guard let entry = local.entry(forKey: key.local)?.value, entry.belongs(to: key), now() < entry.usableUntil else {
      return nil
    }
    return Fallback(value: entry.value, usableUntil: entry.usableUntil)
  }

  /// The memory entry for a value that is fresh for `freshFor` and usable as
  /// a fallback for `usableFor` (nanoseconds from `time`).
  func localEntry(
    _ value: Value, key: HybridKey, epoch: UInt64, reliable: Bool, time: Int64,
    freshFor: Int64, usableFor: Int64, options: HybridCacheOptions
  ) -> LocalEntry<Value> {
    var fresh = min((options.localTimeToLive ?? options.timeToLive)._nanosecondsClamped, freshFor)
    if !reliable { fresh = min(fresh, configuration.degradedLocalTimeToLive._nanosecondsClamped) }
    let freshUntil = _saturatingAdd(time, max(fresh, 0))
    return LocalEntry(
      value: value,
      epoch: epoch,
      freshUntil: freshUntil,
      usableUntil: max(freshUntil, _saturatingAdd(time, usableFor)),
      fullKey: key.isHashed ? key.user : nil
    )
  }

  /// Puts `entry` in memory for as long as it is usable. Called with `state`
  /// locked, so that it is ordered with invalidations.
  func storeLocalLocked(_ entry: LocalEntry<Value>, key: HybridKey) {
    let remaining = entry.usableUntil - now()
    if remaining > 0 {
      local.setValue(entry, forKey: key.local, timeToLive: .nanoseconds(remaining))
    } else {
      local.removeValue(forKey: key.local)
    }
  }

  // MARK: Store calls

  /// Calls the store, failing fast when it is not connected and enforcing
  /// ``HybridCacheConfiguration/remoteTimeout``. Counts skips and errors.
  func remote<T: Sendable>(_ operation: @escaping @Sendable (any RemoteCacheStore) async throws -> T) async throws -> T
  {
    let store = self.store
    guard store.state == .connected else {
      state.withLock { $0.statistics.remoteSkips += 1 }
      throw HybridRemoteError.unavailable
    }
    do {
      if let timeout = configuration.remoteTimeout {
        return try await hybridWithDeadline(timeout) { try await operation(store) }
      }
      return try await operation(store)
    } catch {
      state.withLock { $0.statistics.remoteErrors += 1 }
      throw error
    }
  }

  /// The wall clock in Unix milliseconds.
  func wallMilliseconds() -> Int64 {
    let milliseconds = (configuration.currentDate().timeIntervalSince1970 * 1_000).rounded(.down)
    guard milliseconds.isFinite else { return 0 }
    return Int64(max(min(milliseconds, 9.0e18), -9.0e18))
  }
}

/// What a ``HybridCache`` keeps in memory for a key.
struct LocalEntry<Value: Sendable>: Sendable {
  var value: Value
  /// The epoch the value was cached in; 0 when invalidated.
  var epoch: UInt64
  /// Served as fresh before this instant (the cache's clock, nanoseconds).
  var freshUntil: Int64
  /// Usable as a fail-safe fallback before this instant.
  var usableUntil: Int64
  /// The full key when the memory key is a hash of it.
  var fullKey: String?

  func belongs(to key: HybridKey) -> Bool {
    guard key.isHashed else { return fullKey == nil }
    return fullKey.map { $0.utf8.elementsEqual(key.user.utf8) } ?? false
  }
}

/// A stale value that may be served when the loader fails.
struct Fallback<Value: Sendable>: Sendable {
  var value: Value
  var usableUntil: Int64
}

/// The mutable state of a ``HybridCache``, behind one lock.
/// The seed of every `HybridCache`'s jitter generator (any constant would
/// do: the draws only need to be spread, not secret).
let _hybridJitterSeed: UInt64 = 0x4A17_7E55_EED0_0001

struct HybridState: Sendable {
  /// Starts at 1: 0 marks an invalidated entry.
  var epoch: UInt64 = 1
  /// Whether invalidations are known to be flowing.
  var reliable: Bool
  var isShutDown = false
  /// Grows with every per-key invalidation.
  var invalidationSequence: UInt64 = 0
  /// Fills and local writes in flight, by memory key.
  var fills: [String: FillGuard] = [:]
  var queue: RecoveryQueue
  var statistics = HybridCacheStatistics()
  var eventTask: Task<Void, Never>?
  var replayTask: Task<Void, Never>?
  /// Something asked for a replay while one was running: it runs one more pass.
  var replayRequested = false
  /// Draws `HybridCacheOptions.jitter`; a fixed seed, so that tests with a
  /// manual clock are reproducible.
  var jitter = _SplitMix64(seed: _hybridJitterSeed)

  init(reliable: Bool, queue: RecoveryQueue) {
    self.reliable = reliable
    self.queue = queue
  }
}
