/// A value guarded by the package's one mutex (``_Mutex``): the lock every
/// module outside the stripes uses for its own state.
///
/// Reference type so that the pthread mutex never moves. Never call user
/// code or `await` inside `withLock`.
package final class LockedState<State>: @unchecked Sendable {
  private let mutex = _Mutex()
  private var state: State

  /// Guards `state`.
  package init(_ state: State) {
    self.state = state
  }

  /// Runs `body` with the state, under the lock.
  package func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
    mutex.lock()
    defer { mutex.unlock() }
    return try body(&state)
  }
}
