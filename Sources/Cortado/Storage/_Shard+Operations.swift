// The operations a stripe performs under its lock. None of them calls user
// code; removed keys and values go to the removal sink, to be released and
// reported after the lock is dropped.
//
// Lifetimes: an entry past its deadline is *expired*. Normally it is removed
// (reported `.expired`) as soon as an operation meets it or the wheel reaches
// it. An entry with a stale-if-error window is instead kept *stale* until the
// window ends: plain reads, `count`, `snapshot()` and `contains` treat it as
// gone, but a loading read whose reload fails may still return it. It leaves
// the policy (it can never be a hit again), is evicted before any live entry,
// and is reported `.expired` when it is finally removed.

extension _Shard {
  // MARK: - Removal plumbing

  /// Unlinks `slot` from every structure and returns its key and value;
  /// `evicted` tells the policy the entry leaves to make room.
  @inlinable
  mutating func detach(_ slot: Int32, evicted: Bool = false) -> _Pair<Key, Value> {
    indexRemove(slot)
    policyRemove(slot, evicted: evicted)
    if timers != nil { timerUnlink(_Shard.link(slot)) }
    if let costs { totalCost.subtract(costs[Int(slot)]) }
    if meta[Int(slot)].flags & _NodeFlag.stale != 0 { staleCount -= 1 }
    count -= 1
    let pair = pairs.pointer(Int(slot)).move()
    releaseSlot(slot)
    return pair
  }

  /// Hands a removed pair to the sink (or drops it in place when nothing
  /// needs to see or release it).
  @inlinable
  mutating func record(_ pair: consuming _Pair<Key, Value>, _ reason: RemovalReason) {
    if sink.dropsInPlace { return }
    sink.enqueue(_Removal(key: pair.key, value: pair.value, reason: reason))
    recorded = true
  }

  /// Removes `slot` because of `reason`, counting it.
  @inlinable
  mutating func evict(_ slot: Int32, reason: RemovalReason, now: Int64) {
    let cost = self.cost(of: slot)
    let pair = detach(slot, evicted: reason == .evicted)
    switch reason {
    case .expired:
      counters.expirations += 1
    case .evicted:
      counters.evictions += 1
      counters.evictedCost = _saturatingAdd(counters.evictedCost, cost)
    case .removed:
      counters.removals += 1
    case .replaced, .rejected:
      break
    }
    record(pair, reason)
  }

  /// Deals with an entry found past its deadline: keeps it stale if it has a
  /// stale-if-error window left, removes it otherwise.
  @inlinable
  mutating func retire(_ slot: Int32, now: Int64) {
    if meta[Int(slot)].flags & _NodeFlag.stale == 0, let freshness, freshness[Int(slot)].staleIfError > 0 {
      let end = _Time.deadline(meta[Int(slot)].deadline, plus: freshness[Int(slot)].staleIfError)
      if end > now {
        makeStale(slot, until: end)
        return
      }
    }
    evict(slot, reason: .expired, now: now)
  }

  /// Moves an expired entry to the stale list until `end`.
  @inlinable
  mutating func makeStale(_ slot: Int32, until end: Int64) {
    policyRemove(slot)
    let link = _Shard.link(slot)
    timerUnlink(link)
    meta[Int(slot)].flags = (meta[Int(slot)].flags & ~_NodeFlag.refreshing) | _NodeFlag.stale
    staleCount += 1
    listAppend(_List.stale, slot)
    meta[Int(slot)].deadline = end
    timerAppend(link, to: wheelBucket(for: end))
  }

  /// Whether the shard is over its count or cost budget.
  @inlinable @inline(__always)
  var isOverBudget: Bool {
    count > settings.maximumCount || totalCost.exceeds(settings.maximumCost)
  }

  /// Deals with up to `budget` entries on the due list (expired, or stale at
  /// the end of their window).
  @inlinable @discardableResult
  mutating func reclaimExpired(budget: Int, now: Int64) -> Int {
    var handled = 0
    while handled < budget {
      let slot = firstDue()
      if slot < 0 { break }
      retire(slot, now: now)
      handled += 1
    }
    return handled
  }

