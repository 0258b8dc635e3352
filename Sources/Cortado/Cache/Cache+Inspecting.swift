extension Cache {
  /// The number of live entries. Expired entries are never counted.
  ///
  /// O(number of stripes), plus the amortised work of reclaiming entries that
  /// have just expired.
  public var count: Int {
    var total = 0
    core.forEachShard { shard, now in total += shard.pointee.liveCount(now: now) }
    return total
  }

  /// Whether the cache holds no live entry.
  public var isEmpty: Bool { count == 0 }

  /// The summed cost of the stored entries (equals ``count``, give or take
  /// expired entries not yet reclaimed, without a cost function); `Int.max`
  /// when the sum does not fit in an `Int`.
  public var totalCost: Int {
    var total = 0
    core.forEachShard { shard, now in total = _saturatingAdd(total, shard.pointee.liveCost(now: now)) }
    return total
  }

  /// The entry for `key` with its age and remaining lifetime, or `nil` when
  /// absent or expired.
  ///
  /// A quiet read: it does not count as a use, does not restart an idle
  /// lifetime and does not change the statistics.
  public func entry(forKey key: Key) -> CacheEntry<Key, Value>? {
    let now = core.clock.now()
    return core.withShard(for: key) { shard, hash, _ in shard.pointee.liveEntry(key, hash: hash, now: now) }
  }

  /// Every live entry, oldest write first. A copy: the cache can change while
  /// you use it.
  public func snapshot() -> [CacheEntry<Key, Value>] {
    var all: [(stamp: UInt64, entry: CacheEntry<Key, Value>)] = []
    core.forEachShard { shard, now in all.append(contentsOf: shard.pointee.liveEntries(now: now)) }
    all.sort { $0.stamp < $1.stamp }
    return all.map(\.entry)
  }

  /// The usage counters, summed over all stripes.
  public var statistics: CacheStatistics {
    var statistics = CacheStatistics()
    core.forEachShard { shard, _ in shard.pointee.addStatistics(to: &statistics) }
    statistics.loadSuccessCount = Int(core.loadStatistics.successes.value)
    statistics.loadFailureCount = Int(core.loadStatistics.failures.value)
    statistics.totalLoadTime = .nanoseconds(core.loadStatistics.nanoseconds.value)
    return statistics
  }

  /// Sets every statistics counter back to zero (like `cache_clear()` does for
  /// `cache_info()`, without touching the entries).
  public func resetStatistics() {
    core.forEachShard { shard, _ in shard.pointee.resetStatistics() }
    core.loadStatistics.reset()
  }

  /// Returns once every removal notification queued so far has reached the
  /// `onRemoval` listener.
  ///
  /// Notifications are delivered by whichever thread finishes the operation
  /// that caused them; this lets a test wait for them deterministically.
  /// Called from inside the listener itself, it returns at once.
  public func waitForRemovalNotifications() {
    core.sink.waitUntilDelivered()
  }

  /// The number of stripes the cache is split into.
  public var stripeCount: Int { core.stripeCount }
}
