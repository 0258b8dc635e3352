import _CortadoShims

/// One stripe: the shard it protects, the lock that writers take, and the
/// reader slots that let reads run without writing to any shared cache line.
///
/// ## Why reads do not take the lock
/// A lock acquisition writes the lock's cache line. With two cores reading
/// the same stripe, about every other read then has to fetch that line from
/// the other core, and throughput with two threads fell *below* one thread
/// (measured: 12.8 → 7.2 M reads/s; separate caches per thread scaled to
/// 18.9). So reads use a read-mostly protocol instead:
///
/// - A reader announces itself in *its own* slot (chosen by thread, each on
///   its own cache lines; threads take slots round robin in the order they
///   first read) with one atomic add, then checks the stripe's writer
///   flag. If no writer is active it looks the key up without modifying the
///   shard, and writes what a hit would have changed (the eviction policy's
///   "this entry was used", the hit and miss counts) into its slot's small
///   event buffer, then leaves with one atomic subtract.
/// - A writer takes the lock, raises the writer flag, waits until every slot
///   is empty of readers, and *drains* the event buffers into the shard before
///   doing its own work. Both sides use sequentially consistent atomics (the
///   Dekker pattern), so a reader and a writer never overlap.
///
/// Events are applied in the order each slot recorded them, before any
/// eviction decision: single-threaded behaviour is exactly what it would be if
/// every read updated the policy itself (the cachetools-equivalence tests rely
/// on it). When a slot's buffer is full, the reader applies that slot's
/// events if the lock is free, *without* raising the writer flag: applying an event changes
/// only policy state that lookups never read (`_Links`, list ends, sketch,
/// counts), so other readers go on meanwhile. Under contention, later events
/// are dropped (as in Caffeine's read buffers): the policy sees a sample of
/// the reads.
///
/// A reader that finds a writer inside waits for it briefly, spinning, and
/// retries: writers are mostly short. Only then does it queue on the lock.
///
/// Reads that must write (time-to-idle slides the deadline) take the lock.
@usableFromInline
struct _Stripe<Key: Hashable & Sendable, Value: Sendable> {
  @usableFromInline let mutex: _StripeLock
  /// Nonzero while a writer holds the stripe.
  @usableFromInline let writer: UnsafeMutablePointer<Int64>
  @usableFromInline let slots: UnsafeMutableRawPointer
  @usableFromInline let slotMask: Int
  @usableFromInline let shard: UnsafeMutablePointer<_Shard<Key, Value>>
  @usableFromInline let memory: UnsafeMutableRawPointer

  @usableFromInline
  init(settings: _ShardSettings, start: Int64, globalStamp: _AtomicInt64?, sink: _RemovalSink<Key, Value>) {
    // [lock word | writer flag | slot 0 | slot 1 | ... | shard], 64-byte
    // aligned. The writer flag, which every read loads, has a line of its own:
    // next to the lock word, every drain's try-lock and unlock took it away
    // from the other core's readers.
    let slotCount = _ReaderSlots.count
    let slotsOffset = 128
    let shardOffset = _roundUp(
      slotsOffset + slotCount * _ReaderSlots.stride,
      to: Swift.max(MemoryLayout<_Shard<Key, Value>>.alignment, 64))
    let size = _roundUp(shardOffset + MemoryLayout<_Shard<Key, Value>>.size, to: 64)
    memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
    memory.initializeMemory(as: UInt8.self, repeating: 0, count: shardOffset)
    mutex = _StripeLock(word: memory.bindMemory(to: UInt32.self, capacity: 1))
    writer = (memory + 64).bindMemory(to: Int64.self, capacity: 1)
    slots = memory + slotsOffset
    (slots).bindMemory(to: Int64.self, capacity: slotCount * _ReaderSlots.stride / 8)
    slotMask = slotCount - 1
    shard = (memory + shardOffset).bindMemory(to: _Shard<Key, Value>.self, capacity: 1)
    shard.initialize(to: _Shard(settings: settings, start: start, globalStamp: globalStamp, sink: sink))
  }

