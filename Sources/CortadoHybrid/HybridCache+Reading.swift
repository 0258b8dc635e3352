import Cortado

extension HybridCache {
  /// Returns the fresh value for `key`, loading it with `loader` when neither
  /// memory nor the store has one.
  ///
  /// ```swift
  /// let user = try await users.loadValue(forKey: id) { id in try await database.user(id) }
  /// ```
  ///
  /// 1. A value fresh in memory, in the current epoch, is returned at once.
  /// 2. Otherwise one caller per key (single flight, as in
  ///    `Cache.loadValue(forKey:using:)`) reads the store. A fresh value is
  ///    cached in memory and returned; a stale one is kept as a fallback; a
  ///    missing, unreadable or foreign value, a store error and a disconnected
  ///    store count as a miss.
  /// 3. On a miss the loader runs once; its value is written to the store
  ///    (best effort: a failed fill is not replayed) and cached in memory.
  ///    If this instance writes or removes the key while the loader runs,
  ///    that write wins: the loaded value is stored nowhere, and is returned
  ///    to the callers once the write has landed (so none of them can read
  ///    the key's older state after receiving it).
  /// 4. If the loader throws and `options.failSafe` is set, the freshest
  ///    fallback still inside its fail-safe window is returned instead, and
  ///    reused for the fail-safe's throttle; otherwise the error is thrown to
  ///    every waiting caller.
  ///
  /// Cancellation: a cancelled caller stops waiting with `CancellationError`;
  /// the load is cancelled only when its last caller is gone.
  ///
  /// - Parameters:
  ///   - key: The key.
  ///   - options: Lifetimes and fail-safe; `nil` for
  ///     ``HybridCacheConfiguration/defaultOptions``. In a load shared by
  ///     several callers, the options of the caller that started it apply.
  ///   - loader: Produces the value from the source of truth.
  /// - Throws: The loader's error, ``HybridCacheError/encodingFailed(key:underlying:)``,
  ///   ``HybridCacheConfigurationError`` for invalid options, or `CancellationError`.
  public func loadValue(
    forKey key: String,
    options: HybridCacheOptions? = nil,
    using loader: @escaping @Sendable (String) async throws -> Value
  ) async throws -> Value {
    let options = options ?? configuration.defaultOptions
    try options.validate()
    let hybridKey = makeKey(key)
    while true {
      if let value = freshLocal(hybridKey) { return value }
      // The guard's ticket is taken before the single flight registers the
      // load, so a write, removal or invalidation that comes after the load
      // began is seen by its fill, however late the fill's task starts. The
      // fill adopts the ticket of the caller that started it; a caller whose
      // loader did not run releases its own.
      let ticket = beginFill(hybridKey)
      let claim = FillClaim()
      defer { if claim.release() { endFill(hybridKey, ticket, storing: nil) } }
      let outcome = try await flights.run(key) {
        try await self.fill(hybridKey, adopting: claim.adopt() ? ticket : nil, options: options, loader: loader)
      }
      // A write, removal or invalidation of the key came between the fill's
      // ticket and this caller's (the fill registered with the single
      // flight after that barrier had detached the flights in place): the
      // value predates this caller, which must not receive it, so it loads
      // afresh.
      if outcome.keyMark >= ticket.keyMark { return outcome.value }
    }
  }

  /// The fresh value for `key` from memory or the store, or `nil`. Never
  /// loads, and never returns a stale value.
  ///
  /// A value found in the store is cached in memory with
  /// ``HybridCacheConfiguration/defaultOptions``. A store error counts as a
  /// miss.
  public func value(forKey key: String) async -> Value? {
    let hybridKey = makeKey(key)
    if let value = freshLocal(hybridKey) { return value }
    let ticket = beginFill(hybridKey)
    let entry: RemoteCacheEntry?
    do {
      let remoteKey = remoteKey(hybridKey)
      entry = try await remote { try await $0.get(remoteKey) }
    } catch {
      endFill(hybridKey, ticket, storing: nil)
      return nil
    }
    var tally = HybridCacheStatistics()
    let (value, stored) = acceptRemote(
      entry, key: hybridKey, ticket: ticket, options: configuration.defaultOptions, counting: &tally)
    endFill(hybridKey, ticket, storing: stored, counted: tally)
    return stored == nil ? nil : value?.value
  }

