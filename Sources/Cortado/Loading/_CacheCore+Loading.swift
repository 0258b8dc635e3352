// Async loading with single flight: concurrent loading reads of one key share
// one loader call, run in an unstructured `Task` that captures only this core
// (never the public `Cache`). Waiters suspend on continuations registered
// under the stripe lock; no loader ever runs while a lock is held.
//
// The rules that keep the documented promises (see `_Load` and `_LoadTask`):
// - only the key's current load may store, and a write or removal makes the
//   load in flight non-current (`_Shard.supersede`): newer writes win, and no
//   caller arriving after the write can join the older load;
// - an abandoned load (its last waiter was cancelled) stores nothing;
// - a caller counts in and out of a load under the stripe lock, so a load's
//   finish and its abandonment are ordered;
// - a caller never waits for a load its own task is running the loader of
//   (`_LoadChain`): it fails with `CacheLoadError.recursiveLoad` instead.

/// Load statistics, shared by every stripe (a batch load counts once).
@usableFromInline
final class _LoadStatistics: Sendable {
  @usableFromInline let successes = _AtomicInt64(0)
  @usableFromInline let failures = _AtomicInt64(0)
  @usableFromInline let nanoseconds = _AtomicInt64(0)

  @usableFromInline
  init() {}

  @usableFromInline
  func record(success: Bool, nanoseconds elapsed: Int64) {
    (success ? successes : failures).addRelaxed(1)
    nanoseconds.addRelaxed(elapsed)
  }

  @usableFromInline
  func reset() {
    successes.store(0)
    failures.store(0)
    nanoseconds.store(0)
  }
}

/// Every load task running, so that `shutdown()` can cancel and wait for
/// loads that are no longer current too (superseded or abandoned ones).
@usableFromInline
final class _RunningLoads: @unchecked Sendable {
  private let mutex = _Mutex()
  // Guarded by `mutex`.
  private var tasks: [ObjectIdentifier: _LoadTask] = [:]

  @usableFromInline
  init() {}

  @usableFromInline
  func insert(_ task: _LoadTask) {
    mutex.withLock { tasks[ObjectIdentifier(task)] = task }
  }

  @usableFromInline
  func remove(_ task: _LoadTask) {
    _ = mutex.withLock { tasks.removeValue(forKey: ObjectIdentifier(task)) }
  }

  @usableFromInline
  var all: [_LoadTask] {
    mutex.withLock { Array(tasks.values) }
  }
}

extension _CacheCore {
  /// `Cache.loadValue(forKey:using:)`.
  @inlinable
  func load(_ key: Key, loader: _Loader<Key, Value>) async throws -> Value {
    let hash = key.hashValue
    let stripe = stripe(for: hash)
    let now = readTime()
    let probe = locked(stripe) { shard in
      shard.pointee.loadingLookup(key, hash: UInt32(truncatingIfNeeded: hash), now: now)
    }
    switch probe {
    case .hit(let value, let refresh):
      if let refresh { startRefreshes([(key, hash, refresh)], loader: loader.forOneKey) }
      return value
    case .failure(let error):
      throw error
    case .miss:
      return try await awaitLoad(key, hash: hash, held: nil, loader: loader)
    }
  }

