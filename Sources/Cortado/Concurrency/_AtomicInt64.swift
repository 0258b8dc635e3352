import _CortadoShims

/// An `Int64` that threads read and write atomically, at a stable address.
@usableFromInline
final class _AtomicInt64: @unchecked Sendable {
  @usableFromInline let pointer: UnsafeMutablePointer<Int64>

  @usableFromInline
  init(_ value: Int64 = 0) {
    pointer = .allocate(capacity: 1)
    pointer.initialize(to: value)
  }

  deinit { pointer.deallocate() }

  /// The value, read with acquire ordering.
  @inlinable @inline(__always)
  var value: Int64 { _cortado_atomic_load_acquire(pointer) }

  /// The value, read with relaxed ordering (a hint, ordering nothing).
  @inlinable @inline(__always)
  var relaxedValue: Int64 { _cortado_atomic_load_relaxed(pointer) }

  /// Stores `newValue` with release ordering.
  @inlinable @inline(__always)
  func store(_ newValue: Int64) { _cortado_atomic_store_release(pointer, newValue) }

  /// Adds `delta` (acquire-release) and returns the previous value.
  @inlinable @inline(__always) @discardableResult
  func add(_ delta: Int64) -> Int64 { _cortado_atomic_fetch_add_acq_rel(pointer, delta) }

  /// Adds `delta` (relaxed: a counter nothing else depends on).
  @inlinable @inline(__always) @discardableResult
  func addRelaxed(_ delta: Int64) -> Int64 { _cortado_atomic_fetch_add_relaxed(pointer, delta) }

  /// Replaces `expected` with `desired` (acquire-release on success,
  /// acquire on failure); returns whether it did.
  @inlinable
  func compareExchange(expected: Int64, desired: Int64) -> Bool {
    var expected = expected
    return _cortado_atomic_compare_exchange_acq_rel(pointer, &expected, desired)
  }
}
