// Async loading with single flight: concurrent loading reads of one key share
// one loader call, run in an unstructured `Task` that captures only this core
// (never the public `Cache`). Waiters suspend on continuations registered
// under the stripe lock; no loader ever runs while a lock is held.

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

extension _LoadTask {
  /// Counts a waiter in; false when the task was abandoned (start afresh).
  @usableFromInline
  func join() -> Bool {
    while true {
      let current = waiters.value
      if current < 0 { return false }
      if waiters.compareExchange(expected: current, desired: current + 1) { return true }
    }
  }

  /// Counts a cancelled waiter out; abandons the task when it was the last.
  @usableFromInline
  func leave(isRefresh: Bool) {
    let remaining = waiters.add(-1) - 1
    if remaining == 0 && !isRefresh && waiters.compareExchange(expected: 0, desired: -1) {
      abandon()
    }
  }
}

extension _CacheCore {
  /// `Cache.loadValue(forKey:using:)`.
  @inlinable
  func load(_ key: Key, loader: _Loader<Key, Value>) async throws -> Value {
    let hash = key.hashValue
    let stripe = stripe(for: hash)
    let now = readTime()
    stripe.lock()
    let probe = stripe.shard.pointee.loadingLookup(key, hash: UInt32(truncatingIfNeeded: hash), now: now)
    let drain = takeRecorded(stripe)
    stripe.unlock()
    if drain { sink.drain() }
    switch probe {
    case .hit(let value, let refresh):
      if let refresh { startLoad([(key, hash, refresh)], loader: .single(loader.forOneKey)) }
      return value
    case .failure(let error):
      throw error
    case .miss:
      return try await awaitLoad(key, hash: hash, held: nil, loader: loader)
    }
  }

  /// `Cache.loadValues(forKeys:using:)`.
  @usableFromInline
  func loadBatch(_ keys: [Key], loader: @escaping @Sendable ([Key]) async throws -> [Key: Value]) async throws -> [Key: Value] {
    var result: [Key: Value] = [:]
    var waits: [(key: Key, hash: Int, held: _Load<Value>?)] = []
    var starts: [(key: Key, hash: Int, load: _Load<Value>)] = []
    var refreshes: [(key: Key, hash: Int, load: _Load<Value>)] = []
    let batchTask = _LoadTask()
    var seen = Set<Key>()
    var failure: (any Error)?
    for key in keys where seen.insert(key).inserted {
      let hash = key.hashValue
      let stripe = stripe(for: hash)
      let now = readTime()
      stripe.lock()
      let shard = stripe.shard
      switch shard.pointee.loadingLookup(key, hash: UInt32(truncatingIfNeeded: hash), now: now) {
      case .hit(let value, let refresh):
        result[key] = value
        if let refresh { refreshes.append((key, hash, refresh)) }
      case .failure(let error):
        failure = failure ?? error
      case .miss:
        if let existing = shard.pointee.loads[key], !existing.task.isAbandoned {
          waits.append((key, hash, nil))
        } else {
          let load = _Load<Value>(task: batchTask, isRefresh: false)
          shard.pointee.loads[key] = load
          starts.append((key, hash, load))
          waits.append((key, hash, load))
        }
      }
      let drain = takeRecorded(stripe)
      stripe.unlock()
      if drain { sink.drain() }
    }
    if !starts.isEmpty { startLoad(starts, loader: .batch(loader)) }
    for refresh in refreshes {
      startLoad([refresh], loader: .single(_Loader<Key, Value>.batch(loader).forOneKey))
    }
    if let failure { throw failure }
    for wait in waits {
      do {
        result[wait.key] = try await awaitLoad(wait.key, hash: wait.hash, held: wait.held, loader: .batch(loader))
      } catch CacheLoadError.valueNotLoaded {
        continue  // the loader had no value for this key: it is absent from the result
      }
    }
    return result
  }

