// W-TinyLFU (the default policy), after Einziger, Friedman and Manes,
// "TinyLFU: A Highly Efficient Cache Admission Policy", as Caffeine uses it.
//
// Regions (list numbers): 0 = window (LRU, 1% of the capacity), 1 = probation
// and 2 = protected (a segmented LRU holding the other 99%, protected 80% of it).
// - A new entry enters the window, so a burst of new keys is always cached for
//   a short while (recency).
// - When the window overflows, its oldest entry becomes a *candidate* for the
//   main region. If the main region is full, the candidate competes with the
//   probation region's oldest entry (the *victim*): the one the frequency
//   sketch has seen more often stays. Ties keep the victim, so a scan of
//   one-time keys cannot flush a popular working set (frequency).
// - A hit in probation promotes the entry to protected; protected overflow is
//   demoted back to probation.
// - A victim that rejects a long run of warm candidates without being used is
//   displaced anyway (`_AdmissionGuard`), so an attacker cannot keep newcomers
//   out forever by inflating a victim's count (HashDoS), and loops, whose
//   victims are used, keep their cached set.
//
// Capacity is counted in entries, or in cost units for a cache bounded only
// by cost.
//
// The window's size adapts to evidence of recency (`_WindowSizer`): when keys
// the filter rejected come back soon after, markedly more often than evicted
// victims do, or when a shadow LRU on a sample of the keys (`_ShadowLRU`)
// hits more than the cache, the window grows towards LRU's behaviour (a
// moving hot spot); without that evidence it returns to 1% (skewed, scanned
// and looping workloads). A cache bounded only by cost keeps the hill climber (sizes in
// cost units have no entry count to sample ghosts against).
//
// Hits are counted in the node (`_Links.pendingHits`, 3 bits of a link word)
// and added to the sketch in one step when the node's popularity is consulted
// (admission), when the count reaches 8, or when the node leaves. The sketch
// sees the same increments as if each hit updated it, a little later; a hit
// then touches only the node's own metadata instead of four sketch counters
// (measured: about 100 fewer instructions per hit).

extension _Shard {
  /// Regions are sized in cost units when only the cost is bounded.
  @inlinable @inline(__always)
  var tinyLFUWeighsByCost: Bool { settings.maximumCount == .max }

  @inlinable @inline(__always)
  func policyWeight(_ slot: Int32) -> Int {
    tinyLFUWeighsByCost ? cost(of: slot) : 1
  }

  @usableFromInline
  mutating func configureWindowTinyLFU() {
    let maximum = tinyLFUWeighsByCost ? settings.maximumCost : settings.maximumCount
    let main = Int((Double(maximum) * _TinyLFUConstants.initialMainShare).rounded(.down))
    windowMaximum = Swift.max(maximum - main, Swift.min(1, maximum))
    protectedMaximum = Int((Double(maximum - windowMaximum) * _TinyLFUConstants.protectedShare).rounded(.down))
    sketch.configure(expectedEntries: tinyLFUWeighsByCost ? .max : maximum)
    admissionGuard.configure(maximum: maximum)
    if tinyLFUWeighsByCost {
      climber = _HillClimber(maximum: maximum)
    } else {
      sizer.configure(maximum: maximum, initialWindow: windowMaximum)
    }
  }

  /// Applies the window sizer's decision when a sample of requests has ended.
  @inlinable
  mutating func sizeWindowIfSampled() {
    guard let window = sizer.decision(requests: hitCount &+ missCount, window: windowMaximum) else { return }
    let maximum = settings.maximumCount
    windowMaximum = window
    protectedMaximum = Int((Double(maximum - window) * _TinyLFUConstants.protectedShare).rounded(.down))
    // A smaller main region: protected overflow goes to probation now; the
    // main region's surplus is evicted as entries arrive. A smaller window:
    // its overflow goes through the admission filter as entries arrive.
    demoteProtectedOverflow()
  }

