extension Cache {
  /// Removes `key` and returns its live value (`nil` if it was absent or had
  /// expired). The listener is told `.removed`.
  @inlinable @discardableResult
  public func removeValue(forKey key: Key) -> Value? {
    core.remove(key)
  }

  /// Removes every entry; the listener is told `.removed` for each.
  public func removeAll() {
    core.forEachShard { shard, _ in shard.pointee.removeAll() }
  }

  /// Removes every live entry for which `shouldRemove` returns true, and
  /// returns how many were removed.
  ///
  /// The predicate runs outside the cache's locks, on a snapshot of the
  /// entries; an entry written again after the snapshot was taken is kept
  /// (its new value was not judged).
  @discardableResult
  public func removeAll(where shouldRemove: (Key, Value) throws -> Bool) rethrows -> Int {
    var removed = 0
    for index in 0..<core.stripeCount {
      let stripe = core.stripes[index]
      let now = core.clock.now()
      let candidates = core.locked(stripe) { shard in shard.pointee.candidates(now: now) }
      // The predicate and the keys' hashing are user code: both run here,
      // outside the lock.
      var doomed: [(key: Key, hash: UInt32, stamp: UInt64)] = []
      for candidate in candidates where try shouldRemove(candidate.key, candidate.value) {
        doomed.append((candidate.key, UInt32(truncatingIfNeeded: candidate.key.hashValue), candidate.stamp))
      }
      guard !doomed.isEmpty else { continue }
      let later = core.clock.now()
      removed += core.locked(stripe) { shard in
        doomed.reduce(0) { count, item in
          count + (shard.pointee.remove(item.key, hash: item.hash, ifStamp: item.stamp, now: later) ? 1 : 0)
        }
      }
    }
    return removed
  }

  /// Removes every expired entry now and returns them, earliest deadline
  /// first (cachetools' `expire()`).
  ///
  /// You rarely need this: expired entries are never served or counted, and
  /// are reclaimed as the cache is used and by the sweeper.
  @discardableResult
  public func removeExpired() -> [CacheEntry<Key, Value>] {
    var removed: [(deadline: Int64, entry: CacheEntry<Key, Value>)] = []
    core.forEachShard { shard, now in
      removed.append(contentsOf: shard.pointee.removeExpired(now: now))
    }
    if core.stripeCount > 1 { removed.sort { $0.deadline < $1.deadline } }
    return removed.map(\.entry)
  }
}
