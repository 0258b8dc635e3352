import Cortado

extension HybridCache {
  /// Writes `value` to the store and to memory; every other instance drops
  /// its copy of the key.
  ///
  /// The old value leaves memory at once; the new one enters memory once the
  /// store has it (or once the write is queued), so no read of this instance
  /// can see the write and then, after memory dropped it, an older value from
  /// the store. This instance's writes and removals of one key are applied
  /// one at a time, in the order they were called, to the store and to memory
  /// alike. If the store cannot be reached (error, timeout, disconnected), the
  /// write is queued and replayed after the reconnect as a compare-and-set
  /// that cannot overwrite a newer value written meanwhile by another
  /// instance; the call does not throw for that (see the returned outcome).
  ///
  /// - Returns: Whether the store has the value, or it waits for replay, or
  ///   it is too large for the store.
  /// - Throws: ``HybridCacheError/encodingFailed(key:underlying:)`` or
  ///   ``HybridCacheConfigurationError`` for invalid options; nothing else.
  @discardableResult
  public func setValue(_ value: Value, forKey key: String, options: HybridCacheOptions? = nil) async throws
    -> HybridWriteResult
  {
    let options = options ?? configuration.defaultOptions
    try options.validate()
    let hybridKey = makeKey(key)
    let write = try prepareWrite(value, key: hybridKey, options: options)
    await acquireWriteTurn(hybridKey)
    defer { releaseWriteTurn(hybridKey) }
    let start = beginLocalWrite(hybridKey)
    defer { endLocalWrite(hybridKey) }
    await supersedeFills(hybridKey)
    var freshFor = write.freshFor
    var usableFor = write.localUsableFor
    let outcome: HybridWriteResult
    if options.keepsRemainingLifetime {
      let kept = await sendWriteKeepingLifetime(write, key: hybridKey, sequence: start.sequence)
      switch kept {
      case .unsupported(let requirement):
        throw HybridCacheError.unsupportedByStore(requirement)
      case .written(let result, let remaining):
        outcome = result
        if let remaining {
          // The store kept the key's lifetime: memory follows what is left of
          // it (fresh while more than the fail-safe window remains).
          freshFor = min(freshFor, remaining - write.staleFor)
          if usableFor > 0 { usableFor = min(usableFor, remaining) }
        }
      }
    } else {
      outcome = await sendWrite(write, key: hybridKey, sequence: start.sequence)
    }
    // Into memory, unless the key changed meanwhile (another instance's
    // write arrived as an invalidation): the store then has something newer.
    state.withLock { state in
      guard (state.fills[hybridKey.local]?.invalidatedAt ?? 0) <= start.invalidation else { return }
      let entry = localEntry(
        value, key: hybridKey, epoch: start.epoch, reliable: start.reliable, time: now(),
        freshFor: freshFor, usableFor: usableFor, options: options
      )
      storeLocalLocked(entry, key: hybridKey)
    }
    return outcome
  }

  /// What a keep-remaining write did: the store's outcome and the kept
  /// lifetime (nil when it was queued or not sent), or a store that cannot.
  enum KeepingWrite {
    case written(HybridWriteResult, remaining: Int64?)
    case unsupported(String)
  }

  /// Sends a prepared write that keeps the key's remaining lifetime in the
  /// store. A store that cannot reach the server queues it like any write
  /// (its replay is a compare-and-set with the fallback lifetime: bounded,
  /// never without expiry).
  func sendWriteKeepingLifetime(_ write: PreparedWrite, key: HybridKey, sequence: UInt64) async -> KeepingWrite {
    guard write.bytes.count <= configuration.maximumValueBytes else {
      return .written(await sendWrite(write, key: key, sequence: sequence), remaining: nil)
    }
    let remoteKey = remoteKey(key)
    let bytes = write.bytes
    let lifetime = write.storeTimeToLive
    do {
      let remaining = try await remote {
        try await $0.setKeepingTimeToLive(remoteKey, bytes: bytes, otherwise: lifetime)
      }
      completedRemoteWrite(remoteKey, sequence: sequence)
      return .written(.stored, remaining: remaining._nanosecondsClamped)
    } catch RemoteCacheStoreError.unsupported(let requirement) {
      return .unsupported(requirement)
    } catch {
      return .written(enqueueReplay(write, remoteKey: remoteKey), remaining: nil)
    }
  }

