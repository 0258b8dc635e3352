// The compute family: `value(forKey:orInsert:)`, `compute(forKey:_:)`,
// `modifyValue(forKey:_:)` and `insertValue(_:forKey:)`. Every closure runs
// outside every lock, under a per-key claim (`_Shard.pending`): callers of
// one key wait for each other, other keys are not blocked, and a write or
// removal of the key takes the claim away (it wins; see `_Shard.supersede`).

extension _CacheCore {
  /// The one way to take a key's claim. Under the stripe lock, `inspect`
  /// either answers at once or asks for the claim; a claim already held by
  /// another caller is waited for (outside the lock), then the key is
  /// inspected again. A claim held by this very thread means the closure
  /// asked for its own key: that would wait for itself forever, so the
  /// program stops with a message naming `method`.
  ///
  /// With `returnsWaitedValue`, the value another caller's computation
  /// produced is returned as `.waited` (compute-if-absent shares it).
  @inlinable
  func claim<Found>(
    _ key: Key, hash: UInt32, stripe: _Stripe<Key, Value>, method: StaticString, returnsWaitedValue: Bool,
    _ inspect: (UnsafeMutablePointer<_Shard<Key, Value>>, Int64) -> _ClaimDecision<Found>
  ) -> _Claim<Value, Found> {
    while true {
      let now = readTime()
      let step: _ClaimStep<Value, Found> = locked(stripe) { shard in
        switch inspect(shard, now) {
        case .answer(let found):
          return .answer(found)
        case .claim(let found):
          if let other = shard.pointee.pending[key] { return .wait(other) }
          let mine = _PendingCompute<Value>(owner: .current)
          shard.pointee.pending[key] = mine
          return .claimed(mine, found)
        }
      }
      switch step {
      case .answer(let found):
        return .answer(found)
      case .claimed(let mine, let found):
        return .claimed(mine, found)
      case .wait(let other):
        if other.owner == .current {
          fatalError(
            """
            Cortado: the closure given to \(method) for key \(key) asked the same cache to compute the same \
            key again; this would wait for itself forever. Compute the value without computing its own key.
            """)
        }
        // nil: that computation threw or was superseded; look again.
        if let value = other.waitForResult(), returnsWaitedValue { return .waited(value) }
      }
    }
  }

  /// Gives up `claim` after its closure threw: nothing changes, and a
  /// waiting caller looks again.
  @inlinable
  func abandon(_ claim: _PendingCompute<Value>, key: Key, stripe: _Stripe<Key, Value>) {
    locked(stripe) { shard in
      if shard.pointee.pending[key] === claim { shard.pointee.pending[key] = nil }
    }
    claim.finish(nil)
  }

  /// The atomic compute-if-absent behind `value(forKey:orInsert:)`.
  @inlinable
  func value<E: Error>(forKey key: Key, orInsert make: () throws(E) -> Value) throws(E) -> Value {
    let hash = key.hashValue
    let hash32 = UInt32(truncatingIfNeeded: hash)
    let stripe = stripe(for: hash)
    let claimed = claim(
      key, hash: hash32, stripe: stripe, method: "value(forKey:orInsert:)", returnsWaitedValue: true
    ) { shard, now -> _ClaimDecision<Value?> in
      if let value = shard.pointee.lookup(key, hash: hash32, now: now) { return .answer(value) }
      return .claim(nil)
    }
    let computation: _PendingCompute<Value>
    switch claimed {
    case .answer(let value):
      return value!  // the inspection answers only with a value
    case .waited(let value):
      return value
    case .claimed(let mine, _):
      computation = mine
    }
    let value: Value
    do {
      value = try make()
    } catch {
      abandon(computation, key: key, stripe: stripe)
      throw error
    }
    let cost = self.cost(key, value)
    let lifetime = self.lifetime(key, value, timeToLive: nil)
    let writeTime = clock.now()
    locked(stripe) { shard in
      // Superseded by a write or removal meanwhile: that newer change wins.
      if shard.pointee.pending[key] === computation {
        shard.pointee.pending[key] = nil
        _ = shard.pointee.store(key, hash: hash32, value: value, cost: cost, lifetime: lifetime, now: writeTime)
      }
    }
    computation.finish(value)
    return value
  }

