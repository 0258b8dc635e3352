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
  /// - `make` must not compute the same key of this cache (with this method,
  ///   ``compute(forKey:_:)`` or ``modifyValue(forKey:_:)``): that would wait
  ///   for itself, so it stops the program with a message instead. Reading
  ///   the key (`cache[key]`) is fine.
  /// - Callers wait by blocking their thread. In `async` code that may wait on
  ///   slow work, prefer `loadValue(forKey:using:)`, which suspends instead.
  @inlinable
  public func value<E: Error>(forKey key: Key, orInsert make: () throws(E) -> Value) throws(E) -> Value {
    try core.value(forKey: key, orInsert: make)
  }

  /// Inserts `value` only if `key` has no live value (Python's
  /// `dict.setdefault` without the read, Caffeine's `asMap().putIfAbsent`,
  /// Redis `SET NX`), reporting what happened.
  ///
  /// ```swift
  /// guard case .inserted = sessions.insertValue(session, forKey: token) else {
  ///     throw DuplicateSession()
  /// }
  /// ```
  ///
  /// An existing value is left as it is and returned; reading it does not
  /// count as a use or a hit. An insertion is a write: a computation or load
  /// of the key in flight is superseded by it.
  @inlinable @discardableResult
  public func insertValue(_ value: Value, forKey key: Key) -> CacheInsertResult<Value> {
    core.insert(value, forKey: key)
  }

  /// Atomically replaces the key's value with what `transform` makes of it:
  /// `transform` gets the live value (`nil` if none) and returns the new one,
  /// or `nil` to remove the key (Java's `Map.compute`, Caffeine's
  /// `asMap().compute`, Otter's `Compute`).
  ///
  /// ```swift
  /// // A counter that never loses an increment under concurrency.
  /// hits.compute(forKey: path) { ($0 ?? 0) + 1 }
  /// // Remove a session once it is used up.
  /// sessions.compute(forKey: token) { session in
  ///     guard var session, session.usesLeft > 1 else { return nil }
  ///     session.usesLeft -= 1
  ///     return session
  /// }
  /// ```
  ///
  /// - `transform` runs outside the cache's locks, under the key's claim:
  ///   concurrent computations of the key (this method, ``modifyValue(forKey:_:)``,
  ///   ``value(forKey:orInsert:)``) wait for it; other keys are not blocked;
  ///   plain reads see the old value until the new one is stored.
  /// - A write or removal of the key that lands while `transform` runs wins:
  ///   the result is dropped and ``CacheComputeResult/superseded`` returned.
  /// - If `transform` throws, nothing changes and the error is rethrown.
  /// - If the value `transform` saw expires or is evicted while it runs,
  ///   `transform` runs again on what the key holds then.
  /// - A stored value gets the cache's lifetime; the listener hears
  ///   `.replaced` for the value it replaces, `.removed` for a removal.
  /// - `transform` must not compute the same key of this cache (re-entry
  ///   would wait for itself): that stops the program with a message. The
  ///   method throws only `transform`'s own errors, so it cannot report
  ///   re-entry as an error.
  @inlinable @discardableResult
  public func compute<E: Error>(
    forKey key: Key, _ transform: (Value?) throws(E) -> Value?
  ) throws(E) -> CacheComputeResult<Value> {
    try core.compute(forKey: key, method: "compute(forKey:_:)", presentOnly: false, transform)
  }

  /// Atomically modifies the key's live value in place, keeping its remaining
  /// lifetime; does nothing for a key without a live value
  /// (``CacheComputeResult/unchanged``).
  ///
  /// ```swift
  /// carts.modifyValue(forKey: user) { $0.items.append(item) }
  /// ```
  ///
  /// Unlike ``updateValue(_:forKey:)`` (insert or replace, with a new
  /// lifetime), the entry keeps its deadlines, refresh time and age. The
  /// rules of ``compute(forKey:_:)`` apply: `body` runs outside the locks
  /// under the key's claim, a write that lands meanwhile wins
  /// (``CacheComputeResult/superseded``), a throw changes nothing, and
  /// re-entry for the same key stops the program. If the entry expires or is
  /// evicted while `body` runs, the result is ``CacheComputeResult/unchanged``.
  @inlinable @discardableResult
  public func modifyValue<E: Error>(
    forKey key: Key, _ body: (inout Value) throws(E) -> Void
  ) throws(E) -> CacheComputeResult<Value> {
    try core.compute(forKey: key, method: "modifyValue(forKey:_:)", presentOnly: true) { (current) throws(E) in
      guard var value = current else { return nil }
      try body(&value)
      return value
    }
  }
}