  /// Removes one entry that is not live (expired or stale), if any; true if
  /// it freed room.
  @inlinable
  mutating func removeOneUnavailable(now: Int64) -> Bool {
    while hasDue {
      let before = count
      reclaimExpired(budget: 1, now: now)
      if count < before { return true }
    }
    let stale = listHeads[_List.stale]
    if stale >= 0 {
      evict(stale, reason: .expired, now: now)
      return true
    }
    return false
  }

  /// The wheel never runs backwards: a reading taken before the lock may be
  /// older than one another thread already applied.
  @inlinable @inline(__always)
  func clamped(_ now: Int64) -> Int64 {
    Swift.max(now, wheelTime)
  }

  /// Forgets in-flight work on `key` that a write or removal makes outdated:
  /// the computation or load in flight will not store its result, and callers
  /// arriving from now on do not join it (they start their own).
  @inlinable @inline(__always)
  mutating func supersede(_ key: Key) {
    if !pending.isEmpty { pending.removeValue(forKey: key) }
    if !loads.isEmpty, let load = loads.removeValue(forKey: key) { load.superseded = true }
    forgetFailure(key)
  }

  /// Keeps `error` until the stripe's lock is dropped: releasing it may run
  /// user code (its `deinit`), which must never run under the lock.
  @inlinable
  mutating func discard(_ error: any Error) {
    garbage.append(error)
    recorded = true
  }

  // MARK: - Reading

  /// A read that counts as a use: returns the live value or nil, updating the
  /// policy, the idle deadline and the statistics.
  @inlinable
  mutating func lookup(_ key: Key, hash: UInt32, now rawNow: Int64) -> Value? {
    let slot = find(key, hash: hash)
    guard timers != nil else {
      if slot < 0 {
        missCount += 1
        return nil
      }
      policyAccess(slot)
      hitCount += 1
      return pairs[Int(slot)].value
    }
    let now = clamped(rawNow)
    tickWheel(now: now)
    if slot < 0 {
      missCount += 1
      reclaimExpired(budget: _ShardConstants.reclaimPerOperation, now: now)
      return nil
    }
    if isUnavailable(slot, now: now) {
      missCount += 1
      if meta[Int(slot)].flags & _NodeFlag.stale == 0 { retire(slot, now: now) }
      reclaimExpired(budget: _ShardConstants.reclaimPerOperation, now: now)
      return nil
    }
    if let freshness, freshness[Int(slot)].idle > 0 {
      slideIdleDeadline(slot, now: now)
    }
    policyAccess(slot)
    hitCount += 1
    let value = pairs[Int(slot)].value
    // A hit that had to take the lock reclaims too: shared reads take the
    // lock while anything is due, so this is what turns them lock-free again.
    if hasDue { reclaimExpired(budget: _ShardConstants.reclaimPerOperation, now: now) }
    return value
  }

  /// Moves an entry's idle deadline after a use.
  @inlinable
  mutating func slideIdleDeadline(_ slot: Int32, now: Int64) {
    let info = freshness![Int(slot)]
    let deadline = Swift.min(info.hardDeadline, _Time.deadline(now, plus: info.idle))
    if deadline != self.deadline(of: slot) {
      setDeadline(slot, deadline)
    }
  }

  /// A quiet read for `entry(forKey:)` and `contains`: no policy update, no
  /// statistics, no idle slide. Returns the slot of a live entry, or -1.
  @inlinable
  mutating func peek(_ key: Key, hash: UInt32, now rawNow: Int64) -> Int32 {
    let slot = find(key, hash: hash)
    if slot < 0 || timers == nil { return slot }
    let now = clamped(rawNow)
    if isUnavailable(slot, now: now) {
      if meta[Int(slot)].flags & _NodeFlag.stale == 0 { retire(slot, now: now) }
      return -1
    }
    return slot
  }

