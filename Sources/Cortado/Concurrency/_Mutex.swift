import _CortadoShims

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A `pthread_mutex_t` and a `pthread_cond_t` at a stable address.
///
/// Why pthread and not `Synchronization.Mutex`: `Mutex` needs macOS 15, and on
/// Linux ThreadSanitizer does not understand its futex and reports false races.
/// pthread calls are intercepted by TSan, so the stress tests stay meaningful.
/// The primitives live in manually allocated memory because a pthread mutex
/// must never move once initialised.
@usableFromInline
struct _LockPrimitives {
  @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
  @usableFromInline let condition: UnsafeMutablePointer<pthread_cond_t>

  /// Initialises the primitives in memory the caller owns.
  @usableFromInline
  init(mutex: UnsafeMutablePointer<pthread_mutex_t>, condition: UnsafeMutablePointer<pthread_cond_t>) {
    self.mutex = mutex
    self.condition = condition
    mutex.initialize(to: pthread_mutex_t())
    condition.initialize(to: pthread_cond_t())
    var attributes = pthread_mutexattr_t()
    pthread_mutexattr_init(&attributes)
    #if DEBUG
      // Catches a recursive lock (a bug in Cortado) as an error instead of a hang.
      pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ERRORCHECK))
    #endif
    let status = pthread_mutex_init(mutex, &attributes)
    precondition(status == 0, "Cortado: pthread_mutex_init failed (\(status))")
    pthread_mutexattr_destroy(&attributes)
    let condStatus = pthread_cond_init(condition, nil)
    precondition(condStatus == 0, "Cortado: pthread_cond_init failed (\(condStatus))")
  }

  @usableFromInline
  func destroy() {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
  }

  @inlinable @inline(__always)
  func lock() {
    let status = pthread_mutex_lock(mutex)
    assert(status == 0, "Cortado: pthread_mutex_lock failed (\(status)); is a lock taken twice?")
  }

  @inlinable @inline(__always)
  func unlock() {
    let status = pthread_mutex_unlock(mutex)
    assert(status == 0, "Cortado: pthread_mutex_unlock failed (\(status))")
  }

  /// Waits on the condition; the mutex must be held.
  @inlinable
  func wait() {
    pthread_cond_wait(condition, mutex)
  }

  @inlinable
  func broadcast() {
    pthread_cond_broadcast(condition)
  }
}

/// A heap-allocated mutex with a condition variable, for the few places that
/// need a lock outside a stripe (the notification queue, the sweeper,
/// `ManualClock`). Reference type so that its address never changes.
@usableFromInline
final class _Mutex: @unchecked Sendable {
  @usableFromInline let primitives: _LockPrimitives

  @usableFromInline
  init() {
    primitives = _LockPrimitives(
      mutex: .allocate(capacity: 1),
      condition: .allocate(capacity: 1)
    )
  }

  deinit {
    primitives.destroy()
    primitives.mutex.deallocate()
    primitives.condition.deallocate()
  }

  @inlinable @inline(__always)
  func lock() { primitives.lock() }

  @inlinable @inline(__always)
  func unlock() { primitives.unlock() }

  @inlinable
  func wait() { primitives.wait() }

  @inlinable
  func broadcast() { primitives.broadcast() }

  @inlinable
  func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
    primitives.lock()
    defer { primitives.unlock() }
    return try body()
  }
}
