// The eviction policy, dispatched on `settings.policy`. A switch on a small
// enum costs one predictable branch, far less than an existential call, and
// keeps every policy's code specialised for the cache's key and value types.
//
// Event names:
// - insert: a new key was stored;
// - access: a read hit (never called for quiet reads such as `entry(forKey:)`);
// - update: an existing key was written again (its most recent use);
// - remove: the node leaves the cache for any reason.

extension _Shard {
  /// Whether the policy frees room before a new key is stored (the cachetools
  /// family, so that the new key is never its own victim) or after
  /// (W-TinyLFU, whose admission filter compares the newcomer with a victim).
  @inlinable @inline(__always)
  var evictsBeforeInsert: Bool { settings.policy != .windowTinyLFU }

  @inlinable
  mutating func policyInsert(_ slot: Int32) {
    switch settings.policy {
    case .none:
      break
    case .lru, .fifo:
      listAppend(_List.single, slot)
    case .lfu:
      lfuInsert(slot)
    case .random:
      aux![Int(slot)] = Int32(truncatingIfNeeded: randomSlots.count)
      randomSlots.append(slot)
    case .windowTinyLFU:
      tinyLFUInsert(slot)
    }
  }

  /// Inlined, with W-TinyLFU's access: it runs for every hit applied from
  /// the read buffers and for every rewrite. Callgrind on the bench against
  /// d3f6277: 526.9 -> 524.6 instructions per get with a lifetime (476.2 ->
  /// 473.7 without), 939.6 -> 867.4 per set (823.2 -> 762.1 without).
  @inlinable @inline(__always)
  mutating func policyAccess(_ slot: Int32) {
    switch settings.policy {
    case .none, .fifo, .random:
      break
    case .lru:
      listMoveToTail(_List.single, slot)
    case .lfu:
      lfuTouch(slot)
    case .windowTinyLFU:
      tinyLFUAccess(slot)
    }
  }

  /// A rewrite counts as the key's most recent use for every policy: LRU and
  /// FIFO move it to the back, LFU adds one use (most recent among its count),
  /// W-TinyLFU treats it as an access.
  @inlinable
  mutating func policyUpdate(_ slot: Int32) {
    switch settings.policy {
    case .none, .random:
      break
    case .lru, .fifo:
      listMoveToTail(_List.single, slot)
    case .lfu:
      lfuTouch(slot)
    case .windowTinyLFU:
      tinyLFUAccess(slot, isRead: false)
    }
  }

  /// Adjusts region weights after an entry's cost changed (W-TinyLFU only).
  @inlinable
  mutating func policyCostChanged(_ slot: Int32, from oldCost: Int, to newCost: Int) {
    guard settings.policy == .windowTinyLFU, tinyLFUWeighsByCost else { return }
    let region = Int(links[Int(slot)].region)
    listWeights[region] += newCost - oldCost
    if region == _List.protected { demoteProtectedOverflow() }
  }

  @inlinable
  mutating func policyRemove(_ slot: Int32, evicted: Bool = false) {
    if meta[Int(slot)].flags & _NodeFlag.stale != 0 {
      listRemove(_List.stale, slot)  // stale entries left the policy already
      return
    }
    switch settings.policy {
    case .none:
      break
    case .lru, .fifo:
      listRemove(_List.single, slot)
    case .lfu:
      lfuRemove(slot)
    case .random:
      let position = Int(aux![Int(slot)])
      let last = randomSlots.removeLast()
      if last != slot {
        randomSlots[position] = last
        aux![Int(last)] = Int32(truncatingIfNeeded: position)
      }
    case .windowTinyLFU:
      tinyLFURemove(slot, evicted: evicted)
    }
  }

  /// The next victim of a policy that evicts before inserting, or -1 when the
  /// shard is empty.
  @inlinable
  mutating func classicVictim() -> Int32 {
    switch settings.policy {
    case .none, .windowTinyLFU:
      return -1
    case .lru, .fifo:
      return listHeads[_List.single]
    case .lfu:
      return lfu.first >= 0 ? lfu.heads[Int(lfu.first)] : -1
    case .random:
      guard !randomSlots.isEmpty else { return -1 }
      return randomSlots[Int(rng.next() % UInt64(randomSlots.count))]
    }
  }
}