  @usableFromInline
  func destroy() {
    shard.pointee.destroy()
    shard.deinitialize(count: 1)
    memory.deallocate()
  }

  // MARK: - Writers

  /// Takes the stripe for an operation that may change it: waits for readers
  /// to leave and applies what they recorded.
  @inlinable
  func lock() {
    mutex.lock()
    excludeReaders()
  }

  /// Applies the reads recorded in `slot` (the caller's own), if no other
  /// writer holds the stripe, *without* excluding readers.
  ///
  /// Safe because applying a read event changes only what lookups never
  /// read: the policy's links (`_Links`), list ends and weights, the sketch
  /// and the hit and miss counts. It never evicts or moves an entry, and the
  /// event buffers are atomics. Readers therefore never wait for this drain,
  /// which touches one policy node per event: measured, waiting for it cut
  /// two-thread reads to ~1.2× one thread. Only the caller's own slot is
  /// drained, so that reading threads never write each other's slot lines;
  /// writers drain every slot.
  @inlinable
  func drainReadEvents(slot: Int) {
    // Look before trying: a failed compare-and-swap would still take the
    // lock's line away from the drain that holds it.
    guard _cortado_lock_looks_free(mutex.word), _cortado_try_lock(mutex.word) else { return }
    shard.pointee.applyReadEvents(slots: slots, slot: slot)
    mutex.unlock()
  }

  @inlinable
  func unlock() {
    _cortado_atomic_store_release(writer, 0)
    mutex.unlock()
  }

  @inlinable
  func excludeReaders() {
    _cortado_atomic_store_seq_cst(writer, 1)
    for index in 0...slotMask {
      let word = _ReaderSlots.word(slots, index)
      var spins = 0
      while _cortado_atomic_load_seq_cst(word) & _ReaderSlots.activeMask != 0 {
        spins += 1
        if spins < 128 { _cortado_spin_pause() } else { _cortado_yield() }
      }
    }
    shard.pointee.applyReadEvents(slots: slots, count: slotMask + 1)
  }

  // MARK: - Readers

  /// Pauses a reader spends waiting for a writer before it takes the lock
  /// instead: 256 pauses (a few microseconds on x86, where one pause takes
  /// tens of cycles) outlast a typical write, so a reader almost never
  /// sleeps, yet a long write (a resize, a large sweep) is not spun on.
  @usableFromInline static var writerExitSpins: Int { 256 }

  /// Waits, spinning, for a writer to leave the stripe; false if it stays
  /// longer than a short drain of the read buffers takes.
  ///
  /// Writers (a set, a removal, a locked read, the sweeper) usually hold the
  /// stripe for well under a microsecond. Waiting for them on the lock
  /// instead puts the reader to sleep in the kernel once the lock's own spin
  /// runs out, and a sleep and a wake-up cost far more than the write.
  @inlinable
  func awaitWriterExit() -> Bool {
    for _ in 0..<_Stripe.writerExitSpins {
      _cortado_spin_pause()
      if _cortado_atomic_load_acquire(writer) == 0 { return true }
    }
    return false
  }