  /// Waits for the load of `key`: `held` (a batch caller's own load), the load
  /// in flight, or a new one.
  @usableFromInline
  func awaitLoad(_ key: Key, hash: Int, held: _Load<Value>?, loader: _Loader<Key, Value>) async throws -> Value {
    let stripe = stripe(for: hash)
    let hash32 = UInt32(truncatingIfNeeded: hash)
    let waiter = UInt64(bitPattern: waiterIDs.add(1))
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
        let shard = stripe.shard
        let now = readTime()
        stripe.lock()
        if let held, let outcome = held.outcome {
          stripe.unlock()
          continuation.resume(with: outcome)
          return
        }
        if held == nil {
          // A value or a remembered failure may have arrived meanwhile.
          let slot = shard.pointee.peek(key, hash: hash32, now: now)
          if slot >= 0 {
            let value = shard.pointee.pairs[Int(slot)].value
            let drain = takeRecorded(stripe)
            stripe.unlock()
            if drain { sink.drain() }
            continuation.resume(returning: value)
            return
          }
          if let failure = shard.pointee.failures[key], failure.until > now {
            stripe.unlock()
            continuation.resume(throwing: failure.error)
            return
          }
        }
        if Task.isCancelled {
          let drain = takeRecorded(stripe)
          stripe.unlock()
          if drain { sink.drain() }
          continuation.resume(throwing: CancellationError())
          return
        }
        var start: _Load<Value>? = nil
        var load = held ?? shard.pointee.loads[key]
        if let candidate = load, !candidate.task.join() {
          load = nil  // abandoned by its last waiter: start afresh
        }
        if load == nil {
          let fresh = _Load<Value>(task: _LoadTask(), isRefresh: false)
          _ = fresh.task.join()
          shard.pointee.loads[key] = fresh
          load = fresh
          start = fresh
        }
        load!.waiters[waiter] = continuation
        let drain = takeRecorded(stripe)
        stripe.unlock()
        if drain { sink.drain() }
        if let start { startLoad([(key, hash, start)], loader: .single(loader.forOneKey)) }
      }
    } onCancel: {
      let shard = stripe.shard
      stripe.lock()
      var found: (continuation: CheckedContinuation<Value, any Error>, load: _Load<Value>)?
      for load in [held, shard.pointee.loads[key]] {
        if let load, let continuation = load.waiters.removeValue(forKey: waiter) {
          found = (continuation, load)
          break
        }
      }
      stripe.unlock()
      if let found {
        found.load.task.leave(isRefresh: found.load.isRefresh)
        found.continuation.resume(throwing: CancellationError())
      }
    }
  }

  /// Starts the task that runs `loader` for `items` (whose loads are already
  /// published) and finishes each load.
  @usableFromInline
  func startLoad(_ items: [(key: Key, hash: Int, load: _Load<Value>)], loader: _Loader<Key, Value>) {
    guard let owner = items.first?.load.task else { return }
    let task = Task { [self] in
      let start = clock.now()
      switch loader {
      case .single(let load):
        let item = items[0]
        let result: Result<Value, any Error>
        do {
          result = .success(try await load(item.key))
        } catch {
          result = .failure(error)
        }
        loadStatistics.record(success: (try? result.get()) != nil, nanoseconds: clock.now() - start)
        finish(item.key, hash: item.hash, load: item.load, result: result)
      case .batch(let load):
        do {
          let values = try await load(items.map(\.key))
          loadStatistics.record(success: true, nanoseconds: clock.now() - start)
          for item in items {
            let result: Result<Value, any Error> = values[item.key].map { .success($0) } ?? .failure(CacheLoadError.valueNotLoaded)
            finish(item.key, hash: item.hash, load: item.load, result: result)
          }
        } catch {
          loadStatistics.record(success: false, nanoseconds: clock.now() - start)
          for item in items {
            finish(item.key, hash: item.hash, load: item.load, result: .failure(error))
          }
        }
      }
    }
    owner.attach(task)
  }

  /// Applies a load's result and resumes its waiters.
  @usableFromInline
  func finish(_ key: Key, hash: Int, load: _Load<Value>, result: Result<Value, any Error>) {
    var cost = 1
    var lifetime = defaultLifetime
    if case .success(let value) = result {
      cost = self.cost(key, value)
      lifetime = self.lifetime(key, value, timeToLive: nil)
    }
    let stripe = stripe(for: hash)
    let now = clock.now()
    stripe.lock()
    let outcome = stripe.shard.pointee.finishLoad(
      key, hash: UInt32(truncatingIfNeeded: hash), load: load, result: result, cost: cost, lifetime: lifetime,
      now: now, failureTimeToLive: failureTimeToLive, storing: !isClosed)
    load.outcome = outcome
    let waiters = load.waiters
    load.waiters = [:]
    let drain = takeRecorded(stripe)
    stripe.unlock()
    if drain { sink.drain() }
    if case .failure(let error) = result, !(error is CancellationError), let onLoadFailure {
      onLoadFailure(key, error)
    }
    for continuation in waiters.values {
      continuation.resume(with: outcome)
    }
  }

  /// Every load task in flight (for `shutdown()` and `deinit`).
  @usableFromInline
  func inFlightLoadTasks() -> [_LoadTask] {
    var tasks: [ObjectIdentifier: _LoadTask] = [:]
    for index in 0..<stripeCount {
      let stripe = stripes[index]
      stripe.lock()
      for load in stripe.shard.pointee.loads.values {
        tasks[ObjectIdentifier(load.task)] = load.task
      }
      stripe.unlock()
    }
    return Array(tasks.values)
  }

  /// Cancels every load and refresh in flight.
  @usableFromInline
  func cancelLoads() {
    for task in inFlightLoadTasks() { task.cancel() }
  }
}