  /// The atomic read-modify-write behind `compute(forKey:_:)` and
  /// `modifyValue(forKey:_:)`: `transform` sees the key's live value (nil if
  /// none) and returns the new one (nil: remove). With `presentOnly`, an
  /// absent key is answered `.unchanged` without running `transform`, and a
  /// replaced entry keeps its remaining lifetime.
  ///
  /// If the entry `transform` saw expires or is evicted while it runs (no
  /// write: a write takes the claim), `transform` runs again on what the key
  /// holds then, so the result is always computed from the current value.
  @inlinable
  func compute<E: Error>(
    forKey key: Key, method: StaticString, presentOnly: Bool, _ transform: (Value?) throws(E) -> Value?
  ) throws(E) -> CacheComputeResult<Value> {
    let hash = key.hashValue
    let hash32 = UInt32(truncatingIfNeeded: hash)
    let stripe = stripe(for: hash)
    let claimed = claim(
      key, hash: hash32, stripe: stripe, method: method, returnsWaitedValue: false
    ) { shard, now -> _ClaimDecision<_QuietEntry<Value>?> in
      let entry = shard.pointee.quietEntry(key, hash: hash32, now: now)
      return presentOnly && entry == nil ? .answer(nil) : .claim(entry)
    }
    guard case .claimed(let claim, var current) = claimed else { return .unchanged }
    while true {
      let result: Value?
      do {
        result = try transform(current?.value)
      } catch {
        abandon(claim, key: key, stripe: stripe)
        throw error
      }
      let cost = result.map { self.cost(key, $0) } ?? 0
      let lifetime = presentOnly ? defaultLifetime : result.map { self.lifetime(key, $0, timeToLive: nil) }
      let now = clock.now()
      let step: _ComputeStep<Value> = locked(stripe) { shard in
        guard shard.pointee.pending[key] === claim else { return .done(.superseded) }
        let latest = shard.pointee.quietEntry(key, hash: hash32, now: now)
        if latest?.stamp != current?.stamp {
          // Expired or evicted while `transform` ran.
          if presentOnly && latest == nil {
            shard.pointee.pending[key] = nil
            return .done(.unchanged)
          }
          return .again(latest)
        }
        shard.pointee.pending[key] = nil
        guard let result else {
          return .done(shard.pointee.remove(key, hash: hash32, now: now) == nil ? .unchanged : .removed)
        }
        let written =
          presentOnly
          ? shard.pointee.storeKeepingRemaining(
            key, hash: hash32, value: result, cost: cost, lifetime: defaultLifetime, now: now)
          : shard.pointee.store(
            key, hash: hash32, value: result, cost: cost, lifetime: lifetime ?? defaultLifetime, now: now)
        if case .rejected(let reason, _) = written { return .done(.rejected(reason: reason)) }
        return .done(.stored(result))
      }
      switch step {
      case .done(let outcome):
        claim.finish(outcome.storedValue)
        return outcome
      case .again(let latest):
        current = latest
      }
    }
  }

  /// Insert-if-absent behind `insertValue(_:forKey:)`. No closure runs, so no
  /// claim is taken; a claim in flight is superseded by the insertion.
  @inlinable
  func insert(_ value: Value, forKey key: Key) -> CacheInsertResult<Value> {
    let cost = self.cost(key, value)
    let lifetime = self.lifetime(key, value, timeToLive: nil)
    let hash = key.hashValue
    let hash32 = UInt32(truncatingIfNeeded: hash)
    let stripe = stripe(for: hash)
    let now = clock.now()
    return locked(stripe) { shard in
      if let existing = shard.pointee.quietEntry(key, hash: hash32, now: now) { return .existing(existing.value) }
      let written = shard.pointee.store(key, hash: hash32, value: value, cost: cost, lifetime: lifetime, now: now)
      if case .rejected(let reason, _) = written { return .rejected(reason: reason) }
      return .inserted
    }
  }
}

/// What a claim's inspection decided, under the lock.
@usableFromInline
enum _ClaimDecision<Found> {
  /// Answer at once, without a claim.
  case answer(Found)
  /// Take the key's claim, carrying what was found.
  case claim(Found)
}

/// What `_CacheCore.claim` returns.
@usableFromInline
enum _Claim<Value, Found> {
  case answer(Found)
  /// Another caller's computation produced this value.
  case waited(Value)
  case claimed(_PendingCompute<Value>, Found)
}

/// One pass of `_CacheCore.claim` under the lock.
@usableFromInline
enum _ClaimStep<Value, Found> {
  case answer(Found)
  case claimed(_PendingCompute<Value>, Found)
  case wait(_PendingCompute<Value>)
}

/// The end of one pass of a read-modify-write.
@usableFromInline
enum _ComputeStep<Value: Sendable> {
  case done(CacheComputeResult<Value>)
  /// The entry changed without a write: run the closure again on this.
  case again(_QuietEntry<Value>?)
}

/// A live entry's value and write stamp, read without counting as a use.
@usableFromInline
struct _QuietEntry<Value> {
  @usableFromInline var value: Value
  @usableFromInline var stamp: UInt64

  @inlinable
  init(value: Value, stamp: UInt64) {
    self.value = value
    self.stamp = stamp
  }
}
