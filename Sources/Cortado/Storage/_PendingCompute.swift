/// The state of a synchronous `value(forKey:orInsert:)` computation in flight,
/// shared by the thread that computes and the threads that wait for it.
///
/// Waiters block on the computation's own condition variable, never on the
/// stripe lock, so other keys of the stripe stay available meanwhile.
@usableFromInline
final class _PendingCompute<Value>: @unchecked Sendable {
  /// The thread running the closure (to detect a closure that asks for its
  /// own key). A computation is stored only while it is still the key's entry
  /// in `_Shard.pending`: a write or removal takes it out (it wins), and
  /// callers arriving later then start their own.
  @usableFromInline let owner: _ThreadID
  @usableFromInline let mutex = _Mutex()
  // Guarded by `mutex`.
  @usableFromInline var result: Value?
  @usableFromInline var finished = false

  @usableFromInline
  init(owner: _ThreadID) {
    self.owner = owner
  }

  /// Publishes the outcome (nil: the computation threw) and wakes the waiters.
  @usableFromInline
  func finish(_ value: Value?) {
    mutex.lock()
    result = value
    finished = true
    mutex.broadcast()
    mutex.unlock()
  }

  /// Blocks until the computation finishes; nil if it threw.
  @usableFromInline
  func waitForResult() -> Value? {
    mutex.lock()
    while !finished { mutex.wait() }
    let value = result
    mutex.unlock()
    return value
  }
}
