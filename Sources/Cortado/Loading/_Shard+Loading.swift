// Shard-side steps of loading reads: the lookup that may start a refresh or
// find a remembered failure, and the bookkeeping when a load finishes.

extension _Shard {
  /// A loading read: a live value (starting a background refresh if one is
  /// due), a remembered failure, or a miss.
  @inlinable
  mutating func loadingLookup(_ key: Key, hash: UInt32, now rawNow: Int64) -> _LoadProbe<Value> {
    if let value = lookup(key, hash: hash, now: rawNow) {
      guard let freshness else { return .hit(value, refresh: nil) }
      let slot = find(key, hash: hash)
      let now = clamped(rawNow)
      guard freshness[Int(slot)].refreshAt <= now,
        meta[Int(slot)].flags & _NodeFlag.refreshing == 0,
        loads[key].map({ !$0.isJoinable }) ?? true
      else { return .hit(value, refresh: nil) }
      meta[Int(slot)].flags |= _NodeFlag.refreshing
      let load = _Load<Value>(task: _LoadTask(), isRefresh: true)
      loads[key] = load
      counters.refreshes += 1
      return .hit(value, refresh: load)
    }
    if !failures.isEmpty, let failure = failures[key] {
      if failure.until > rawNow { return .failure(failure.error) }
      forgetFailure(key)
    }
    return .miss
  }

  /// Registers an explicit refresh of `key` (`Cache.refresh(forKey:using:)`)
  /// on `task`, unless a load of the key is already in flight (single
  /// flight: that load's value lands anyway). Readers keep the live value,
  /// if any, until the new one lands; callers that miss meanwhile join it.
  @inlinable
  mutating func beginRefresh(_ key: Key, hash: UInt32, task: _LoadTask, now: Int64) -> _Load<Value>? {
    // A load its last caller abandoned stores nothing: replace it.
    if let existing = loads[key], existing.isJoinable { return nil }
    let slot = peek(key, hash: hash, now: now)
    if slot >= 0 { meta[Int(slot)].flags |= _NodeFlag.refreshing }
    let load = _Load<Value>(task: task, isRefresh: true)
    loads[key] = load
    counters.refreshes += 1
    return load
  }

  /// A value kept for stale-if-error that may still be served at `now`: a
  /// stale entry before the end of its window, or an expired one not yet
  /// retired whose window is still open.
  @inlinable
  func staleValue(_ key: Key, hash: UInt32, now: Int64) -> Value? {
    let slot = find(key, hash: hash)
    guard slot >= 0 else { return nil }
    let deadline = meta[Int(slot)].deadline
    if meta[Int(slot)].flags & _NodeFlag.stale != 0 {
      return deadline > now ? pairs[Int(slot)].value : nil
    }
    guard deadline <= now, let freshness, freshness[Int(slot)].staleIfError > 0 else { return nil }
    return _Time.deadline(deadline, plus: freshness[Int(slot)].staleIfError) > now ? pairs[Int(slot)].value : nil
  }

  /// Applies a finished load and returns the outcome its waiters get, and
  /// whether its value was stored.
  ///
  /// - A value is stored only by the key's current load (not superseded by a
  ///   write or removal, not abandoned by its last waiter), and not while the
  ///   cache is closing; the waiters get it either way.
  /// - A failed load falls back to a stale value inside its stale-if-error
  ///   window, and is remembered for `failureTimeToLive` if configured.
  /// - A failed refresh leaves the entry as it is (it is still live).
  @usableFromInline
  mutating func finishLoad(
    _ key: Key, hash: UInt32, load: _Load<Value>, result: Result<Value, any Error>,
    cost: Int, lifetime: _Lifetime, now rawNow: Int64, failureTimeToLive: Int64, storing: Bool
  ) -> (outcome: Result<Value, any Error>, stored: Bool) {
    let current = loads[key] === load
    if current { loads[key] = nil }
    let keeps = storing && current && !load.superseded && !load.task.isAbandoned
    let now = timers == nil ? rawNow : clamped(rawNow)
    if load.isRefresh {
      let slot = find(key, hash: hash)
      if slot >= 0 { meta[Int(slot)].flags &= ~_NodeFlag.refreshing }
    }
    switch result {
    case .success:
      if keeps, case .success(let value) = result {
        _ = store(key, hash: hash, value: value, cost: cost, lifetime: lifetime, now: now)
        return (result, true)
      }
      return (result, false)
    case .failure(let error):
      if load.isRefresh { return (result, false) }
      if let stale = staleValue(key, hash: hash, now: now) {
        counters.staleServed += 1
        return (.success(stale), false)
      }
      if failureTimeToLive > 0 && keeps && !(error is CancellationError) {
        rememberFailure(error, forKey: key, until: _Time.deadline(now, plus: failureTimeToLive))
      }
      return (result, false)
    }
  }

  /// Remembers a loader's failure (negative caching), forgetting the one
  /// that expires first when the table is full. Errors that are forgotten
  /// are released after the lock is dropped (their `deinit` is user code).
  @usableFromInline
  mutating func rememberFailure(_ error: any Error, forKey key: Key, until: Int64) {
    if failures.count >= _Shard.failureLimit(maximumCount: settings.maximumCount),
      let oldest = failures.min(by: { $0.value.until < $1.value.until })
    {
      forgetFailure(oldest.key)
    }
    if let replaced = failures.updateValue((error, until), forKey: key) {
      discard(replaced.error)
    }
  }

  /// Forgets the remembered failure of `key`, if any.
  @inlinable
  mutating func forgetFailure(_ key: Key) {
    if !failures.isEmpty, let removed = failures.removeValue(forKey: key) {
      discard(removed.error)
    }
  }

  /// How many failures a stripe remembers at most: as many as it holds
  /// entries, but at least `minimumRememberedFailures` (a tiny cache may still
  /// see a burst of failing keys) and at most `maximumRememberedFailures`
  /// (finding the one to forget is a linear scan).
  @inlinable
  static func failureLimit(maximumCount: Int) -> Int {
    Swift.min(
      Swift.max(maximumCount, _ShardConstants.minimumRememberedFailures), _ShardConstants.maximumRememberedFailures)
  }
}
