import _CortadoShims

// The shard's side of the stripes' read protocol (see `_Stripe`).

extension _Shard {
  /// A lookup that modifies nothing: the slot of a live entry, or -1 for a
  /// miss. `needsLock` when the read has work that changes the shard: an
  /// expired entry to remove, due entries waiting to be reclaimed (amortised
  /// expiry work is shared by every operation), a wheel tick to advance, or an
  /// idle deadline to slide.
  ///
  /// Static, on the pointer, and reading single fields: a drain of the read
  /// buffers may change other fields of the shard meanwhile (the policy's
  /// lists and sketch), so a lookup must never copy the shard as a whole (a
  /// method call on `pointee` does in debug builds, retaining its arrays).
  @inlinable @inline(__always)
  static func sharedFind(
    _ shard: UnsafeMutablePointer<Self>, _ key: Key, hash: UInt32, now: Int64
  ) -> (slot: Int32, needsLock: Bool) {
    let meta = shard.pointee.meta
    let slot = probe(
      key, hash: hash, index: shard.pointee.index, size: shard.pointee.indexSize,
      meta: meta, pairs: shard.pointee.pairs)
    guard let timers = shard.pointee.timers else { return (slot, false) }
    let wheelTime = shard.pointee.wheelTime
    if now >> _Wheel.tickShift != wheelTime >> _Wheel.tickShift || Int(timers[_Wheel.due].next) != _Wheel.due {
      return (slot, true)
    }
    guard slot >= 0 else { return (slot, false) }
    let record = meta[Int(slot)]
    if record.deadline <= Swift.max(now, wheelTime) || record.flags & _NodeFlag.stale != 0 { return (slot, true) }
    if let freshness = shard.pointee.freshness, freshness[Int(slot)].idle > 0 { return (slot, true) }
    return (slot, false)
  }

  /// Applies the events readers recorded, slot by slot in recording order,
  /// and empties the buffers. Called with readers excluded.
  @inlinable
  mutating func applyReadEvents(slots: UnsafeMutableRawPointer, count: Int) {
    for index in 0..<count {
      applyReadEvents(slots: slots, slot: index)
    }
  }

  /// Applies and empties the events of one reader slot.
  @inlinable
  mutating func applyReadEvents(slots: UnsafeMutableRawPointer, slot index: Int) {
    let word = _ReaderSlots.word(slots, index)
    var current = _cortado_atomic_load_acquire(word)
    let claimed = Int(truncatingIfNeeded: UInt64(bitPattern: current) >> 32)
    if claimed == 0 { return }
    let recorded = Swift.min(claimed, _ReaderSlots.capacity)
    for position in 0..<recorded {
      let pointer = _ReaderSlots.event(slots, index, position)
      let event = UInt64(bitPattern: _cortado_atomic_load_relaxed(pointer))
      if event == 0 { continue }  // claimed by a reader that then deferred to a writer
      _cortado_atomic_store_relaxed(pointer, 0)
      applyReadEvent(event)
    }
    // Reset the position, keeping the count of readers inside. A reader that
    // claimed a position before the reset but stores after it leaves a
    // stray event: it is overwritten by the next claim of that position, or
    // applied once (events are validated against the slot's occupant, so it
    // is at worst one extra use of a live entry).
    while !_cortado_atomic_compare_exchange_acq_rel(word, &current, current & _ReaderSlots.activeMask) {}
  }

  @inlinable
  mutating func applyReadEvent(_ event: UInt64) {
    if event == _ReaderSlots.missEvent {
      missCount += 1
      return
    }
    hitCount += 1
    switch settings.policy {
    case .none, .fifo, .random: return  // a read does not change their order
    case .lru, .lfu, .windowTinyLFU: break
    }
    let slot = Int32(truncatingIfNeeded: (event & 0xFFFF_FFFF) &- 1)
    // The entry may have left, or its slot been reused, since the read.
    guard Int(slot) < fresh, meta[Int(slot)].flags & (_NodeFlag.occupied | _NodeFlag.stale) == _NodeFlag.occupied,
      meta[Int(slot)].hash == UInt32(truncatingIfNeeded: event >> 32)
    else { return }
    policyAccess(slot)
  }
}
