/// One key's async load in flight: the continuations of the callers waiting
/// for it, and its outcome once known. Guarded by the lock of the stripe that
/// holds the key.
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
}

/// The `Task` running a loader, shared by the loads it serves (one key, or
/// every key of a batch).
///
/// The shared task is cancelled only when its last waiter is gone: each
/// waiter counts itself in, and a waiter leaving through cancellation that
/// brings the count to zero *abandons* the task. A caller arriving later never
/// joins an abandoned task; it starts a fresh load instead, so one caller's
/// cancellation never fails another.
@usableFromInline
final class _LoadTask: @unchecked Sendable {
  @usableFromInline let waiters = _AtomicInt64(0)
  @usableFromInline let abandonedFlag = _AtomicInt64(0)
  private let mutex = _Mutex()
  // Guarded by `mutex`.
  private var task: Task<Void, Never>?
  private var cancelRequested = false

  @usableFromInline
  init() {}

  @usableFromInline
  var isAbandoned: Bool { abandonedFlag.value != 0 }

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

  /// Records that the last waiter left; cancels the loader.
  @usableFromInline
  func abandon() {
    abandonedFlag.store(1)
    cancel()
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

/// The loader of a load: one key, or a batch.
@usableFromInline
enum _Loader<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  case single(@Sendable (Key) async throws -> Value)
  case batch(@Sendable ([Key]) async throws -> [Key: Value])

  /// The same loader, for one key of a batch (used when a batch load was
  /// abandoned and one of its callers must load its key again).
  @usableFromInline
  var forOneKey: @Sendable (Key) async throws -> Value {
    switch self {
    case .single(let load):
      return load
    case .batch(let load):
      return { key in
        guard let value = try await load([key])[key] else { throw CacheLoadError.valueNotLoaded }
        return value
      }
    }
  }
}

/// Errors from loading reads.
public enum CacheLoadError: Error, Sendable, Hashable {
  /// A batch loader returned no value for a key a caller was waiting for.
  case valueNotLoaded
}