  /// The fresh values for `keys` from memory and, for the others, from one
  /// multi-key store read (Redis `MGET`). Keys without a fresh value are
  /// absent from the result.
  public func values(forKeys keys: some Sequence<String>) async -> [String: Value] {
    var result: [String: Value] = [:]
    var missing: [HybridKey] = []
    var seen = Set<String>()
    for key in keys where seen.insert(key).inserted {
      let hybridKey = makeKey(key)
      if let value = freshLocal(hybridKey) {
        result[key] = value
      } else {
        missing.append(hybridKey)
      }
    }
    guard !missing.isEmpty else { return result }
    let tickets = missing.map { beginFill($0) }
    let remoteKeys = missing.map { remoteKey($0) }
    var entries: [RemoteCacheEntry?] = []
    // Counted in memory, and added by the first `endFill` below.
    var tally = HybridCacheStatistics()
    do {
      entries = try await remote { try await $0.get(remoteKeys) }
      if entries.count != missing.count {
        // A reply of the wrong shape: trust none of it.
        tally.remoteErrors += 1
        entries = []
      }
    } catch {
      entries = []
    }
    for (index, key) in missing.enumerated() {
      defer { tally = HybridCacheStatistics() }
      guard index < entries.count else {
        endFill(key, tickets[index], storing: nil, counted: tally)
        continue
      }
      let (value, stored) = acceptRemote(
        entries[index], key: key, ticket: tickets[index], options: configuration.defaultOptions, counting: &tally)
      endFill(key, tickets[index], storing: stored, counted: tally)
      if stored != nil, let value { result[key.user] = value.value }
    }
    return result
  }

  // MARK: The fill

  /// The single-flight leader's work for ``loadValue(forKey:options:using:)``.
  ///
  /// `adopted` is the ticket of the caller that started the load. Without it
  /// (that caller left before the fill's task started, and others joined),
  /// the fill cannot know what happened since the load began: it still
  /// answers its callers but stores nothing.
  func fill(
    _ key: HybridKey,
    adopting adopted: FillTicket?,
    options: HybridCacheOptions,
    loader: @Sendable (String) async throws -> Value
  ) async throws -> FillOutcome<Value> {
    var ticket: FillTicket
    if let adopted {
      ticket = adopted
    } else {
      ticket = beginFill(key)
      ticket.mayStore = false
    }
    ticket = await awaitLocalWrites(key, renewing: ticket)
    // A fill that completed just before this one was started may have
    // cached the value already.
    if let value = freshLocal(key) {
      endFill(key, ticket, storing: nil)
      return FillOutcome(value: value, keyMark: ticket.keyMark)
    }
    var fallback = localFallback(key)
    // The fill's counts, added to the statistics by its one `endFill`.
    var tally = HybridCacheStatistics()

    let remoteKey = remoteKey(key)
    do {
      let entry = try await remote { try await $0.get(remoteKey) }
      let (read, fresh) = acceptRemote(entry, key: key, ticket: ticket, options: options, counting: &tally)
      if let fresh, let read {
        endFill(key, ticket, storing: fresh, counted: tally)
        return FillOutcome(value: read.value, keyMark: ticket.keyMark)
      }
      if let read, fallback.map({ $0.usableUntil < read.usableUntil }) ?? true {
        fallback = read
      }
    } catch {
      // An error is a miss (already counted); fall through to the loader.
    }
    if Task.isCancelled {
      endFill(key, ticket, storing: nil, counted: tally)
      throw CancellationError()
    }

    tally.loaderCalls += 1
    let value: Value
    do {
      value = try await loader(key.user)
    } catch {
      tally.loaderFailures += 1
      let time = now()
      if !(error is CancellationError), let failSafe = options.failSafe, let fallback, time < fallback.usableUntil {
        let entry = LocalEntry(
          value: fallback.value,
          epoch: ticket.epoch,
          freshUntil: min(_saturatingAdd(time, failSafe.throttle._nanosecondsClamped), fallback.usableUntil),
          usableUntil: fallback.usableUntil,
          fullKey: key.isHashed ? key.user : nil
        )
        tally.failSafeFallbacks += 1
        endFill(key, ticket, storing: entry, counted: tally)
        return FillOutcome(value: fallback.value, keyMark: ticket.keyMark)
      }
      endFill(key, ticket, storing: nil, counted: tally)
      throw error
    }

    // Every caller left while the loader ran (the single flight cancels its
    // task then): nobody asked for this value any more, so it is not written
    // anywhere, as an abandoned `Cache` load stores nothing.
    if Task.isCancelled {
      endFill(key, ticket, storing: nil, counted: tally)
      throw CancellationError()
    }
    let write: PreparedWrite
    do {
      write = try prepareWrite(value, key: key, options: options)
    } catch {
      endFill(key, ticket, storing: nil, counted: tally)
      throw error
    }
    // Best effort, and not queued for replay: replaying a loaded value later
    // could resurrect data another instance removed meanwhile. Skipped when a
    // write, removal or invalidation of the key happened since the fill
    // began: the newer state wins in the store too.
    if write.bytes.count > configuration.maximumValueBytes {
      tally.oversizedValues += 1
    } else if beginFillWrite(key, ticket) {
      let bytes = write.bytes
      let lifetime = write.storeTimeToLive
      if (try? await remote({ try await $0.set(remoteKey, bytes: bytes, timeToLive: lifetime) })) != nil {
        tally.remoteWrites += 1
      }
      endFillWrite(key)
    } else {
      tally.supersededFills += 1
      await awaitSupersedingWrite(key)
    }
    let entry = localEntry(
      value, key: key, epoch: ticket.epoch, reliable: ticket.reliable, time: now(),
      freshFor: write.freshFor, usableFor: write.localUsableFor, options: options
    )
    endFill(key, ticket, storing: entry, counted: tally)
    return FillOutcome(value: value, keyMark: ticket.keyMark)
  }

