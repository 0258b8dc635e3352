import Cortado

// The fill guard: which fills and writes of a key are in flight, and the
// tickets that decide whether a fill may store what it loaded.
extension HybridCache {
  // MARK: Fills (the in-flight guard)

  /// Registers a fill of `key` and captures the epoch it reads in.
  func beginFill(_ key: HybridKey) -> FillTicket {
    state.withLock { state in
      let sequence = state.invalidationSequence
      state.fills[key.local, default: FillGuard(invalidatedAt: sequence)].active += 1
      let fill = state.fills[key.local]!
      return FillTicket(
        epoch: state.epoch, sequence: state.invalidationSequence, reliable: state.reliable,
        writesBegun: fill.writesBegun, writesInFlight: fill.localWrites, keyMark: fill.invalidatedAt)
    }
  }

  /// Ends a fill; stores `entry` in memory unless the key was invalidated
  /// since the fill began or this instance is writing it (the value then
  /// reaches only the fill's callers).
  func endFill(
    _ key: HybridKey, _ ticket: FillTicket, storing entry: LocalEntry<Value>?,
    counted tally: HybridCacheStatistics = HybridCacheStatistics()
  ) {
    state.withLock { state in
      state.statistics.add(tally)
      guard var fill = state.fills[key.local] else { return }
      let clean = ticket.mayStore && fill.invalidatedAt <= ticket.sequence && fill.localWrites == 0
      fill.active -= 1
      state.fills[key.local] = fill.isIdle ? nil : fill
      if clean, let entry { storeLocalLocked(entry, key: key) }
    }
  }

  /// Starts a write or removal of `key` by this instance. Must be called
  /// with `state` locked, together with the memory update.
  ///
  /// The store sends an instance no invalidation for its own writes
  /// (`NOLOOP`), so the fill guard needs this instead: a fill may read the
  /// store *before* the write reaches it, even when the fill began after the
  /// write updated memory, and must then not put that older value back in
  /// memory.
  func beginLocalWriteLocked(_ state: inout HybridState, _ key: String) {
    let sequence = state.invalidationSequence
    state.fills[key, default: FillGuard(invalidatedAt: sequence)].localWrites += 1
    state.fills[key]!.writesBegun &+= 1
  }

  /// Claims the right for a fill to write its loaded value to the store:
  /// granted only if no write, removal or invalidation of the key happened
  /// since the fill began (the newer state must win in the store too, not only
  /// in memory). A granted claim must be released with `endFillWrite`; a
  /// write or removal of the key by this instance waits for it
  /// (`awaitFillWrites`), so the store receives the fill's `SET` before the
  /// newer command, never after.
  func beginFillWrite(_ key: HybridKey, _ ticket: FillTicket) -> Bool {
    state.withLock { state in
      guard ticket.mayStore, var fill = state.fills[key.local], fill.invalidatedAt <= ticket.sequence,
        fill.localWrites == 0
      else {
        return false
      }
      fill.remoteWrites += 1
      state.fills[key.local] = fill
      return true
    }
  }

  /// Releases a claim from `beginFillWrite` and wakes the writes waiting for it.
  func endFillWrite(_ key: HybridKey) {
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      guard var fill = state.fills[key.local] else { return [] }
      fill.remoteWrites -= 1
      var waiters: [CheckedContinuation<Void, Never>] = []
      if fill.remoteWrites == 0 { swap(&waiters, &fill.writeWaiters) }
      state.fills[key.local] = fill.isIdle ? nil : fill
      return waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Waits until no fill of `key` is writing to the store. Called by a write
  /// or removal of this instance after it registered (`beginLocalWriteLocked`),
  /// so no new fill write can start meanwhile. Bounded by the store's
  /// deadline on the fill's write.
  func awaitFillWrites(_ key: HybridKey) async {
    await park(key, on: \.writeWaiters) { $0.remoteWrites > 0 }
  }

  /// Waits until no write or removal of this instance holds the key, and
  /// returns the ticket a fill must use from then on.
  ///
  /// A load that *began while* a write was on its way (and before any later
  /// one) reads the store only after that write, as if it had begun after it,
  /// and may then store what it reads or loads: otherwise its value could
  /// reach its callers and then vanish, neither stored nor yet overwritten. A
  /// load that began *before* a write keeps its ticket: the write supersedes
  /// it, and it stores nothing.
  func awaitLocalWrites(_ key: HybridKey, renewing ticket: FillTicket) async -> FillTicket {
    await park(key, on: \.fillsAwaitingWrites) { $0.writing }
    return state.withLock { state in
      guard ticket.writesInFlight > 0, let fill = state.fills[key.local], fill.writesBegun == ticket.writesBegun else {
        return ticket
      }
      var renewed = FillTicket(
        epoch: state.epoch, sequence: state.invalidationSequence, reliable: state.reliable,
        writesBegun: fill.writesBegun, writesInFlight: 0, keyMark: fill.invalidatedAt)
      renewed.mayStore = ticket.mayStore
      return renewed
    }
  }

  /// Suspends until resumed from the key's waiting list `list`, unless the
  /// key has no guard or `mustWait` is false for it. The one way to wait on
  /// the fill guard: the check and the registration happen under one lock,
  /// so the wake-up (which empties the list under that lock) cannot be
  /// missed.
  func park(
    _ key: HybridKey, on list: WritableKeyPath<FillGuard, [CheckedContinuation<Void, Never>]>,
    while mustWait: (FillGuard) -> Bool
  ) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let ready = state.withLock { state -> Bool in
        guard var fill = state.fills[key.local], mustWait(fill) else { return true }
        fill[keyPath: list].append(continuation)
        state.fills[key.local] = fill
        return false
      }
      if ready { continuation.resume() }
    }
  }

  /// Ends a write or removal of `key` by this instance (whether or not it
  /// reached the store): fills that began before now may have read the
  /// replaced value, so they do not store what they read.
  func endLocalWrite(_ key: HybridKey) {
    let superseded = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      retireFillsLocked(&state, key.local)
      guard var fill = state.fills[key.local] else { return [] }
      fill.localWrites -= 1
      var superseded: [CheckedContinuation<Void, Never>] = []
      swap(&superseded, &fill.supersededFills)
      state.fills[key.local] = fill.isIdle ? nil : fill
      return superseded
    }
    for continuation in superseded { continuation.resume() }
  }

  /// Waits until the write or removal of `key` that this instance has in
  /// flight, if any, has ended. Called by a fill that a write superseded,
  /// before it answers its callers with the value it did not store: until
  /// that write lands, reads still see the key's older state, so a caller
  /// that received the loaded value could read a miss next, which no
  /// sequential order explains. Answering after the write lands puts the
  /// fill before it. Writes of a key are applied one at a time, so the wait
  /// is bounded by one write's store deadline.
  func awaitSupersedingWrite(_ key: HybridKey) async {
    await park(key, on: \.supersededFills) { $0.localWrites > 0 }
  }

  /// Fills of `key` in flight now will not store what they read. Must be
  /// called with `state` locked.
  func retireFillsLocked(_ state: inout HybridState, _ key: String) {
    state.invalidationSequence &+= 1
    if state.fills[key] != nil { state.fills[key]!.invalidatedAt = state.invalidationSequence }
  }
}