  /// `Cache.loadValues(forKeys:using:)`.
  @usableFromInline
  func loadBatch(_ keys: [Key], loader: _Loader<Key, Value>) async throws -> [Key: Value] {
    var result: [Key: Value] = [:]
    var waits: [(key: Key, hash: Int, held: _Load<Value>?)] = []
    var starts: [(key: Key, hash: Int, load: _Load<Value>)] = []
    var refreshes: [(key: Key, hash: Int, load: _Load<Value>)] = []
    // The batch caller holds one count on its own task for as long as it
    // runs: a caller of one of its keys that joins and is then cancelled
    // must not abandon the batch under the batch caller's feet.
    let batchTask = _LoadTask(waiters: 1)
    defer { releaseBatchCaller(batchTask) }
    var seen = Set<Key>()
    var failure: (any Error)?
    for key in keys where seen.insert(key).inserted {
      let hash = key.hashValue
      let stripe = stripe(for: hash)
      let now = readTime()
      locked(stripe) { shard in
        switch shard.pointee.loadingLookup(key, hash: UInt32(truncatingIfNeeded: hash), now: now) {
        case .hit(let value, let refresh):
          result[key] = value
          if let refresh { refreshes.append((key, hash, refresh)) }
        case .failure(let error):
          failure = failure ?? error
        case .miss:
          if let existing = shard.pointee.loads[key], existing.isJoinable {
            waits.append((key, hash, nil))
          } else {
            let load = _Load<Value>(task: batchTask, isRefresh: false)
            shard.pointee.loads[key] = load
            starts.append((key, hash, load))
            waits.append((key, hash, load))
          }
        }
      }
    }
    if !starts.isEmpty { startLoad(starts, loader: loader) }
    if !refreshes.isEmpty { startRefreshes(refreshes, loader: loader) }
    if let failure { throw failure }
    for wait in waits {
      do {
        result[wait.key] = try await awaitLoad(wait.key, hash: wait.hash, held: wait.held, loader: loader)
      } catch CacheLoadError.valueNotLoaded {
        continue  // the loader had no value for this key: it is absent from the result
      }
    }
    return result
  }

  /// Starts the refreshes that loading reads found due: through the
  /// cache-wide batcher if configured, otherwise with the reads' own loader,
  /// in calls of at most `maximumRefreshBatch` keys (Caffeine #1536: one call
  /// per key is what users of bulk loaders complain about).
  @usableFromInline
  func startRefreshes(_ items: [(key: Key, hash: Int, load: _Load<Value>)], loader: _Loader<Key, Value>) {
    guard let batcher = refreshBatcher else {
      var next = 0
      while next < items.count {
        let end = Swift.min(next + maximumRefreshBatch, items.count)
        startLoad(Array(items[next..<end]), loader: loader)
        next = end
      }
      return
    }
    let (batches, armTimer) = batcher.add(items)
    for batch in batches { startLoad(batch, loader: batcher.loader) }
    guard armTimer else { return }
    // The deadline is taken now, not when the timer's task first runs.
    let clock = self.clock
    let deadline = _saturatingAdd(clock.now(), batcher.delay._nanosecondsClamped)
    // Not inside the chain of whichever loader's read armed it: the batch
    // it starts belongs to many readers.
    let timer = _LoadChain.$current.withValue(nil) {
      Task { [weak self] in
        // Cancelled: the batch left another way (see `_RefreshBatcher`).
        guard (try? await clock.sleep(untilReading: deadline)) != nil else { return }
        self?.flushRefreshes()
      }
    }
    batcher.setTimer(timer)
  }

  /// Starts every refresh the batcher holds (its timer fired, or the cache
  /// shuts down).
  @usableFromInline
  func flushRefreshes() {
    guard let batcher = refreshBatcher else { return }
    let items = batcher.takeAll()
    if !items.isEmpty { startLoad(items, loader: batcher.loader) }
  }

  /// `Cache.refresh(forKey:using:)` and `Cache.refreshAll(_:using:)`: starts
  /// one background load of the keys that have none in flight, with one
  /// call of `loader`. Returns the keys it started.
  @usableFromInline
  func refresh(_ keys: [Key], loader: _Loader<Key, Value>) -> [Key] {
    let task = _LoadTask()
    var starts: [(key: Key, hash: Int, load: _Load<Value>)] = []
    var seen = Set<Key>()
    for key in keys where seen.insert(key).inserted {
      let hash = key.hashValue
      let now = readTime()
      let load = locked(stripe(for: hash)) { shard in
        shard.pointee.beginRefresh(key, hash: UInt32(truncatingIfNeeded: hash), task: task, now: now)
      }
      if let load { starts.append((key, hash, load)) }
    }
    if !starts.isEmpty { startLoad(starts, loader: loader) }
    return starts.map(\.key)
  }

