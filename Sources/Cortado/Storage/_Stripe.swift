/// One stripe: a lock and the shard it protects, in one cache-line-aligned
/// block of memory so that stripes never share a cache line (no false
/// sharing between threads working on different stripes).
///
/// A plain struct of pointers: copying it out of the stripe table costs no
/// reference counting on the hot path.
@usableFromInline
struct _Stripe<Key: Hashable & Sendable, Value: Sendable> {
  @usableFromInline let lock: _StripeLock
  @usableFromInline let shard: UnsafeMutablePointer<_Shard<Key, Value>>
  @usableFromInline let memory: UnsafeMutableRawPointer

  @usableFromInline
  init(settings: _ShardSettings, start: Int64, globalStamp: _AtomicInt64?, sink: _RemovalSink<Key, Value>) {
    // [lock word | padding to 64 bytes | shard ...], 64-byte aligned.
    let shardOffset = Swift.max(MemoryLayout<_Shard<Key, Value>>.alignment, 64)
    let size = _roundUp(shardOffset + MemoryLayout<_Shard<Key, Value>>.size, to: 64)
    memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
    let word = memory.bindMemory(to: UInt32.self, capacity: 1)
    word.initialize(to: 0)
    lock = _StripeLock(word: word)
    shard = (memory + shardOffset).bindMemory(to: _Shard<Key, Value>.self, capacity: 1)
    shard.initialize(to: _Shard(settings: settings, start: start, globalStamp: globalStamp, sink: sink))
  }

  @usableFromInline
  func destroy() {
    shard.pointee.destroy()
    shard.deinitialize(count: 1)
    memory.deallocate()
  }
}

@usableFromInline
func _roundUp(_ value: Int, to alignment: Int) -> Int {
  (value + alignment - 1) / alignment * alignment
}

// The pointers are shared by every thread using the cache; everything they
// point to is read and written only with the stripe's lock held.
extension _Stripe: @unchecked Sendable {}