struct FillGuard: Sendable {
  /// Fills in flight.
  var active = 0
  /// Writes and removals by this instance in flight.
  var localWrites = 0
  /// Fills writing their loaded value to the store right now.
  var remoteWrites = 0
  /// Writes and removals of this instance waiting for those fill writes.
  var writeWaiters: [CheckedContinuation<Void, Never>] = []
  /// The invalidation sequence of the last invalidation of the key.
  var invalidatedAt: UInt64 = 0
  /// A write or removal of this instance holds the key's turn.
  var writing = false
  /// Writes and removals waiting for their turn, first come first served.
  var writeTurns: [CheckedContinuation<Void, Never>] = []
  /// Fills waiting for this instance's writes of the key to end.
  var fillsAwaitingWrites: [CheckedContinuation<Void, Never>] = []
  /// Fills superseded by the write in flight, waiting for it to end before
  /// they answer (`awaitSupersedingWrite`).
  var supersededFills: [CheckedContinuation<Void, Never>] = []
  /// Writes and removals of this instance begun while this entry existed.
  var writesBegun: UInt64 = 0

  /// A new guard: its last invalidation counts as now, so that a ticket
  /// taken on it is never mistaken for one older than an invalidation that
  /// a deleted guard of the key saw (see `FillTicket.keyMark`).
  init(invalidatedAt sequence: UInt64) {
    invalidatedAt = sequence
  }

  var isIdle: Bool {
    active == 0 && localWrites == 0 && remoteWrites == 0 && !writing && writeTurns.isEmpty
      && fillsAwaitingWrites.isEmpty && supersededFills.isEmpty
  }
}

struct FillTicket: Sendable {
  let epoch: UInt64
  let sequence: UInt64
  let reliable: Bool
  /// `FillGuard.writesBegun` and `.localWrites` when the ticket was taken.
  var writesBegun: UInt64 = 0
  var writesInFlight = 0
  /// The key's last invalidation (`FillGuard.invalidatedAt`) when the ticket
  /// was taken: of two tickets of one key, the one with the smaller mark
  /// was taken before a barrier that the other came after. A new guard
  /// starts at the current invalidation sequence, so marks stay comparable
  /// across a guard that was deleted and made again (at worst a caller
  /// loads once more than it needed).
  var keyMark: UInt64 = 0
  /// False for a fill that could not adopt the ticket of the load it serves:
  /// it stores nothing, in memory or in the store.
  var mayStore = true
}

/// What a fill answers its callers: the value, and the mark of the ticket
/// it ran under (a caller whose own ticket is newer must not take it).
struct FillOutcome<Value: Sendable>: Sendable {
  var value: Value
  var keyMark: UInt64
}

/// Who ends a loading caller's fill ticket: the fill that adopts it when the
/// caller's loader runs, or the caller itself when it did not (it joined a
/// fill in flight, or left before its fill's task started).
final class FillClaim: @unchecked Sendable {
  private let state = LockedState(0)  // 0 open, 1 adopted by the fill, 2 released by the caller

  /// The fill takes the ticket; false if the caller already released it.
  func adopt() -> Bool {
    state.withLock { state in
      guard state == 0 else { return false }
      state = 1
      return true
    }
  }

  /// The caller is done; true if it must end its ticket itself.
  func release() -> Bool {
    state.withLock { state in
      guard state == 0 else { return false }
      state = 2
      return true
    }
  }
}