  /// Runs one hill-climbing step when a sample of requests is complete.
  @usableFromInline
  mutating func climbIfSampled() {
    let hits = hitCount &- climber.hitsBase
    let misses = missCount &- climber.missesBase
    if hits < 0 || misses < 0 {  // statistics were reset
      climber.hitsBase = hitCount
      climber.missesBase = missCount
      return
    }
    guard hits + misses >= climber.sampleSize else { return }
    climber.hitsBase = hitCount
    climber.missesBase = missCount
    let adjustment = climber.adjustment(hitRate: Double(hits) / Double(hits + misses))
    if adjustment > 0 {
      growWindow(by: adjustment)
    } else if adjustment < 0 {
      shrinkWindow(by: -adjustment)
    }
  }

  /// Moves capacity from the protected region to the window, and the main
  /// region's oldest entries with it (at most `_TinyLFUConstants.maximumMovesPerResize` per step).
  @usableFromInline
  mutating func growWindow(by amount: Int) {
    let quota = Swift.min(amount, protectedMaximum)
    guard quota > 0 else { return }
    protectedMaximum -= quota
    windowMaximum += quota
    var moved = 0
    var remaining = quota
    while remaining > 0 && moved < _TinyLFUConstants.maximumMovesPerResize {
      var candidate = listHeads[_List.probation]
      if candidate < 0 { candidate = listHeads[_List.protected] }
      if candidate < 0 { break }
      let from = region(of: candidate)
      let weight = policyWeight(candidate)
      moveRegion(candidate, from: from, to: _List.window, weight: weight)
      remaining -= weight
      moved += 1
    }
    demoteProtectedOverflow()
  }

  /// Moves capacity from the window to the protected region, and the
  /// window's oldest entries to probation (at most `_TinyLFUConstants.maximumMovesPerResize` per step).
  @usableFromInline
  mutating func shrinkWindow(by amount: Int) {
    let quota = Swift.min(amount, Swift.max(0, windowMaximum - 1))
    guard quota > 0 else { return }
    windowMaximum -= quota
    protectedMaximum += quota
    var moved = 0
    while listWeights[_List.window] > windowMaximum && moved < _TinyLFUConstants.maximumMovesPerResize {
      let candidate = listHeads[_List.window]
      if candidate < 0 { break }
      let weight = policyWeight(candidate)
      moveRegion(candidate, from: _List.window, to: _List.probation, weight: weight)
      moved += 1
    }
  }

  /// Moves protected overflow back to probation.
  @inlinable
  mutating func demoteProtectedOverflow() {
    while listWeights[_List.protected] > protectedMaximum {
      let demoted = listHeads[_List.protected]
      if demoted < 0 { break }
      let weight = policyWeight(demoted)
      moveRegion(demoted, from: _List.protected, to: _List.probation, weight: weight)
    }
  }

  @inlinable @inline(__always)
  func region(of slot: Int32) -> Int {
    Int(links[Int(slot)].region)
  }

  /// Moves `slot` (of policy weight `weight`) from the list of region `from`
  /// to the most recent end of region `to`.
  @inlinable
  mutating func moveRegion(_ slot: Int32, from: Int, to: Int, weight: Int) {
    listUnlink(from, slot)
    listWeights[from] -= weight
    setRegion(slot, to)
    listAppend(to, slot)
    listWeights[to] += weight
  }

  @inlinable
  mutating func setRegion(_ slot: Int32, _ region: Int) {
    links[Int(slot)].region = UInt8(truncatingIfNeeded: region)
  }

  @inlinable
  mutating func tinyLFUInsert(_ slot: Int32) {
    setRegion(slot, _List.window)
    listAppend(_List.window, slot)
    listWeights[_List.window] += policyWeight(slot)
    if _slowPath(sketch.ensureCapacity(count) >= _ShardConstants.returnFreedTableBytes) { requestMemoryReturn() }
    sketch.increment(meta[Int(slot)].hash)
    if sizer.isEnabled {
      sizer.ghosts.ensureCapacity(count)
      let requests = hitCount &+ missCount
      meta[Int(slot)].windowUse = sizer.useStamp(requests)
      sizer.inserted(meta[Int(slot)].hash, requests: requests)
      sizer.shadow.cacheInserted(meta[Int(slot)].hash)
      // The insertion stands for the miss that preceded it: a lookup's miss
      // carries no hash, so this is where the shadow sees it. A write of a
      // key nobody asked for counts as a request too, and if the shadow
      // still holds the key, as a hit only LRU had: a small bias towards
      // LRU, accepted because the window sizer only acts on a clear lead.
      sizer.shadow.observe(meta[Int(slot)].hash, hit: false)
    }
  }

