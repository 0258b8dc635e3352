extension Cache {
  /// Stores `value` under `key` and returns the key's previous live value.
  ///
  /// Like `Dictionary.updateValue(_:forKey:)`. The write restarts the entry's
  /// lifetime and counts as its most recent use. If the value cannot be stored
  /// (too costly), the previous value is still removed and returned.
  @inlinable @discardableResult
  public func updateValue(_ value: Value, forKey key: Key) -> Value? {
    core.set(key, value, lifetime: core.lifetime(key, value, timeToLive: nil)).previousValue
  }

  /// Stores `value` under `key` with the cache's lifetime, reporting what happened.
  @inlinable @discardableResult
  public func setValue(_ value: Value, forKey key: Key) -> CacheWriteResult<Value> {
    core.set(key, value, lifetime: core.lifetime(key, value, timeToLive: nil))
  }

  /// Stores `value` under `key` with its own time to live, overriding the
  /// cache's (and `freshnessForEntry`'s) time to live for this entry; the
  /// cache's time to idle still applies.
  ///
  /// Works in a cache configured without any lifetime, too. A lifetime of zero
  /// or less means the value is expired on arrival: it is not stored, and the
  /// key's previous value is removed (as `cachetools.TLRUCache` does). A
  /// lifetime too long for the clock means "never expires".
  @inlinable @discardableResult
  public func setValue(_ value: Value, forKey key: Key, timeToLive: Duration) -> CacheWriteResult<Value> {
    core.set(key, value, lifetime: core.lifetime(key, value, timeToLive: timeToLive))
  }

  /// Stores `value` under `key` with its own freshness policy, replacing the
  /// cache's for this entry.
  @inlinable @discardableResult
  public func setValue(_ value: Value, forKey key: Key, freshness: Freshness) -> CacheWriteResult<Value> {
    core.set(key, value, lifetime: core.lifetime(freshness))
  }

  /// Stores `value` under `key` with the given lifetime, reporting what
  /// happened.
  ///
  /// ```swift
  /// // Change a value without touching when it expires (Redis `SET … KEEPTTL`).
  /// cache.setValue(updated, forKey: key, lifetime: .keepRemaining(otherwise: .timeToLive(.seconds(60))))
  /// ```
  ///
  /// With ``CacheWriteLifetime/keepRemaining(otherwise:)``, a live entry
  /// keeps its deadlines, refresh time and age, and only the value (and its
  /// cost) change; a key without a live entry gets `otherwise`. The other
  /// cases are the other `setValue` overloads. An invalid per-entry
  /// ``Freshness`` is rejected with
  /// ``CacheWriteResult/Rejection/invalidFreshness(_:)``, as there.
  @inlinable @discardableResult
  public func setValue(_ value: Value, forKey key: Key, lifetime: CacheWriteLifetime) -> CacheWriteResult<Value> {
    switch lifetime {
    case .cacheDefault:
      return setValue(value, forKey: key)
    case .timeToLive(let timeToLive):
      return setValue(value, forKey: key, timeToLive: timeToLive)
    case .freshness(let freshness):
      return setValue(value, forKey: key, freshness: freshness)
    case .keepRemaining(let otherwise):
      return core.setKeepingRemaining(key, value, otherwise: core.lifetime(otherwise))
    }
  }
}
