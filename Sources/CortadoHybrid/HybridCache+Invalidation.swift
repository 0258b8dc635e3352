import Cortado

// The invalidation events a HybridCache receives from its store.
extension HybridCache {
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
      for key in locals where !key.hasPrefix(HybridKey.hashedPrefix) { flights.detach(key) }
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
      let remaining = entry.remainingTimeToLive, remaining > .zero
    {
      var stale = entry.value
      stale.epoch = 0
      local.setValue(stale, forKey: key, timeToLive: remaining)
    } else {
      local.removeValue(forKey: key)
    }
  }
}
