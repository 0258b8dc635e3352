extension Cache {
  /// Returns the live value for `key`, or computes, stores and returns it.
  ///
  /// Atomic per key: `make` runs at most once per key at a time. Concurrent
  /// callers for the same key wait for it and get the same value; callers for
  /// other keys are not blocked. `make` runs outside the cache's locks.
  ///
  /// ```swift
  /// let user = users.value(forKey: id, orInsert: { database.user(id) })
  /// ```
  ///
  /// - If `make` throws, the error reaches this caller only, nothing is
  ///   stored, and one of the waiting callers (if any) runs its own `make`.
  /// - If the key is written or removed while `make` runs, that newer change
  ///   wins: the computed value is returned but not stored.
  /// - `make` must not ask this cache for the same key: that would wait for
  ///   itself, so it stops the program with a message instead.
  /// - Callers wait by blocking their thread. In `async` code that may wait on
  ///   slow work, prefer `loadValue(forKey:using:)`, which suspends instead.
  @inlinable
  public func value<E: Error>(forKey key: Key, orInsert make: () throws(E) -> Value) throws(E) -> Value {
    try core.value(forKey: key, orInsert: make)
  }
}