  /// The key's live value and write stamp, read as `peek` reads (no use, no
  /// statistics): what the compute family works on.
  @inlinable
  mutating func quietEntry(_ key: Key, hash: UInt32, now: Int64) -> _QuietEntry<Value>? {
    let slot = peek(key, hash: hash, now: now)
    guard slot >= 0 else { return nil }
    return _QuietEntry(value: pairs[Int(slot)].value, stamp: history[Int(slot)].stamp)
  }

  /// The public view of an occupied slot.
  @inlinable
  func entry(_ slot: Int32, now: Int64) -> CacheEntry<Key, Value> {
    let deadline = self.deadline(of: slot)
    return CacheEntry(
      key: pairs[Int(slot)].key,
      value: pairs[Int(slot)].value,
      age: .nanoseconds(Swift.max(0, now - history[Int(slot)].writeTime)),
      remainingTimeToLive: deadline == _Time.never ? nil : .nanoseconds(deadline - now),
      cost: cost(of: slot)
    )
  }

  // MARK: - Writing

  /// Stores `value` under `key` (inserting or replacing), then restores the
  /// bounds.
  @inlinable
  mutating func store(
    _ key: Key, hash: UInt32, value: Value, cost: Int, lifetime: _Lifetime, now rawNow: Int64
  ) -> CacheWriteResult<Value> {
    if lifetime.expires && timers == nil { enableTimers() }
    if lifetime.needsFreshnessInfo && freshness == nil { enableFreshnessInfo() }
    let now = timers == nil ? rawNow : clamped(rawNow)
    tickWheel(now: now)
    supersede(key)
    // Writes reclaim expired entries too, so that a write-only workload with
    // the sweeper off does not keep them (before the lookup: the key's own
    // expired entry may be among them).
    if hasDue { reclaimExpired(budget: _ShardConstants.reclaimPerOperation, now: now) }

    var existing = find(key, hash: hash)
    if existing >= 0 && isUnavailable(existing, now: now) {
      evict(existing, reason: .expired, now: now)
      existing = -1
    }

    // Values that cannot be stored: the old value goes too, never left stale.
    let rejection: CacheWriteResult<Value>.Rejection?
    if let invalid = lifetime.invalid {
      rejection = .invalidFreshness(invalid)
    } else if settings.maximumCount == 0 {
      rejection = .zeroCapacity
    } else if cost > settings.maximumCost {
      rejection = .tooCostly
    } else if lifetime.isExpiredOnArrival {
      rejection = .alreadyExpired
    } else {
      rejection = nil
    }
    if let rejection {
      var previous: Value? = nil
      if existing >= 0 {
        let old = detach(existing)
        previous = old.value
        counters.replacements += 1
        record(old, .replaced)
      }
      if rejection == .alreadyExpired {
        counters.expirations += 1
        record(_Pair(key: key, value: value), .expired)
      } else {
        counters.rejections += 1
        record(_Pair(key: key, value: value), .rejected)
      }
      return .rejected(reason: rejection, previous: previous)
    }

    if existing >= 0 {
      history[Int(existing)] = _History(writeTime: now, stamp: nextStamp())
      applyLifetime(existing, lifetime, now: now)
      return replaceValue(existing, value, cost: cost, now: now)
    }

    if evictsBeforeInsert
      && (count + 1 > settings.maximumCount || totalCost.exceeds(settings.maximumCost, adding: cost))
    {
      makeRoom(forCost: cost, now: now)
    }
    let slot = allocateSlot()
    pairs.pointer(Int(slot)).initialize(to: _Pair(key: key, value: value))
    meta[Int(slot)] = _Meta()
    links[Int(slot)] = _Links()
    meta[Int(slot)].hash = hash
    meta[Int(slot)].flags = _NodeFlag.occupied
    history[Int(slot)] = _History(writeTime: now, stamp: nextStamp())
    if let timers {
      timers[_Shard.link(slot)] = _TimerLink(prev: -1, next: -1)
    }
    if let freshness { freshness[Int(slot)] = _FreshnessInfo() }
    if let costs {
      costs[Int(slot)] = cost
      totalCost.add(cost)
    }
    indexInsert(slot)
    count += 1
    applyLifetime(slot, lifetime, now: now)
    policyInsert(slot)
    counters.insertions += 1
    if !evictsBeforeInsert { restoreBudget(now: now) }
    return .inserted
  }