  /// A read that writes nothing shared: the live value, `nil` for a miss,
  /// `.busy` when a writer holds the stripe, or `.exclusive` when the read
  /// must take the lock (it has expiry work to do, or slides an idle deadline).
  @inlinable
  func sharedLookup(_ key: Key, hash: UInt32, now: Int64) -> _SharedRead<Value> {
    let slot = Int(truncatingIfNeeded: _cortado_thread_number()) & slotMask
    let word = _ReaderSlots.word(slots, slot)
    let ticket = _cortado_atomic_fetch_add_seq_cst(word, _ReaderSlots.enter)
    if _cortado_atomic_load_seq_cst(writer) != 0 {
      _cortado_atomic_fetch_add_acq_rel(word, -1)
      return .busy
    }
    let found = _Shard.sharedFind(shard, key, hash: hash, now: now)
    if found.needsLock {
      _cortado_atomic_fetch_add_acq_rel(word, -1)
      return .exclusive
    }
    // Unsigned: the position must never read as negative, however long a
    // slot went without a drain.
    let position = Int(truncatingIfNeeded: UInt64(bitPattern: ticket) >> 32)
    if position < _ReaderSlots.capacity {
      let event =
        found.slot >= 0
        ? UInt64(UInt32(bitPattern: found.slot &+ 1)) | UInt64(hash) &<< 32
        : _ReaderSlots.missEvent
      _cortado_atomic_store_relaxed(_ReaderSlots.event(slots, slot, position), Int64(bitPattern: event))
    }
    let value = found.slot >= 0 ? shard.pointee.pairs[Int(found.slot)].value : nil
    _cortado_atomic_fetch_add_acq_rel(word, -1)
    if position >= _ReaderSlots.capacity - 1 {
      // The buffer is full: apply it now if nobody else holds the lock. Not
      // only the read that filled it: when that read's try-lock failed (the
      // lock was busy), every later read tries again, so that a slot never
      // stays full until the next writer.
      drainReadEvents(slot: slot)
    }
    return value.map { .value($0) } ?? .miss
  }
}

/// The outcome of `_Stripe.sharedLookup`.
@usableFromInline
enum _SharedRead<Value> {
  case value(Value)
  case miss
  /// The read must take the lock.
  case exclusive
  /// A writer holds the stripe: retry shortly, or take the lock.
  case busy
}

/// The reader slots of a stripe: `count` blocks of 128 bytes (two cache
/// lines), each a 64-bit word (readers inside in the low half, the next free
/// event position in the high half) followed by 15 recorded events.
@usableFromInline
enum _ReaderSlots {
  @usableFromInline static let stride = 128
  @usableFromInline static let capacity = 15
  /// Announces one more reader and claims one event position.
  @usableFromInline static let enter: Int64 = 1 | (1 << 32)
  @usableFromInline static let activeMask: Int64 = 0xFFFF_FFFF
  /// An event for a miss (hits store the slot + 1 and the key's hash).
  @usableFromInline static let missEvent: UInt64 = 0xFFFF_FFFF

  /// Slots per stripe: about two per processor, so that threads rarely share
  /// one (sharing is correct, only slower).
  @usableFromInline static let count: Int = Swift.min(16, _nextPowerOfTwo(Swift.max(2, _processorCount * 2)))

  @inlinable @inline(__always)
  static func word(_ slots: UnsafeMutableRawPointer, _ index: Int) -> UnsafeMutablePointer<Int64> {
    #if DEBUG || CORTADO_INTERNAL_CHECKS
      precondition(index >= 0 && index < count, "Cortado: reader slot \(index) of \(count)")
    #endif
    let offset: Int = index &* stride
    return (slots + offset).assumingMemoryBound(to: Int64.self)
  }

  @inlinable @inline(__always)
  static func event(_ slots: UnsafeMutableRawPointer, _ index: Int, _ position: Int) -> UnsafeMutablePointer<Int64> {
    #if DEBUG || CORTADO_INTERNAL_CHECKS
      precondition(index >= 0 && index < count, "Cortado: reader slot \(index) of \(count)")
      precondition(position >= 0 && position < capacity, "Cortado: read event \(position) of \(capacity)")
    #endif
    let offset: Int = index &* stride &+ 8 &+ position &* 8
    return (slots + offset).assumingMemoryBound(to: Int64.self)
  }

}

// The pointers are shared by every thread using the cache; the shard is read
// and written only as the protocol above allows.
extension _Stripe: @unchecked Sendable {}

@usableFromInline
func _roundUp(_ value: Int, to alignment: Int) -> Int {
  (value + alignment - 1) / alignment * alignment
}
