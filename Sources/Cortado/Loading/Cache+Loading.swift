extension Cache {
  /// Returns the live value for `key`, loading it with `loader` on a miss.
  ///
  /// ```swift
  /// let user = try await users.loadValue(forKey: id) { id in try await api.fetchUser(id) }
  /// ```
  ///
  /// - **Single flight**: concurrent callers for one key share one call of
  ///   the loader; loads of different keys run concurrently. The loader runs in
  ///   its own task, never under a lock. A synchronous
  ///   ``value(forKey:orInsert:)`` never waits for it (for that call, the key is
  ///   a miss).
  /// - **Failures** are thrown to every caller waiting for that load (one
  ///   failure, not one retry per caller) and are not cached, unless
  ///   ``Freshness/failureTimeToLive`` is set. Inside an entry's
  ///   ``Freshness/staleIfError`` window, a failed load returns the last value
  ///   instead.
  /// - **Cancellation**: a cancelled caller stops waiting at once with
  ///   `CancellationError`; the load goes on for the others and is cancelled
  ///   only when its last caller is gone. One caller's cancellation never fails
  ///   another. A load whose last caller left stores nothing, even if its loader
  ///   ignores the cancellation and returns a value.
  /// - **Newer writes win**: if the key is written or removed while loading,
  ///   the callers get the loaded value but the cache keeps the newer state,
  ///   and callers arriving after the write or removal start a load of their
  ///   own instead of joining the older one.
  /// - **Recursion**: a loader that loads its own key (directly, through a
  ///   function it calls, or in a task it awaits) fails at once with
  ///   ``CacheLoadError/recursiveLoad(key:)`` instead of waiting for itself.
  /// - **Refresh**: past an entry's ``Freshness/refreshAfter``, a hit returns
  ///   the current value at once and starts one background reload.
  ///
  /// The loader receives the key. Its time is counted in
  /// ``CacheStatistics/totalLoadTime``.
  @inlinable
  public func loadValue(
    forKey key: Key,
    using loader: @escaping @Sendable (Key) async throws -> Value
  ) async throws -> Value {
    try await core.load(key, loader: .single(loader))
  }

  /// Returns the live values for `keys`, loading every missing key with one
  /// call of a batch `loader`.
  ///
  /// ```swift
  /// let users = try await cache.loadValues(forKeys: ids) { missing in try await api.fetchUsers(missing) }
  /// ```
  ///
  /// Keys already being loaded by other callers are not loaded again: this
  /// call waits for those loads. Keys the loader returns no value for are
  /// absent from the result (and callers of ``loadValue(forKey:using:)-(_,(Key)->Value)``
  /// waiting on such a key get ``CacheLoadError/valueNotLoaded``). If the
  /// loader throws, this call throws. The batch load is cancelled only when
  /// every caller waiting for any of its keys is gone (this call counts as
  /// one for as long as it runs); until then it stores every value it loads.
  public func loadValues(
    forKeys keys: some Sequence<Key>,
    using loader: @escaping @Sendable ([Key]) async throws -> [Key: Value]
  ) async throws -> [Key: Value] {
    try await core.loadBatch(Array(keys), loader: .batch(loader))
  }

  /// Returns the live value for `key`, loading it on a miss with a `loader`
  /// that says how its value is cached: with the cache's lifetime, with its
  /// own ``Freshness`` (a token's `expires_in`), or not at all (returned to
  /// the waiting callers only). Everything else is as in
  /// ``loadValue(forKey:using:)-(_,(Key)->Value)``.
  ///
  /// ```swift
  /// let token = try await tokens.loadValue(forKey: client) { client in
  ///     let response = try await authServer.token(for: client)
  ///     return .cached(response.token, freshness: .timeToLive(.seconds(response.expiresIn)))
  /// }
  /// ```
  ///
  /// Disfavoured, so that a loader that only throws (`{ _ in throw … }`)
  /// still means the plain overload.
  @inlinable @_disfavoredOverload
  public func loadValue(
    forKey key: Key,
    using loader: @escaping @Sendable (Key) async throws -> CacheLoadResult<Value>
  ) async throws -> Value {
    try await core.load(key, loader: .singleResult(loader))
  }

  /// Returns the live values for `keys`, loading every missing key with one
  /// call of a batch `loader` that says, per key, how its value is cached
  /// (see ``CacheLoadResult``). Everything else is as in
  /// ``loadValues(forKeys:using:)-(_,([Key])->[Key:Value])``.
  @_disfavoredOverload
  public func loadValues(
    forKeys keys: some Sequence<Key>,
    using loader: @escaping @Sendable ([Key]) async throws -> [Key: CacheLoadResult<Value>]
  ) async throws -> [Key: Value] {
    try await core.loadBatch(Array(keys), loader: .batchResult(loader))
  }

  /// Cancels every load and background refresh in flight and waits until
  /// they have finished. The cache stays usable.
  ///
  /// Dropping the last reference to the cache cancels them too, without
  /// waiting.
  public func shutdown() async {
    core.flushRefreshes()  // refreshes waiting for their batch start, to be cancelled with the rest
    let tasks = core.inFlightLoadTasks()
    for task in tasks { task.cancel() }
    for task in tasks { await task.wait() }
  }
}
