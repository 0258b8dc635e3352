/// Gathers the refreshes that loading reads find due, for
/// `Cache.Configuration.refreshBatching`, and hands them out in batches:
/// a full batch (`limit` keys) at once, the rest when the timer that the
/// first of them armed fires (`delay` later).
@usableFromInline
final class _RefreshBatcher<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  @usableFromInline typealias Item = (key: Key, hash: Int, load: _Load<Value>)

  @usableFromInline let loader: _Loader<Key, Value>
  @usableFromInline let delay: Duration
  @usableFromInline let limit: Int
  private let state = LockedState(Pending())

  private struct Pending: @unchecked Sendable {
    var items: [Item] = []
    var timerArmed = false
  }

  @usableFromInline
  init(loader: @escaping @Sendable ([Key]) async throws -> [Key: Value], delay: Duration, limit: Int) {
    self.loader = .batch(loader)
    self.delay = delay
    self.limit = limit
  }

  /// Adds `items`; returns the full batches to start now, and whether the
  /// caller must arm the timer (nothing else is waiting for it).
  @usableFromInline
  func add(_ items: [Item]) -> (batches: [[Item]], armTimer: Bool) {
    state.withLock { pending in
      pending.items += items
      var batches: [[Item]] = []
      while pending.items.count >= limit {
        batches.append(Array(pending.items.prefix(limit)))
        pending.items.removeFirst(limit)
      }
      let arm = !pending.items.isEmpty && !pending.timerArmed
      if arm { pending.timerArmed = true }
      return (batches, arm)
    }
  }

  /// Takes everything waiting (the timer fired, or the cache shuts down).
  @usableFromInline
  func takeAll() -> [Item] {
    state.withLock { pending in
      pending.timerArmed = false
      defer { pending.items = [] }
      return pending.items
    }
  }
}
