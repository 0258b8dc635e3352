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
    /// The armed timer's task, cancelled when the batch leaves some other
    /// way (shutdown, close): a timer on a `ManualClock` nobody advances
    /// would otherwise sleep for ever.
    var timer: Task<Void, Never>?
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

  /// Keeps the armed timer's task, unless the batch already left (then the
  /// task is cancelled at once).
  @usableFromInline
  func setTimer(_ task: Task<Void, Never>) {
    let stale = state.withLock { pending -> Bool in
      guard pending.timerArmed else { return true }
      pending.timer = task
      return false
    }
    if stale { task.cancel() }
  }

  /// Takes everything waiting (the timer fired, or the cache shuts down)
  /// and disarms the timer, cancelling its task.
  @usableFromInline
  func takeAll() -> [Item] {
    let (items, timer) = state.withLock { pending in
      defer {
        pending.items = []
        pending.timerArmed = false
        pending.timer = nil
      }
      return (pending.items, pending.timer)
    }
    timer?.cancel()
    return items
  }
}