  /// Replaces the value of the live entry in `existing` (its history and
  /// deadlines already set by the caller), then restores the bounds.
  /// Always inlined: as a call it cost `store` about 30 instructions per
  /// write (callgrind, 2026-12-07).
  @inlinable @inline(__always)
  mutating func replaceValue(_ existing: Int32, _ value: Value, cost: Int, now: Int64) -> CacheWriteResult<Value> {
    let slot = Int(existing)
    let old = pairs[slot].value
    pairs[slot].value = value
    record(_Pair(key: pairs[slot].key, value: old), .replaced)
    if let costs {
      let oldCost = costs[slot]
      costs[slot] = cost
      totalCost.subtract(oldCost)
      totalCost.add(cost)
      policyCostChanged(existing, from: oldCost, to: cost)
    }
    meta[slot].flags &= ~_NodeFlag.refreshing
    policyUpdate(existing)
    counters.replacements += 1
    if isOverBudget { restoreBudget(now: now) }
    return .replaced(previous: old)
  }

  /// Stores `value` under `key`; a live entry keeps its deadlines, refresh
  /// time and age (only its value, cost and write stamp change), and a key
  /// without one is stored with `lifetime`.
  @inlinable
  mutating func storeKeepingRemaining(
    _ key: Key, hash: UInt32, value: Value, cost: Int, lifetime: _Lifetime, now rawNow: Int64
  ) -> CacheWriteResult<Value> {
    let existing = peek(key, hash: hash, now: rawNow)
    // No live entry, or a write that must be rejected (an invalid fallback
    // lifetime, or a value that cannot be stored at all): a plain write,
    // which rejects it and removes the old value.
    guard existing >= 0, lifetime.invalid == nil, settings.maximumCount > 0, cost <= settings.maximumCost else {
      let applies = existing < 0 || lifetime.invalid != nil
      return store(key, hash: hash, value: value, cost: cost, lifetime: applies ? lifetime : .never, now: rawNow)
    }
    let now = timers == nil ? rawNow : clamped(rawNow)
    tickWheel(now: now)
    supersede(key)
    history[Int(existing)].stamp = nextStamp()
    return replaceValue(existing, value, cost: cost, now: now)
  }

  /// Sets an entry's deadlines from its lifetime, relative to `now`.
  @inlinable
  mutating func applyLifetime(_ slot: Int32, _ lifetime: _Lifetime, now: Int64) {
    guard timers != nil else { return }
    let hard = _Time.deadline(now, plus: lifetime.timeToLive)
    var effective = hard
    if lifetime.idle > 0 {
      effective = Swift.min(hard, _Time.deadline(now, plus: lifetime.idle))
    }
    if let freshness {
      freshness[Int(slot)] = _FreshnessInfo(
        hardDeadline: hard,
        idle: lifetime.idle,
        refreshAt: _Time.deadline(now, plus: lifetime.refresh),
        staleIfError: lifetime.staleIfError
      )
    }
    setDeadline(slot, effective)
  }

  /// Frees room for a new entry of `cost` before it is stored (policies that
  /// evict before inserting): expired and stale entries first, then the
  /// policy's victims.
  @inlinable
  mutating func makeRoom(forCost cost: Int, now: Int64) {
    advanceWheel(to: now)
    while count > 0 && (count + 1 > settings.maximumCount || totalCost.exceeds(settings.maximumCost, adding: cost)) {
      if removeOneUnavailable(now: now) { continue }
      let victim = classicVictim()
      if victim < 0 { break }
      evict(victim, reason: .evicted, now: now)
    }
  }

