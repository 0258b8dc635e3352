/// One key's async load in flight: the continuations of the callers waiting
/// for it, and its outcome once known. Guarded by the lock of the stripe that
/// holds the key.
///
/// ## The current load
/// `_Shard.loads[key]` holds the key's *current* load, the only one that may
/// store its value. A load stops being current when it finishes, when a write
/// or removal of the key supersedes it (the shard drops it from `loads` and
/// sets `superseded`), or when its task is abandoned by its last waiter. A
/// caller arriving later never joins a load that is no longer current, so no
/// caller that starts after a write or removal can receive a value loaded
/// before it.
@usableFromInline
final class _Load<Value: Sendable>: @unchecked Sendable {
  @usableFromInline var waiters: [UInt64: CheckedContinuation<Value, any Error>] = [:]
  /// The outcome, kept after the load finished so that a caller holding this
  /// load (a batch caller) can still collect it.
  @usableFromInline var outcome: Result<Value, any Error>?
  /// A write or removal of the key happened while loading: it wins, and the
  /// loaded value is handed to the waiters but not stored.
  @usableFromInline var superseded = false
  @usableFromInline let task: _LoadTask
  /// Started by refresh-after: readers never wait for it, and it is not
  /// cancelled when waiters come and go.
  @usableFromInline let isRefresh: Bool

  @usableFromInline
  init(task: _LoadTask, isRefresh: Bool) {
    self.task = task
    self.isRefresh = isRefresh
  }

  /// Whether a caller arriving now may wait for this load instead of starting
  /// its own: it is still current (the caller found it in `loads`) and its task
  /// has not been abandoned. Call with the stripe lock held.
  @inlinable
  var isJoinable: Bool { !superseded && outcome == nil && !task.isAbandoned }
}

/// The `Task` running a loader, shared by the loads it serves (one key, or
/// every key of a batch).
///
/// The shared task is cancelled only when its last waiter is gone: each
/// waiter counts itself in, and a waiter leaving through cancellation that
/// brings the count to zero *abandons* the task. An abandoned task's values
/// are never stored, and a caller arriving later never joins it; it starts a
/// fresh load instead, so one caller's cancellation never fails another.
///
/// A waiter counts in and out with the lock of the stripe holding the key it
/// waits for, and a load checks `isAbandoned` under that same lock before
/// storing: for a single-key load, "abandoned" and "stored" are therefore
/// never both true. A batch caller holds one count on its own batch task for
/// as long as it runs (see `_CacheCore.loadBatch`), so a single-key caller
/// that joined the batch and is cancelled cannot abandon it.
@usableFromInline
final class _LoadTask: @unchecked Sendable {
  /// Waiters counted in; -1 once abandoned (then it never changes again).
  @usableFromInline let waiters = _AtomicInt64(0)
  private let mutex = _Mutex()
  // Guarded by `mutex`.
  private var task: Task<Void, Never>?
  private var cancelRequested = false

  @usableFromInline
  init(waiters: Int64 = 0) {
    self.waiters.store(waiters)
  }

  @usableFromInline
  var isAbandoned: Bool { waiters.value < 0 }

  /// Counts a waiter in; false when the task was abandoned (start afresh).
  @usableFromInline
  func join() -> Bool {
    while true {
      let current = waiters.value
      if current < 0 { return false }
      if waiters.compareExchange(expected: current, desired: current + 1) { return true }
    }
  }

  /// Counts a waiter out. Returns true when it was the last one and the task
  /// is now abandoned (the caller then cancels it, outside every lock).
  /// Refreshes are never abandoned.
  @usableFromInline
  func leave(isRefresh: Bool) -> Bool {
    let remaining = waiters.add(-1) - 1
    return remaining == 0 && !isRefresh && waiters.compareExchange(expected: 0, desired: -1)
  }

  /// Attaches the running task (after the loads it serves were published).
  @usableFromInline
  func attach(_ task: Task<Void, Never>) {
    mutex.lock()
    self.task = task
    let cancel = cancelRequested
    mutex.unlock()
    if cancel { task.cancel() }
  }

