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
  /// Stores nothing (`maximumCount: 0`): used only for its single-flight,
  /// cancellation-correct `loadValue`, keyed by the full user key.
  let flights: Cache<String, Value>
  let state: LockedState<HybridState>
  /// The configured clock.
  let clock: CacheClock

  /// Creates a cache over `store` and starts consuming its invalidations.
  ///
  /// - Throws: ``HybridCacheConfigurationError`` naming the first invalid
  ///   field, or the field `namespace` when the store does not report
  ///   invalidations for this namespace (``RemoteCacheStore/trackedPrefixes``):
  ///   the cache would never hear of other instances' writes.
  public init(store: some RemoteCacheStore, configuration: HybridCacheConfiguration) throws(HybridCacheConfigurationError) {
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
    self.clock = CacheClock(configuration.clock)
    var localConfiguration = Cache<String, LocalEntry<Value>>.Configuration(maximumCount: configuration.localMaximumCount)
    localConfiguration.setClock(configuration.clock)
    do {
      local = try Cache(configuration: localConfiguration)
      var flightConfiguration = Cache<String, Value>.Configuration(maximumCount: 0)
      flightConfiguration._loadObserver = configuration._loadObserver
      flights = try Cache(configuration: flightConfiguration)
    } catch {
      throw HybridCacheConfigurationError(field: "localMaximumCount", message: "\(error)")
    }
    // Subscribe before reading the state and before anything can be cached:
    // a connect in between then still arrives as `.reconnected`, and no
    // invalidation is missed.
    let events = store.invalidations()
    state = LockedState(HybridState(
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
      defer { state.eventTask = nil; state.replayTask = nil }
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

  // MARK: Invalidation events

  func handle(_ event: RemoteCacheEvent) {
    switch event {
    case .keys(let keys):
      let prefix = keyPrefix.utf8
      let locals = keys.compactMap { key -> String? in
        guard key.utf8.starts(with: prefix) else { return nil }
        return String(decoding: key.utf8.dropFirst(prefix.count), as: UTF8.self)
      }
      state.withLock { state in
        state.statistics.invalidationEvents += 1
        state.statistics.invalidatedKeys += locals.count
        for key in locals { invalidateLocked(&state, key, keepFallback: true) }
      }
      // Loads that began before the change are not joined by later callers.
      // (A hashed key cannot be mapped back to its caller's key; its fill
      // still keeps nothing in memory.)
      for key in locals where !key.hasPrefix(HybridKey.hashedPrefix) { flights.removeValue(forKey: key) }
    case .all:
      state.withLock { state in
        state.statistics.invalidationEvents += 1
        state.epoch &+= 1
      }
    case .disconnected:
      state.withLock { state in
        state.statistics.invalidationEvents += 1
        state.epoch &+= 1
        state.reliable = false
      }
    case .reconnected:
      // Tracking is active again (the store's contract), so values read from
      // now on will be invalidated. The new epoch retires what was cached
      // while invalidations could have been lost, degraded fills included.
      state.withLock { state in
        state.statistics.invalidationEvents += 1
        state.epoch &+= 1
        state.reliable = !state.isShutDown
      }
      startReplay()
    }
  }

  /// Drops `key` from memory and stops any fill in flight from storing it.
  /// With `keepFallback`, an entry that has a fail-safe window stays as a
  /// stale fallback. Must be called with `state` locked.
  func invalidateLocked(_ state: inout HybridState, _ key: String, keepFallback: Bool) {
    retireFillsLocked(&state, key)
    guard let entry = local.entry(forKey: key) else { return }
    if keepFallback, entry.value.usableUntil > entry.value.freshUntil,
       let remaining = entry.remainingTimeToLive, remaining > .zero {
      var stale = entry.value
      stale.epoch = 0
      local.setValue(stale, forKey: key, timeToLive: remaining)
    } else {
      local.removeValue(forKey: key)
    }
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

  // MARK: Fills (the in-flight guard)

  /// Registers a fill of `key` and captures the epoch it reads in.
  func beginFill(_ key: HybridKey) -> FillTicket {
    state.withLock { state in
      state.fills[key.local, default: FillGuard()].active += 1
      let fill = state.fills[key.local]!
      return FillTicket(
        epoch: state.epoch, sequence: state.invalidationSequence, reliable: state.reliable,
        writesBegun: fill.writesBegun, writesInFlight: fill.localWrites)
    }
  }

  /// Ends a fill; stores `entry` in memory unless the key was invalidated
  /// since the fill began or this instance is writing it (the value then
  /// reaches only the fill's callers).
  func endFill(_ key: HybridKey, _ ticket: FillTicket, storing entry: LocalEntry<Value>?) {
    state.withLock { state in
      guard var fill = state.fills[key.local] else { return }
      let clean = ticket.mayStore && fill.invalidatedAt <= ticket.sequence && fill.localWrites == 0
      fill.active -= 1
      state.fills[key.local] = fill.isIdle ? nil : fill
      if clean, let entry { storeLocalLocked(entry, key: key) }
    }
  }

  /// Starts a write or removal of `key` by this instance. Must be called
  /// with `state` locked, together with the memory update.
  ///
  /// The store sends an instance no invalidation for its own writes
  /// (`NOLOOP`), so the fill guard needs this instead: a fill may read the
  /// store *before* the write reaches it, even when the fill began after the
  /// write updated memory, and must then not put that older value back in
  /// memory.
  func beginLocalWriteLocked(_ state: inout HybridState, _ key: String) {
    state.fills[key, default: FillGuard()].localWrites += 1
    state.fills[key]!.writesBegun &+= 1
  }

  /// Claims the right for a fill to write its loaded value to the store:
  /// granted only if no write, removal or invalidation of the key happened
  /// since the fill began (the newer state must win in the store too, not only
  /// in memory). A granted claim must be released with `endFillWrite`; a
  /// write or removal of the key by this instance waits for it
  /// (`awaitFillWrites`), so the store receives the fill's `SET` before the
  /// newer command, never after.
  func beginFillWrite(_ key: HybridKey, _ ticket: FillTicket) -> Bool {
    state.withLock { state in
      guard ticket.mayStore, var fill = state.fills[key.local], fill.invalidatedAt <= ticket.sequence,
            fill.localWrites == 0 else {
        return false
      }
      fill.remoteWrites += 1
      state.fills[key.local] = fill
      return true
    }
  }

  /// Releases a claim from `beginFillWrite` and wakes the writes waiting for it.
  func endFillWrite(_ key: HybridKey) {
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      guard var fill = state.fills[key.local] else { return [] }
      fill.remoteWrites -= 1
      var waiters: [CheckedContinuation<Void, Never>] = []
      if fill.remoteWrites == 0 { swap(&waiters, &fill.writeWaiters) }
      state.fills[key.local] = fill.isIdle ? nil : fill
      return waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Waits until no fill of `key` is writing to the store. Called by a write
  /// or removal of this instance after it registered (`beginLocalWriteLocked`),
  /// so no new fill write can start meanwhile. Bounded by the store's
  /// deadline on the fill's write.
  func awaitFillWrites(_ key: HybridKey) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let ready = state.withLock { state -> Bool in
        guard var fill = state.fills[key.local], fill.remoteWrites > 0 else { return true }
        fill.writeWaiters.append(continuation)
        state.fills[key.local] = fill
        return false
      }
      if ready { continuation.resume() }
    }
  }

  /// Waits until no write or removal of this instance holds the key, and
  /// returns the ticket a fill must use from then on.
  ///
  /// A load that *began while* a write was on its way (and before any later
  /// one) reads the store only after that write, as if it had begun after it,
  /// and may then store what it reads or loads: otherwise its value could
  /// reach its callers and then vanish, neither stored nor yet overwritten. A
  /// load that began *before* a write keeps its ticket: the write supersedes
  /// it, and it stores nothing.
  func awaitLocalWrites(_ key: HybridKey, renewing ticket: FillTicket) async -> FillTicket {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let ready = state.withLock { state -> Bool in
        guard var fill = state.fills[key.local], fill.writing else { return true }
        fill.fillsAwaitingWrites.append(continuation)
        state.fills[key.local] = fill
        return false
      }
      if ready { continuation.resume() }
    }
    return state.withLock { state in
      guard ticket.writesInFlight > 0, let fill = state.fills[key.local], fill.writesBegun == ticket.writesBegun else {
        return ticket
      }
      var renewed = FillTicket(
        epoch: state.epoch, sequence: state.invalidationSequence, reliable: state.reliable,
        writesBegun: fill.writesBegun, writesInFlight: 0)
      renewed.mayStore = ticket.mayStore
      return renewed
    }
  }

  /// Ends a write or removal of `key` by this instance (whether or not it
  /// reached the store): fills that began before now may have read the
  /// replaced value, so they do not store what they read.
  func endLocalWrite(_ key: HybridKey) {
    state.withLock { state in
      retireFillsLocked(&state, key.local)
      guard var fill = state.fills[key.local] else { return }
      fill.localWrites -= 1
      state.fills[key.local] = fill.isIdle ? nil : fill
    }
  }

  /// Fills of `key` in flight now will not store what they read. Must be
  /// called with `state` locked.
  func retireFillsLocked(_ state: inout HybridState, _ key: String) {
    state.invalidationSequence &+= 1
    if state.fills[key] != nil { state.fills[key]!.invalidatedAt = state.invalidationSequence }
  }

  // MARK: Store calls

  /// Calls the store, failing fast when it is not connected and enforcing
  /// ``HybridCacheConfiguration/remoteTimeout``. Counts skips and errors.
  func remote<T: Sendable>(_ operation: @escaping @Sendable (any RemoteCacheStore) async throws -> T) async throws -> T {
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

  init(reliable: Bool, queue: RecoveryQueue) {
    self.reliable = reliable
    self.queue = queue
  }
}

struct FillGuard: Sendable {
  /// Fills in flight.
  var active = 0
  /// Writes and removals by this instance in flight.
  var localWrites = 0
  /// Fills writing their loaded value to the store right now.
  var remoteWrites = 0
  /// Writes and removals of this instance waiting for those fill writes.
  var writeWaiters: [CheckedContinuation<Void, Never>] = []
  /// The invalidation sequence of the last invalidation of the key.
  var invalidatedAt: UInt64 = 0
  /// A write or removal of this instance holds the key's turn.
  var writing = false
  /// Writes and removals waiting for their turn, first come first served.
  var writeTurns: [CheckedContinuation<Void, Never>] = []
  /// Fills waiting for this instance's writes of the key to end.
  var fillsAwaitingWrites: [CheckedContinuation<Void, Never>] = []
  /// Writes and removals of this instance begun while this entry existed.
  var writesBegun: UInt64 = 0

  var isIdle: Bool {
    active == 0 && localWrites == 0 && remoteWrites == 0 && !writing && writeTurns.isEmpty
      && fillsAwaitingWrites.isEmpty
  }
}

struct FillTicket: Sendable {
  let epoch: UInt64
  let sequence: UInt64
  let reliable: Bool
  /// `FillGuard.writesBegun` and `.localWrites` when the ticket was taken.
  var writesBegun: UInt64 = 0
  var writesInFlight = 0
  /// False for a fill that could not adopt the ticket of the load it serves:
  /// it stores nothing, in memory or in the store.
  var mayStore = true
}

/// Who ends a loading caller's fill ticket: the fill that adopts it when the
/// caller's loader runs, or the caller itself when it did not (it joined a
/// fill in flight, or left before its fill's task started).
final class FillClaim: @unchecked Sendable {
  private let state = LockedState(0)  // 0 open, 1 adopted by the fill, 2 released by the caller

  /// The fill takes the ticket; false if the caller already released it.
  func adopt() -> Bool {
    state.withLock { state in
      guard state == 0 else { return false }
      state = 1
      return true
    }
  }

  /// The caller is done; true if it must end its ticket itself.
  func release() -> Bool {
    state.withLock { state in
      guard state == 0 else { return false }
      state = 2
      return true
    }
  }
}