  /// Sends a prepared write to the store, or queues it.
  func sendWrite(_ write: PreparedWrite, key: HybridKey, sequence: UInt64) async -> HybridWriteResult {
    let remoteKey = remoteKey(key)
    guard write.bytes.count <= configuration.maximumValueBytes else {
      // Not sent, but the store's older value must not outlive this write.
      state.withLock { $0.statistics.oversizedValues += 1 }
      _ = await removeRemote(remoteKey, sequence: sequence)
      return .localOnly
    }
    let bytes = write.bytes
    let lifetime = write.storeTimeToLive
    do {
      try await remote { try await $0.set(remoteKey, bytes: bytes, timeToLive: lifetime) }
      completedRemoteWrite(remoteKey, sequence: sequence)
      return .stored
    } catch {
      return enqueueReplay(write, remoteKey: remoteKey)
    }
  }

  /// Queues a write the store did not take, for replay as a compare-and-set
  /// with its own lifetime.
  func enqueueReplay(_ write: PreparedWrite, remoteKey: String) -> HybridWriteResult {
    let operation = RecoveryQueue.Operation.set(
      bytes: write.bytes,
      timeToLive: write.storeTimeToLive._nanosecondsClamped,
      createdAtMilliseconds: write.createdAtMilliseconds,
      enqueuedAt: now()
    )
    return enqueue(remoteKey, operation)
  }

  /// Removes `key` from memory and from the store; every other instance
  /// drops its copy.
  ///
  /// If the store cannot be reached, the removal is queued and replayed after
  /// the reconnect.
  @discardableResult
  public func removeValue(forKey key: String) async -> HybridWriteResult {
    let hybridKey = makeKey(key)
    await acquireWriteTurn(hybridKey)
    defer { releaseWriteTurn(hybridKey) }
    let start = beginLocalWrite(hybridKey)
    defer { endLocalWrite(hybridKey) }
    await supersedeFills(hybridKey)
    return await removeRemote(remoteKey(hybridKey), sequence: start.sequence)
  }

  /// What a write or removal of this instance notes when it begins.
  struct LocalWriteStart {
    /// The recovery queue's sequence (operations queued later are newer).
    var sequence: UInt64
    /// The invalidation sequence after this write's own invalidation.
    var invalidation: UInt64
    var epoch: UInt64
    var reliable: Bool
  }

  /// Drops the key from memory, stops the fills in flight from storing, and
  /// registers the write with the fill guard.
  func beginLocalWrite(_ key: HybridKey) -> LocalWriteStart {
    state.withLock { state in
      invalidateLocked(&state, key.local, keepFallback: false)
      beginLocalWriteLocked(&state, key.local)
      return LocalWriteStart(
        sequence: state.queue.currentSequence, invalidation: state.invalidationSequence,
        epoch: state.epoch, reliable: state.reliable)
    }
  }

