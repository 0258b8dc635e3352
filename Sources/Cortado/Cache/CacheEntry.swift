/// A snapshot of one cache entry with its timing.
///
/// Returned by ``Cache/entry(forKey:)``, ``Cache/snapshot()`` and
/// ``Cache/removeExpired()``. It is a copy: later changes to the cache do not
/// affect it.
public struct CacheEntry<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  /// The entry's key.
  public var key: Key
  /// The entry's value.
  public var value: Value
  /// The time since the value was last written (reads do not reset it).
  public var age: Duration
  /// The time left before the entry expires at the moment of the snapshot, or
  /// `nil` when it never expires. Zero or negative for an entry returned by
  /// ``Cache/removeExpired()``.
  public var remainingTimeToLive: Duration?
  /// The entry's cost (1 when the cache has no cost function).
  public var cost: Int

  /// Creates an entry (mostly useful in tests).
  public init(key: Key, value: Value, age: Duration, remainingTimeToLive: Duration?, cost: Int = 1) {
    self.key = key
    self.value = value
    self.age = age
    self.remainingTimeToLive = remainingTimeToLive
    self.cost = cost
  }
}

extension CacheEntry: Equatable where Value: Equatable {}
extension CacheEntry: Hashable where Value: Hashable {}