  /// Brings the shard back within its budget after an insertion (W-TinyLFU)
  /// or a costlier update: expired and stale entries go first.
  @inlinable
  mutating func restoreBudget(now: Int64) {
    if isOverBudget && timers != nil {
      advanceWheel(to: now)
      while isOverBudget && removeOneUnavailable(now: now) {}
    }
    if settings.policy == .windowTinyLFU {
      tinyLFUEvict(now: now)
    } else {
      while isOverBudget {
        let victim = classicVictim()
        if victim < 0 { break }
        evict(victim, reason: .evicted, now: now)
      }
    }
  }

  // MARK: - Removing

  /// Removes `key`; returns its live value (an expired or stale one is
  /// removed as expired and not returned).
  @inlinable
  mutating func remove(_ key: Key, hash: UInt32, now rawNow: Int64) -> Value? {
    supersede(key)
    let now = timers == nil ? rawNow : clamped(rawNow)
    if timers != nil {
      tickWheel(now: now)
      if hasDue { reclaimExpired(budget: _ShardConstants.reclaimPerOperation, now: now) }
    }
    let slot = find(key, hash: hash)
    guard slot >= 0 else { return nil }
    if isUnavailable(slot, now: now) {
      evict(slot, reason: .expired, now: now)
      return nil
    }
    let pair = detach(slot)
    counters.removals += 1
    let value = pair.value
    record(pair, .removed)
    return value
  }

  /// Removes `key` only if it still holds the write with `stamp`.
  @inlinable
  mutating func remove(_ key: Key, hash: UInt32, ifStamp stamp: UInt64, now: Int64) -> Bool {
    let slot = find(key, hash: hash)
    guard slot >= 0, history[Int(slot)].stamp == stamp else { return false }
    supersede(key)
    if isUnavailable(slot, now: clamped(now)) {
      evict(slot, reason: .expired, now: now)
      return false
    }
    evict(slot, reason: .removed, now: now)
    return true
  }

  /// Removes every entry, reporting each live one as removed (stale ones as
  /// expired).
  @usableFromInline
  mutating func removeAll() {
    pending.removeAll()
    for load in loads.values { load.superseded = true }
    loads.removeAll()
    for failure in failures.values { discard(failure.error) }
    failures.removeAll()
    for slot in 0..<fresh where meta[slot].flags & _NodeFlag.occupied != 0 {
      let stale = meta[slot].flags & _NodeFlag.stale != 0
      let pair = pairs.pointer(slot).move()
      meta[slot].flags = 0
      if stale {
        counters.expirations += 1
      } else {
        counters.removals += 1
      }
      record(pair, stale ? .expired : .removed)
    }
    fresh = 0
    freeHead = -1
    count = 0
    totalCost = _CostTotal()
    staleCount = 0
    resetIndex()
    listHeads = SIMD4(repeating: -1)
    listTails = SIMD4(repeating: -1)
    listWeights = .zero
    lfu.removeAll()
    sizer.shadow.cacheEmptied()
    randomSlots.removeAll(keepingCapacity: true)
    if let timers {
      for id in 0..<_Wheel.sentinelCount {
        timers[id] = _TimerLink(prev: Int32(id), next: Int32(id))
      }
      dueCount = 0
      sortedBuckets = .max
    }
  }

  // MARK: - Inspecting

  /// Live entries (expired and stale ones are not counted).
  @inlinable
  mutating func liveCount(now: Int64) -> Int {
    if timers != nil { advanceWheel(to: clamped(now)) }
    return count - dueCount - staleCount
  }

  /// The summed cost of the stored entries, after reclaiming the expired
  /// ones that are due (the count when there is no cost function).
  @usableFromInline
  mutating func liveCost(now: Int64) -> Int {
    _ = liveCount(now: now)
    return costs == nil ? count : totalCost.saturated
  }