  /// Waits until this instance's earlier writes and removals of `key` are
  /// done (first come, first served).
  func acquireWriteTurn(_ key: HybridKey) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let ready = state.withLock { state -> Bool in
        var fill = state.fills[key.local, default: FillGuard(invalidatedAt: state.invalidationSequence)]
        defer { state.fills[key.local] = fill }
        if !fill.writing {
          fill.writing = true
          return true
        }
        fill.writeTurns.append(continuation)
        return false
      }
      if ready { continuation.resume() }
    }
  }

  /// Hands the key's write turn to the next write, if any; when none is
  /// left, lets the fills waiting for the writes go on.
  func releaseWriteTurn(_ key: HybridKey) {
    let resumed = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      guard var fill = state.fills[key.local] else { return [] }
      var resumed: [CheckedContinuation<Void, Never>] = []
      if fill.writeTurns.isEmpty {
        fill.writing = false
        swap(&resumed, &fill.fillsAwaitingWrites)
      } else {
        resumed = [fill.writeTurns.removeFirst()]
      }
      state.fills[key.local] = fill.isIdle ? nil : fill
      return resumed
    }
    for continuation in resumed { continuation.resume() }
  }

  /// A write or removal by this instance is a barrier for the fills of the
  /// key that began before it: callers arriving from now on start a fill of
  /// their own instead of joining one of those, and a fill already writing
  /// its loaded value to the store finishes that write before this
  /// instance's command is sent, so the older value never lands last.
  func supersedeFills(_ key: HybridKey) async {
    flights.detach(key.user)
    await awaitFillWrites(key)
  }

  func removeRemote(_ remoteKey: String, sequence: UInt64) async -> HybridWriteResult {
    do {
      try await remote { try await $0.remove([remoteKey]) }
      completedRemoteWrite(remoteKey, sequence: sequence)
      return .stored
    } catch {
      return enqueue(remoteKey, .remove)
    }
  }

  /// A direct write reached the store: an older queued operation for the key
  /// is obsolete, and the store is reachable, so replay what is queued.
  func completedRemoteWrite(_ remoteKey: String, sequence: UInt64) {
    let pending = state.withLock { state -> Bool in
      state.statistics.remoteWrites += 1
      state.queue.remove(remoteKey, enqueuedBefore: sequence)
      return state.queue.count > 0
    }
    if pending { startReplay() }
  }

  func enqueue(_ remoteKey: String, _ operation: RecoveryQueue.Operation) -> HybridWriteResult {
    state.withLock { state in
      guard state.queue.capacity > 0 else {
        state.statistics.recoveryDropped += 1
        return .dropped
      }
      let dropped = state.queue.enqueue(remoteKey, operation)
      state.statistics.recoveryQueued += 1
      state.statistics.recoveryDropped += dropped
      return .queued
    }
  }

  /// Encodes `value` in its envelope, with the lifetimes `options` give it.
  func prepareWrite(_ value: Value, key: HybridKey, options: HybridCacheOptions) throws -> PreparedWrite {
    let payload: [UInt8]
    do {
      payload = try configuration.codec.encode(value)
    } catch {
      throw HybridCacheError.encodingFailed(key: key.user, underlying: error)
    }
    var freshFor = options.timeToLive._nanosecondsClamped
    if let jitter = options.jitter, jitter > .zero { freshFor = _saturatingAdd(freshFor, drawJitter(jitter)) }
    let staleFor = options.failSafe?.maximumStaleness._nanosecondsClamped ?? 0
    let createdAt = wallMilliseconds()
    let envelope = HybridEnvelope(
      codecIdentifier: configuration.codec.identifier,
      createdAtMilliseconds: createdAt,
      freshForMilliseconds: UInt64(max(Duration.nanoseconds(freshFor)._millisecondsRoundedUp, 0)),
      staleForMilliseconds: UInt64(max(options.failSafe?.maximumStaleness._millisecondsRoundedUp ?? 0, 0)),
      schemaVersion: configuration.schemaVersion,
      key: key.user,
      payload: payload
    )
    // The store keeps the value through its fail-safe window, so that other
    // instances can fall back to it too.
    let storeLifetime = _saturatingAdd(freshFor, staleFor)
    return PreparedWrite(
      bytes: envelope.encoded(),
      createdAtMilliseconds: createdAt,
      storeTimeToLive: .nanoseconds(storeLifetime),
      freshFor: freshFor,
      staleFor: staleFor,
      localUsableFor: options.failSafe == nil ? 0 : storeLifetime
    )
  }

  /// One draw on [0, `jitter`) nanoseconds from this cache's generator.
  func drawJitter(_ jitter: Duration) -> Int64 {
    let width = UInt64(max(jitter._nanosecondsClamped, 1))
    return Int64(state.withLock { $0.jitter.next() } % width)
  }
}

/// A value ready to be written.
struct PreparedWrite: Sendable {
  var bytes: [UInt8]
  var createdAtMilliseconds: Int64
  /// The store's lifetime: fresh for, plus the fail-safe window.
  var storeTimeToLive: Duration
  /// How long the value is fresh (nanoseconds, jitter included).
  var freshFor: Int64
  /// The fail-safe window (nanoseconds; 0 without fail-safe).
  var staleFor: Int64
  /// How long the memory copy stays usable as a fallback (0 without fail-safe).
  var localUsableFor: Int64
}
