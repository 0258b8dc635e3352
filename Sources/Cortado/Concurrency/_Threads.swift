#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The identity of the calling thread, used to detect a compute closure that
/// asks the cache for its own key (which would otherwise deadlock).
@usableFromInline
struct _ThreadID: Equatable, Sendable {
  @usableFromInline let raw: UInt

  @inlinable
  static var current: _ThreadID {
    #if canImport(Darwin)
      return _ThreadID(raw: UInt(bitPattern: pthread_self()))
    #else
      return _ThreadID(raw: UInt(pthread_self()))
    #endif
  }

  @inlinable
  init(raw: UInt) { self.raw = raw }
}

/// The number of processors online (used to choose a stripe count).
@usableFromInline
let _processorCount: Int = {
  let count = sysconf(Int32(_SC_NPROCESSORS_ONLN))
  return count > 0 ? Int(count) : 1
}()