  /// Adds the node's pending hits to the sketch.
  @inlinable
  mutating func flushHits(_ slot: Int32) {
    let hits = links[Int(slot)].pendingHits
    if hits != 0 {
      links[Int(slot)].pendingHits = 0
      sketch.increment(meta[Int(slot)].hash, by: Int(hits))
    }
  }

  @inlinable @inline(__always)
  mutating func tinyLFUAccess(_ slot: Int32, isRead: Bool = true) {
    if isRead {
      sizer.shadow.observe(meta[Int(slot)].hash, hit: true)
    } else {
      sizer.shadow.touch(meta[Int(slot)].hash)
    }
    let hits = links[Int(slot)].pendingHits &+ 1
    if hits >= _TinyLFUConstants.pendingHitsFlushThreshold {
      links[Int(slot)].pendingHits = 0
      sketch.increment(meta[Int(slot)].hash, by: Int(hits))
    } else {
      links[Int(slot)].pendingHits = hits
    }
    switch region(of: slot) {
    case _List.window:
      listMoveToTail(_List.window, slot)
    case _List.probation:
      let weight = policyWeight(slot)
      moveRegion(slot, from: _List.probation, to: _List.protected, weight: weight)
      // Protected overflow goes back to probation, most recent end.
      if listWeights[_List.protected] > protectedMaximum && listHeads[_List.protected] != slot {
        demoteProtectedOverflow()
      }
    default:
      listMoveToTail(_List.protected, slot)
    }
  }

  @inlinable
  mutating func tinyLFURemove(_ slot: Int32, evicted: Bool) {
    sizer.shadow.cacheRemoved(meta[Int(slot)].hash, evicted: evicted)
    flushHits(slot)
    let region = region(of: slot)
    listRemove(region, slot)
    listWeights[region] -= policyWeight(slot)
  }

  /// Whether the candidate should replace the victim.
  @inlinable
  mutating func admit(candidate: Int32, victim: Int32) -> Bool {
    flushHits(candidate)
    flushHits(victim)
    let candidateFrequency = sketch.frequency(meta[Int(candidate)].hash)
    let victimFrequency = sketch.frequency(meta[Int(victim)].hash)
    if candidateFrequency > victimFrequency { return true }
    return admissionGuard.admitsLoser(candidateFrequency: candidateFrequency, victim: victim)
  }

  /// Restores the bounds after an insertion or a growing update: moves window
  /// overflow to the main region through the admission filter, then evicts
  /// whatever is still over budget.
  @inlinable
  mutating func tinyLFUEvict(now: Int64) {
    if sizer.isEnabled { sizeWindowIfSampled() } else { climbIfSampled() }
    while listWeights[_List.window] > windowMaximum {
      let candidate = listHeads[_List.window]
      if candidate < 0 { break }
      let weight = policyWeight(candidate)
      moveRegion(candidate, from: _List.window, to: _List.probation, weight: weight)
      while isOverBudget {
        var victim = listHeads[_List.probation]
        if victim == candidate { victim = listHeads[_List.protected] }
        if victim < 0 { break }
        if admit(candidate: candidate, victim: victim) {
          if sizer.isEnabled { sizer.evictedFromMain(meta[Int(victim)].hash, requests: hitCount &+ missCount) }
          evict(victim, reason: .evicted, now: now)
        } else {
          if sizer.isEnabled {
            sizer.rejected(
              meta[Int(candidate)].hash, requests: hitCount &+ missCount, lastUse: meta[Int(candidate)].windowUse)
          }
          evict(candidate, reason: .evicted, now: now)
          break
        }
      }
    }
    while isOverBudget {
      var victim = listHeads[_List.probation]
      if victim < 0 { victim = listHeads[_List.protected] }
      if victim < 0 { victim = listHeads[_List.window] }
      if victim < 0 { break }
      if sizer.isEnabled {
        if region(of: victim) == _List.window {
          sizer.rejected(
            meta[Int(victim)].hash, requests: hitCount &+ missCount, lastUse: meta[Int(victim)].windowUse)
        } else {
          sizer.evictedFromMain(meta[Int(victim)].hash, requests: hitCount &+ missCount)
        }
      }
      evict(victim, reason: .evicted, now: now)
    }
  }
}
