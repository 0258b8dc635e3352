import _CortadoShims

/// The lock of one stripe: a 32-bit word with an inline fast path (one
/// compare-and-swap to lock, one exchange to unlock), sleeping in the kernel
/// only under contention. See `_CortadoShims` for the implementation; on
/// Apple platforms the word is an `os_unfair_lock`.
///
/// Measured on the hit path, it costs about a quarter of the instructions of
/// `pthread_mutex_lock`/`unlock`, which are calls through the PLT. Built on C
/// atomics compiled into Cortado, so ThreadSanitizer sees every acquire and
/// release (unlike `Synchronization.Mutex` on Linux).
@usableFromInline
struct _StripeLock {
  @usableFromInline let word: UnsafeMutablePointer<UInt32>

  @inlinable
  init(word: UnsafeMutablePointer<UInt32>) {
    self.word = word
  }

  @inlinable @inline(__always)
  func lock() { _cortado_lock(word) }

  @inlinable @inline(__always)
  func unlock() { _cortado_unlock(word) }
}