  @usableFromInline
  func cancel() {
    mutex.lock()
    cancelRequested = true
    let task = self.task
    mutex.unlock()
    task?.cancel()
  }

  /// Waits for the task to finish (for `shutdown()`).
  @usableFromInline
  func wait() async {
    mutex.lock()
    let task = self.task
    mutex.unlock()
    await task?.value
  }
}

/// Which load one waiting caller joined, so that its cancellation handler can
/// find it even after the load stopped being current. Guarded by the lock of
/// the stripe holding the key.
@usableFromInline
final class _WaitRegistration<Value: Sendable>: @unchecked Sendable {
  @usableFromInline var load: _Load<Value>?

  @usableFromInline
  init() {}
}

/// The loads the current task is running the loader of, innermost first: a
/// loader that asks its own cache for a key it is loading would otherwise
/// wait for itself forever.
///
/// A task-local value, so it follows the loader into the tasks it awaits and
/// the unstructured tasks it creates (a `Memoized` function or a `HybridCache`
/// loader calling back into the same cache), but not into detached tasks.
@usableFromInline
final class _LoadChain: Sendable {
  @usableFromInline let task: ObjectIdentifier
  @usableFromInline let parent: _LoadChain?

  @usableFromInline
  init(task: _LoadTask, parent: _LoadChain?) {
    self.task = ObjectIdentifier(task)
    self.parent = parent
  }

  @TaskLocal @usableFromInline static var current: _LoadChain?

  /// Whether the current task is (inside) the loader of `task`.
  @usableFromInline
  static func contains(_ task: _LoadTask) -> Bool {
    var link = current
    let id = ObjectIdentifier(task)
    while let node = link {
      if node.task == id { return true }
      link = node.parent
    }
    return false
  }
}

/// What a loading read found in the cache.
@usableFromInline
enum _LoadProbe<Value> {
  /// A live value; `refresh` is a background refresh to start, if due.
  case hit(Value, refresh: _Load<Value>?)
  /// A remembered failure (negative caching).
  case failure(any Error)
  case miss
}

/// The loader of a load: one key, or a batch; returning values, or
/// `CacheLoadResult`s that say how to cache each.
@usableFromInline
enum _Loader<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  case single(@Sendable (Key) async throws -> Value)
  case singleResult(@Sendable (Key) async throws -> CacheLoadResult<Value>)
  case batch(@Sendable ([Key]) async throws -> [Key: Value])
  case batchResult(@Sendable ([Key]) async throws -> [Key: CacheLoadResult<Value>])

  /// The same loader, for one key (used when a batch load was abandoned and
  /// one of its callers must load its key again, and for refreshes).
  @usableFromInline
  var forOneKey: _Loader {
    switch self {
    case .single, .singleResult:
      return self
    case .batch(let load):
      return .single { key in
        guard let value = try await load([key])[key] else { throw CacheLoadError.valueNotLoaded }
        return value
      }
    case .batchResult(let load):
      return .singleResult { key in
        guard let result = try await load([key])[key] else { throw CacheLoadError.valueNotLoaded }
        return result
      }
    }
  }
}

/// What the loading code reports to an observer installed by tests (see
/// `Cache.Configuration._loadObserver`): the points where the order of join,
/// cancel, finish and write decides the outcome.
@usableFromInline
package enum _LoadEvent<Key: Sendable>: Sendable {
  /// A caller started a load of `key` (it runs the loader).
  case started(Key)
  /// A caller joined the load of `key` already in flight.
  case joined(Key)
  /// A cancelled caller stopped waiting for `key`; `abandoned` when it was
  /// the last one and the load was given up.
  case left(Key, abandoned: Bool)
  /// The load of `key` finished; `stored` tells whether its value was kept.
  case finished(Key, stored: Bool)
}

extension _LoadEvent: Equatable where Key: Equatable {}