  /// Interprets a store entry: the decoded value (fresh or stale, with its
  /// fallback deadline) and, when fresh, the memory entry to cache. Counts
  /// the outcome in `tally`.
  func acceptRemote(
    _ entry: RemoteCacheEntry?,
    key: HybridKey,
    ticket: FillTicket,
    options: HybridCacheOptions,
    counting tally: inout HybridCacheStatistics
  ) -> (Fallback<Value>?, LocalEntry<Value>?) {
    let time = now()
    switch interpret(entry, key: key) {
    case .absent:
      tally.remoteMisses += 1
      return (nil, nil)
    case .rejected:
      tally.rejectedRemoteValues += 1
      return (nil, nil)
    case .stale(let value, let usableFor):
      tally.remoteStaleHits += 1
      return (Fallback(value: value, usableUntil: _saturatingAdd(time, usableFor)), nil)
    case .fresh(let value, let freshFor, let usableFor):
      tally.remoteHits += 1
      let entry = localEntry(
        value, key: key, epoch: ticket.epoch, reliable: ticket.reliable, time: time,
        freshFor: freshFor, usableFor: options.failSafe == nil ? 0 : usableFor, options: options
      )
      return (Fallback(value: value, usableUntil: _saturatingAdd(time, usableFor)), entry)
    }
  }

  /// Decodes and checks a store entry. Freshness comes from the server's
  /// remaining lifetime only: the value is fresh while more than its
  /// fail-safe window (`staleFor`) is left.
  func interpret(_ entry: RemoteCacheEntry?, key: HybridKey) -> RemoteRead<Value> {
    guard let entry else { return .absent }
    var remaining: Int64?
    if let timeToLive = entry.timeToLive {
      let nanoseconds = timeToLive._nanosecondsClamped
      guard nanoseconds > 0 else { return .absent }
      remaining = nanoseconds
    }
    guard case .success(let envelope) = HybridEnvelope.decode(entry.bytes),
      envelope.codecIdentifier == configuration.codec.identifier,
      envelope.schemaVersion == configuration.schemaVersion,
      envelope.key.utf8.elementsEqual(key.user.utf8),
      let value = try? configuration.codec.decode(Value.self, from: envelope.payload)
    else { return .rejected }
    let freshFor = _nanoseconds(milliseconds: envelope.freshForMilliseconds)
    let staleFor = _nanoseconds(milliseconds: envelope.staleForMilliseconds)
    guard let remaining else {
      // No expiry on the server: fresh for the writer's lifetime from now.
      return .fresh(value, freshFor: freshFor, usableFor: _saturatingAdd(freshFor, staleFor))
    }
    if remaining > staleFor {
      return .fresh(value, freshFor: min(remaining - staleFor, freshFor), usableFor: remaining)
    }
    return .stale(value, usableFor: remaining)
  }
}

/// A store entry, interpreted.
enum RemoteRead<Value: Sendable>: Sendable {
  case absent
  case rejected
  case stale(Value, usableFor: Int64)
  case fresh(Value, freshFor: Int64, usableFor: Int64)
}
