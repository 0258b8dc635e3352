extension Cache {
  /// Reloads `key` in the background (Caffeine's `LoadingCache.refresh`).
  ///
  /// ```swift
  /// // A webhook said the user changed: reload now, keep serving the old copy meanwhile.
  /// users.refresh(forKey: id) { id in try await api.fetchUser(id) }
  /// ```
  ///
  /// - Readers keep getting the current value, if any, until the new one
  ///   lands; a caller that misses meanwhile (no live value) waits for it.
  /// - **Single flight** with loads: if a load or refresh of the key is
  ///   already in flight, nothing new starts (its value lands anyway) and the
  ///   method returns `false`.
  /// - A key without a live value is loaded and stored, as a load would.
  /// - **Newer writes win**: a write or removal of the key while the refresh
  ///   runs keeps the newer state.
  /// - A failed refresh keeps the current value, counts as a load failure in
  ///   ``statistics``, and reaches ``Configuration/onLoadFailure``; it is not
  ///   remembered by ``Freshness/failureTimeToLive``.
  /// - The refresh counts in ``CacheStatistics/refreshCount``; ``shutdown()``
  ///   cancels it.
  ///
  /// - Returns: Whether a refresh started.
  @discardableResult
  public func refresh(forKey key: Key, using loader: @escaping @Sendable (Key) async throws -> Value) -> Bool {
    !core.refresh([key], loader: .single(loader)).isEmpty
  }

  /// Reloads `keys` in the background with one call of a batch `loader`
  /// (Caffeine's `refreshAll`); the rules of ``refresh(forKey:using:)``
  /// apply to each key. Keys with a load already in flight are left to it;
  /// keys the loader returns no value for keep their current value.
  ///
  /// - Returns: The keys whose refresh started (each given once), in the
  ///   order of `keys`.
  @discardableResult
  public func refreshAll(
    _ keys: some Sequence<Key>, using loader: @escaping @Sendable ([Key]) async throws -> [Key: Value]
  ) -> [Key] {
    core.refresh(Array(keys), loader: .batch(loader))
  }
}