  /// The batch caller is done (returned, threw or was cancelled): it counts
  /// out of its batch task, abandoning it if nobody else waits.
  @usableFromInline
  func releaseBatchCaller(_ task: _LoadTask) {
    if task.leave(isRefresh: false) { task.cancel() }
  }

  /// Waits for the load of `key`: `held` (a batch caller's own load), the
  /// current load, or a new one.
  @usableFromInline
  func awaitLoad(_ key: Key, hash: Int, held: _Load<Value>?, loader: _Loader<Key, Value>) async throws -> Value {
    let stripe = stripe(for: hash)
    let hash32 = UInt32(truncatingIfNeeded: hash)
    let waiter = UInt64(bitPattern: waiterIDs.add(1))
    let registration = _WaitRegistration<Value>()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
        let now = readTime()
        let decision: _WaitDecision<Value> = locked(stripe) { shard in
          if let held, let outcome = held.outcome { return .resume(outcome) }
          // A held load is waited for even after a write superseded it (the
          // batch caller began before the write); it is joinable only while
          // its task is not abandoned.
          let heldUsable = held.map { !$0.task.isAbandoned } ?? false
          if !heldUsable {
            // A value or a remembered failure may have arrived meanwhile.
            let slot = shard.pointee.peek(key, hash: hash32, now: now)
            if slot >= 0 { return .resume(.success(shard.pointee.pairs[Int(slot)].value)) }
            if let failure = shard.pointee.failures[key], failure.until > now {
              return .resume(.failure(failure.error))
            }
          }
          if Task.isCancelled { return .resume(.failure(CancellationError())) }
          var load = heldUsable ? held : shard.pointee.loads[key]
          if let candidate = load {
            if !heldUsable && !candidate.isJoinable {
              load = nil
            } else if _LoadChain.contains(candidate.task) {
              return .resume(.failure(CacheLoadError.recursiveLoad(key: "\(key)")))
            } else if !candidate.task.join() {
              load = nil  // abandoned by its last waiter: start afresh
            }
          }
          var start: _Load<Value>? = nil
          if load == nil {
            let fresh = _Load<Value>(task: _LoadTask(waiters: 1), isRefresh: false)
            shard.pointee.loads[key] = fresh
            load = fresh
            start = fresh
          }
          load!.waiters[waiter] = continuation
          registration.load = load
          return start.map { .start($0) } ?? .joined
        }
        switch decision {
        case .resume(let outcome):
          continuation.resume(with: outcome)
        case .start(let load):
          observer?(.started(key))
          startLoad([(key, hash, load)], loader: loader.forOneKey)
        case .joined:
          observer?(.joined(key))
        }
      }
    } onCancel: {
      let found: (continuation: CheckedContinuation<Value, any Error>, abandoned: _LoadTask?)? = locked(stripe) { _ in
        guard let load = registration.load, let continuation = load.waiters.removeValue(forKey: waiter) else {
          return nil
        }
        registration.load = nil
        // Counted out under the stripe lock, so that the load's finish (which
        // checks for abandonment under the same lock) is ordered with it.
        let abandoned = load.task.leave(isRefresh: load.isRefresh)
        return (continuation, abandoned ? load.task : nil)
      }
      if let found {
        found.abandoned?.cancel()
        observer?(.left(key, abandoned: found.abandoned != nil))
        found.continuation.resume(throwing: CancellationError())
      }
    }
  }

  /// Starts the task that runs `loader` for `items` (whose loads are already
  /// published) and finishes each load.
  @usableFromInline
  func startLoad(_ items: [(key: Key, hash: Int, load: _Load<Value>)], loader: _Loader<Key, Value>) {
    guard let owner = items.first?.load.task else { return }
    running.insert(owner)
    // The loader runs with its loads on the task-local chain, so that it
    // cannot wait for itself (see `_LoadChain`): every item's task, since a
    // batch of refreshes gathers loads made with tasks of their own.
    var chain = _LoadChain(task: owner, parent: _LoadChain.current)
    var chained: Set<ObjectIdentifier> = [ObjectIdentifier(owner)]
    for item in items where chained.insert(ObjectIdentifier(item.load.task)).inserted {
      chain = _LoadChain(task: item.load.task, parent: chain)
    }
    let task = Task { [self] in
      await _LoadChain.$current.withValue(chain) {
        await runLoader(items, loader: loader)
      }
      running.remove(owner)
    }
    owner.attach(task)
  }

  @usableFromInline
  func runLoader(_ items: [(key: Key, hash: Int, load: _Load<Value>)], loader: _Loader<Key, Value>) async {
    let start = clock.now()
    // The one loader call, its results as `CacheLoadResult`s.
    let results: Result<[Key: CacheLoadResult<Value>], any Error>
    do {
      switch loader {
      case .single(let load):
        results = .success([items[0].key: .cached(try await load(items[0].key))])
      case .singleResult(let load):
        results = .success([items[0].key: try await load(items[0].key)])
      case .batch(let load):
        results = .success(try await load(items.map(\.key)).mapValues { .cached($0) })
      case .batchResult(let load):
        results = .success(try await load(items.map(\.key)))
      }
    } catch {
      results = .failure(error)
    }
    loadStatistics.record(success: (try? results.get()) != nil, nanoseconds: clock.now() - start)
    for item in items {
      let result: Result<CacheLoadResult<Value>, any Error> = results.flatMap { values in
        values[item.key].map { .success($0) } ?? .failure(CacheLoadError.valueNotLoaded)
      }
      finish(item.key, hash: item.hash, load: item.load, result: result)
    }
  }

  /// Applies a load's result and resumes its waiters.
  @usableFromInline
  func finish(_ key: Key, hash: Int, load: _Load<Value>, result loaded: Result<CacheLoadResult<Value>, any Error>) {
    var cost = 1
    var lifetime = defaultLifetime
    var stores = true
    let result: Result<Value, any Error>
    switch loaded {
    case .success(.cached(let value, let freshness)):
      cost = self.cost(key, value)
      lifetime = freshness.map { self.lifetime($0) } ?? self.lifetime(key, value, timeToLive: nil)
      result = .success(value)
    case .success(.uncached(let value)):
      stores = false
      result = .success(value)
    case .failure(let error):
      result = .failure(error)
    }
    let stripe = stripe(for: hash)
    let now = clock.now()
    let (outcome, stored, waiters) = locked(stripe) { shard in
      let (outcome, stored) = shard.pointee.finishLoad(
        key, hash: UInt32(truncatingIfNeeded: hash), load: load, result: result, cost: cost, lifetime: lifetime,
        now: now, failureTimeToLive: failureTimeToLive, storing: stores && !isClosed)
      load.outcome = outcome
      let waiters = load.waiters
      load.waiters = [:]
      return (outcome, stored, waiters)
    }
    if case .failure(let error) = result, !(error is CancellationError), let onLoadFailure {
      onLoadFailure(key, error)
    }
    observer?(.finished(key, stored: stored))
    for continuation in waiters.values {
      continuation.resume(with: outcome)
    }
  }

  /// Every load task in flight, current or not (for `shutdown()` and `deinit`).
  @usableFromInline
  func inFlightLoadTasks() -> [_LoadTask] {
    running.all
  }

  /// Cancels every load and refresh in flight.
  @usableFromInline
  func cancelLoads() {
    for task in inFlightLoadTasks() { task.cancel() }
  }
}

/// What a waiting caller decided under the stripe lock.
@usableFromInline
enum _WaitDecision<Value: Sendable> {
  /// Resume at once with this outcome.
  case resume(Result<Value, any Error>)
  /// Start this new load (the caller is its first waiter).
  case start(_Load<Value>)
  /// Joined a load in flight.
  case joined
}