  /// The live entry for `key`, for a quiet read (no use counted).
  @usableFromInline
  mutating func liveEntry(_ key: Key, hash: UInt32, now: Int64) -> CacheEntry<Key, Value>? {
    let slot = peek(key, hash: hash, now: now)
    guard slot >= 0 else { return nil }
    return entry(slot, now: clamped(now))
  }

  /// Adds this stripe's counters to `statistics`.
  @usableFromInline
  func addStatistics(to statistics: inout CacheStatistics) {
    statistics.add(counters, hits: hitCount, misses: missCount)
  }

  /// Sets this stripe's counters back to zero.
  @usableFromInline
  mutating func resetStatistics() {
    counters = _Counters()
    hitCount = 0
    missCount = 0
  }

  /// Every live entry with its write stamp.
  @usableFromInline
  mutating func liveEntries(now rawNow: Int64) -> [(stamp: UInt64, entry: CacheEntry<Key, Value>)] {
    let now = timers == nil ? rawNow : clamped(rawNow)
    if timers != nil { advanceWheel(to: now) }
    var result: [(stamp: UInt64, entry: CacheEntry<Key, Value>)] = []
    result.reserveCapacity(count - dueCount - staleCount)
    for slot in 0..<fresh where meta[slot].flags & _NodeFlag.occupied != 0 {
      let slot = Int32(truncatingIfNeeded: slot)
      if isUnavailable(slot, now: now) { continue }
      result.append((history[Int(slot)].stamp, entry(slot, now: now)))
    }
    return result
  }

  /// Keys, values and stamps of live entries, for `removeAll(where:)`.
  @usableFromInline
  mutating func candidates(now rawNow: Int64) -> [(key: Key, value: Value, stamp: UInt64)] {
    let now = timers == nil ? rawNow : clamped(rawNow)
    if timers != nil { advanceWheel(to: now) }
    var result: [(key: Key, value: Value, stamp: UInt64)] = []
    result.reserveCapacity(count - dueCount - staleCount)
    for slot in 0..<fresh where meta[slot].flags & _NodeFlag.occupied != 0 {
      if isUnavailable(Int32(truncatingIfNeeded: slot), now: now) { continue }
      result.append((pairs[slot].key, pairs[slot].value, history[slot].stamp))
    }
    return result
  }

  /// Removes every expired and stale entry and returns them with their
  /// deadlines.
  @usableFromInline
  mutating func removeExpired(now rawNow: Int64) -> [(deadline: Int64, entry: CacheEntry<Key, Value>)] {
    guard timers != nil else { return [] }
    let now = clamped(rawNow)
    advanceWheel(to: now)
    var result: [(deadline: Int64, entry: CacheEntry<Key, Value>)] = []
    result.reserveCapacity(dueCount + staleCount)
    while true {
      var slot = firstDue()
      if slot < 0 { slot = listHeads[_List.stale] }
      if slot < 0 { break }
      var deadline = self.deadline(of: slot)
      if meta[Int(slot)].flags & _NodeFlag.stale != 0, let freshness {
        deadline = deadline &- freshness[Int(slot)].staleIfError  // when it stopped being live
      }
      var entry = entry(slot, now: now)
      entry.remainingTimeToLive = .nanoseconds(deadline - now)
      result.append((deadline, entry))
      evict(slot, reason: .expired, now: now)
    }
    return result
  }

  /// The sweeper's pass: deal with at most `budget` due entries, and forget
  /// remembered failures whose time is up. Returns whether due entries remain.
  @usableFromInline
  mutating func sweep(now rawNow: Int64, budget: Int) -> Bool {
    if !failures.isEmpty {
      for (key, failure) in failures where failure.until <= rawNow { forgetFailure(key) }
    }
    guard timers != nil else { return false }
    let now = clamped(rawNow)
    advanceWheel(to: now)
    reclaimExpired(budget: budget, now: now)
    return hasDue
  }
}
