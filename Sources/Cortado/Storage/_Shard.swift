import _CortadoShims

/// A key and its value, stored together in the node arena.
@usableFromInline
struct _Pair<Key, Value> {
  @usableFromInline var key: Key
  @usableFromInline var value: Value

  @inlinable
  init(key: Key, value: Value) {
    self.key = key
    self.value = value
  }
}

/// Per-node bookkeeping that a lookup reads, kept apart from the key and value
/// so that it is trivially copyable and survives while the slot is free.
///
/// 16 bytes in the node's record, beside its key and value: the effective
/// deadline, the key's 32-bit hash (checked before the key; also lets the
/// index grow without hashing again) and flags. Nothing a read records is
/// here: shared reads on other cores keep these lines in their caches while a
/// writer applies the reads' policy effects to `_Links` (see `_Stripe`).
@usableFromInline
struct _Meta {
  /// When the entry expires (`_Time.never`: never).
  @usableFromInline var deadline: Int64
  @usableFromInline var hash: UInt32
  @usableFromInline var flags: UInt8
  /// W-TinyLFU: when the entry entered the window, on the stripe's request
  /// count in `_WindowSizer` units (wrapping). Written only when the entry is
  /// inserted, under the exclusive lock, so it may share the record that
  /// lookups read; it fills what was padding. (Refreshing it on window hits
  /// too cost 36 instructions per get.)
  @usableFromInline var windowUse: UInt16

  @inlinable
  init() {
    deadline = _Time.never
    hash = 0
    flags = 0
    windowUse = 0
  }
}

/// What the eviction policy changes when an entry is used: its links in its
/// policy list (also the free list), and W-TinyLFU's region and hits not yet
/// added to the frequency sketch (see `_Shard+WindowTinyLFU.swift`).
///
/// A separate array, never read by a shared lookup. In the node record these
/// fields put every LRU move on cache lines that readers on the other core
/// were reading: two threads reading a 100,000-entry W-TinyLFU cache ran at
/// 1.2× one thread; without the policy's writes to the records, 1.6×.
///
/// 8 bytes: each word holds a 29-bit signed slot number (-1: none) above 3
/// bits of a field, W-TinyLFU's region in one word and its pending hits in
/// the other. Separate `Int32` links and bytes took 12 bytes, 4 of the 5 by
/// which the default cache with a lifetime was over its 64-byte budget per
/// entry. With the field in the low bits, reading a link is one arithmetic
/// shift; writing one keeps the field. Measured with callgrind on
/// `cortado bench` (2026-12-07, 63fd182 → 560673d): about 26 more instructions per get (the
/// drains' list moves; 486 → 513 with a lifetime) and 21–24 per set, 5%, with
/// CPU time per operation unchanged within the noise of alternating runs.
/// It limits a stripe to `_Links.slotLimit` slots.
@usableFromInline
struct _Links {
  @usableFromInline var prevWord: UInt32
  @usableFromInline var nextWord: UInt32

  /// The low bits of a word, which hold the region or the pending hits.
  @inlinable static var fieldBits: UInt32 { 3 }
  @inlinable static var fieldMask: UInt32 { (1 << fieldBits) - 1 }
  /// The most slots a list can address: the non-negative 29-bit numbers.
  @inlinable static var slotLimit: Int { 1 << (31 - Int(fieldBits)) }
  /// The largest value the region and the pending hits can hold.
  @inlinable static var fieldMaximum: Int { Int(fieldMask) }

  @inlinable
  init() {
    prevWord = ~_Links.fieldMask  // -1, field 0
    nextWord = ~_Links.fieldMask
  }

  /// The word's slot number: an arithmetic shift keeps -1 (none) and every
  /// slot below `slotLimit` as stored.
  @inlinable @inline(__always)
  static func slot(_ word: UInt32) -> Int32 { Int32(bitPattern: word) &>> fieldBits }

  /// `word` with its slot number replaced by `slot` (-1: none).
  @inlinable @inline(__always)
  static func word(_ word: UInt32, slot: Int32) -> UInt32 {
    (word & fieldMask) | (UInt32(bitPattern: slot) &<< fieldBits)
  }

  @inlinable
  var prev: Int32 {
    @inline(__always) get { _Links.slot(prevWord) }
    @inline(__always) set { prevWord = _Links.word(prevWord, slot: newValue) }
  }

  @inlinable
  var next: Int32 {
    @inline(__always) get { _Links.slot(nextWord) }
    @inline(__always) set { nextWord = _Links.word(nextWord, slot: newValue) }
  }

  /// W-TinyLFU's region: 0 window, 1 probation, 2 protected.
  @inlinable
  var region: UInt8 {
    @inline(__always) get { UInt8(truncatingIfNeeded: prevWord & _Links.fieldMask) }
    @inline(__always) set { prevWord = (prevWord & ~_Links.fieldMask) | (UInt32(newValue) & _Links.fieldMask) }
  }

  /// W-TinyLFU: hits not yet added to the sketch (at most `fieldMaximum`).
  @inlinable
  var pendingHits: UInt8 {
    @inline(__always) get { UInt8(truncatingIfNeeded: nextWord & _Links.fieldMask) }
    @inline(__always) set { nextWord = (nextWord & ~_Links.fieldMask) | (UInt32(newValue) & _Links.fieldMask) }
  }
}

/// Per-node fields that only writes and inspection use: the write time (for
/// `age`) and a stamp that orders writes across stripes (for `snapshot()`)
/// and versions an entry (for `removeAll(where:)`).
@usableFromInline
struct _History {
  @usableFromInline var writeTime: Int64
  @usableFromInline var stamp: UInt64

  @inlinable
  init(writeTime: Int64 = 0, stamp: UInt64 = 0) {
    self.writeTime = writeTime
    self.stamp = stamp
  }
}

/// What a stripe's gate does after unlocking (`_Shard.takeWorkAfterUnlock`):
/// release forgotten loader errors (their `deinit` is user code) and hand
/// freed memory back to the system.
@usableFromInline
struct _WorkAfterUnlock {
  @usableFromInline var garbage: [any Error] = []
  @usableFromInline var returnsFreedMemory = false

  @inlinable
  init(returnsFreedMemory: Bool = false) {
    self.returnsFreedMemory = returnsFreedMemory
  }

  /// Runs it; the stripe must be unlocked.
  @inlinable
  mutating func run() {
    garbage.removeAll()
    if returnsFreedMemory { _cortado_return_freed_memory() }
  }
}

/// Flag bits in `_Meta.flags`.
@usableFromInline
enum _NodeFlag {
  /// The slot holds a live key and value.
  @usableFromInline static let occupied: UInt8 = 0x80
  /// A background refresh of this entry is in flight.
  @usableFromInline static let refreshing: UInt8 = 0x04
  /// Past its lifetime, kept only as a fallback for a failed reload
  /// (stale-if-error). Invisible to plain reads, not counted, evicted first;
  /// its `deadline` is then the end of the stale window.
  @usableFromInline static let stale: UInt8 = 0x08
}

/// A node's links in one of the timer wheel's bucket lists (its deadline is
/// in `_Meta`). 8 bytes; allocated only for caches that expire.
@usableFromInline
struct _TimerLink {
  @usableFromInline var prev: Int32
  @usableFromInline var next: Int32

  @inlinable
  init(prev: Int32, next: Int32) {
    self.prev = prev
    self.next = next
  }
}

/// What an entry's freshness needs beyond its effective deadline, allocated
/// only when some entry uses idle expiry or refresh.
@usableFromInline
struct _FreshnessInfo {
  /// The deadline from the time to live alone (`never` when there is none).
  @usableFromInline var hardDeadline: Int64
  /// The sliding idle lifetime in nanoseconds, or 0 for none.
  @usableFromInline var idle: Int64
  /// When a loading read should start a background refresh (`never`: never).
  @usableFromInline var refreshAt: Int64
  /// How long past `hardDeadline` a loading read may still fall back to the
  /// value if its reload fails (0: not at all).
  @usableFromInline var staleIfError: Int64

  @inlinable
  init(hardDeadline: Int64 = _Time.never, idle: Int64 = 0, refreshAt: Int64 = _Time.never, staleIfError: Int64 = 0) {
    self.hardDeadline = hardDeadline
    self.idle = idle
    self.refreshAt = refreshAt
    self.staleIfError = staleIfError
  }
}

/// Everything a shard needs to know from the cache configuration.
@usableFromInline
struct _ShardSettings {
  @usableFromInline var maximumCount: Int  // Int.max: unbounded
  @usableFromInline var maximumCost: Int  // Int.max: unbounded
  @usableFromInline var weighted: Bool  // entries carry a cost
  @usableFromInline var policy: _PolicyKind
  @usableFromInline var seed: UInt64
  @usableFromInline var expires: Bool  // some lifetime is configured up front
  @usableFromInline var freshnessInfo: Bool  // idle expiry or refresh configured up front

  @inlinable
  init(
    maximumCount: Int, maximumCost: Int, weighted: Bool, policy: _PolicyKind, seed: UInt64, expires: Bool,
    freshnessInfo: Bool
  ) {
    self.maximumCount = maximumCount
    self.maximumCost = maximumCost
    self.weighted = weighted
    self.policy = policy
    self.seed = seed
    self.expires = expires
    self.freshnessInfo = freshnessInfo
  }
}

/// One stripe's cache state: a node arena, an open-addressing hash index, the
/// eviction policy, the timer wheel and the statistics. Every method runs with
/// the stripe's lock held; none of them calls user code.
///
/// Storage is indexed by slot numbers (`Int32`):
/// - one record per slot holding `meta[slot]` (deadline, hash,
///   flags) and `pairs[slot]` (key and value, initialised only while the slot
///   is occupied), side by side so that a hit touches one record;
/// - `history[slot]`: write time and stamp (only writes and inspection read it);
/// - optional arrays for features in use: `timers` (deadline and wheel links),
///   `freshness` (idle, refresh), `costs` (weighted caches), `aux` (LFU bucket
///   or random-policy position).
/// So a cache pays in memory only for what it uses, and no entry is a separate
/// heap object (no per-entry allocation, no reference counting of nodes).
@usableFromInline
struct _Shard<Key: Hashable & Sendable, Value: Sendable> {
  // MARK: Written by every drain of the read buffers, or by every insertion
  // These fill the shard's first 64 bytes (the stripe aligns the shard to
  // 64 bytes; Swift lays out stored properties in declaration order; on
  // Apple silicon, whose lines are 128 bytes, padding follows them). A drain
  // runs while other threads read the shard (see `_Stripe`), and a write
  // leaves the stripe to readers on the other core, so what drains and
  // insertions write must not share a line with what lookups read: the
  // fields from `records` to `wheelTime` (checked by `ShardLayoutTests`).
  @usableFromInline var hitCount: Int
  @usableFromInline var missCount: Int
  @usableFromInline var listHeads: SIMD4<Int32>
  @usableFromInline var listTails: SIMD4<Int32>
  /// Stored entries, including expired ones not yet reclaimed.
  @usableFromInline var count: Int
  /// The first free slot below `fresh` (-1: none).
  @usableFromInline var freeHead: Int32
  /// Slots below this have been handed out before (see `fresh`): written by
  /// every insertion while the arena fills, so it lives on this line too.
  @usableFromInline var freshSlots: Int32
  #if _pointerBitWidth(_32)
    // With a 4-byte `Int` the fields above take 52 bytes: fill the line.
    @usableFromInline var _padding32: (Int32, Int32, Int32) = (0, 0, 0)
  #endif
  #if canImport(Darwin) && arch(arm64)
    // Apple silicon moves 128-byte lines between cores: a second 64 bytes
    // keep the fields below off the line of the fields above.
    @usableFromInline var _paddingLine: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
  #endif

  // MARK: Arena
  @usableFromInline var records: UnsafeMutableRawPointer
  @usableFromInline var pairs: _Strided<_Pair<Key, Value>>
  @usableFromInline var meta: _Strided<_Meta>
  @usableFromInline var links: UnsafeMutablePointer<_Links>
  @usableFromInline var history: UnsafeMutablePointer<_History>
  @usableFromInline var capacity: Int
  @usableFromInline var slotLimit: Int
  /// Slots below this have been handed out before (slots are 32-bit).
  @inlinable var fresh: Int {
    get { Int(freshSlots) }
    set { freshSlots = Int32(truncatingIfNeeded: newValue) }
  }

  // MARK: Index (open addressing, linear probing; slot + 1, 0 = empty)
  @usableFromInline var index: UnsafeMutablePointer<Int32>
  @usableFromInline var indexSize: Int

  // MARK: Optional per-node arrays
  @usableFromInline var timers: UnsafeMutablePointer<_TimerLink>?
  @usableFromInline var freshness: UnsafeMutablePointer<_FreshnessInfo>?
  @usableFromInline var costs: UnsafeMutablePointer<Int>?
  @usableFromInline var aux: UnsafeMutablePointer<Int32>?

  // MARK: Timer wheel (read by lookups)
  @usableFromInline var wheelTime: Int64
  @usableFromInline var _padding1: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

  // MARK: Policy
  @usableFromInline var settings: _ShardSettings
  @usableFromInline var listWeights: SIMD4<Int>
  @usableFromInline var windowMaximum: Int
  @usableFromInline var protectedMaximum: Int
  @usableFromInline var climber: _HillClimber
  @usableFromInline var sketch: _FrequencySketch
  @usableFromInline var sizer: _WindowSizer
  @usableFromInline var admissionGuard: _AdmissionGuard
  @usableFromInline var lfu: _LFUBuckets
  @usableFromInline var randomSlots: [Int32]
  @usableFromInline var rng: _SplitMix64
  @usableFromInline var totalCost: _CostTotal

  // MARK: Timer wheel
  /// Entries on the due list that are not stale.
  @usableFromInline var dueCount: Int
  /// Stale entries (list 3), wherever they are on the wheel.
  @usableFromInline var staleCount: Int
  /// Bit b set: level-0 bucket b is sorted by deadline.
  @usableFromInline var sortedBuckets: UInt64
  @usableFromInline var scratch: [Int32]

  // MARK: Bookkeeping
  @usableFromInline var counters: _Counters
  @usableFromInline var localStamp: UInt64
  @usableFromInline let globalStamp: _AtomicInt64?
  @usableFromInline let sink: _RemovalSink<Key, Value>
  @usableFromInline var pending: [Key: _PendingCompute<Value>]
  /// Async loads and refreshes in flight (see `Loading/`).
  @usableFromInline var loads: [Key: _Load<Value>]
  /// Remembered loader failures (negative caching) and when they expire.
  @usableFromInline var failures: [Key: (error: any Error, until: Int64)]
  /// Values to release only after the lock is dropped (remembered errors
  /// that were forgotten: their `deinit` is user code).
  @usableFromInline var garbage: [any Error]
  /// Set when an operation queued a removal or garbage, or grew the arena;
  /// the stripe's gate (`_CacheCore.locked`) releases and delivers them, and
  /// returns freed memory, after unlocking.
  @usableFromInline var recorded: Bool
  /// A growth freed large arrays: the gate hands the allocator's free memory
  /// back to the system once the stripe is unlocked (see
  /// `_ShardConstants.returnFreedMemoryCapacity`).
  @usableFromInline var returnsFreedMemory: Bool

  @usableFromInline
  init(settings: _ShardSettings, start: Int64, globalStamp: _AtomicInt64?, sink: _RemovalSink<Key, Value>) {
    self.settings = settings
    hitCount = 0
    missCount = 0
    let policyExtra = settings.policy == .windowTinyLFU ? 1 : 0
    slotLimit =
      settings.maximumCount == .max
      ? _Shard.absoluteSlotLimit
      : min(settings.maximumCount + policyExtra, _Shard.absoluteSlotLimit)
    capacity = 0
    freshSlots = 0
    freeHead = -1
    count = 0
    records = _NodeLayout<Key, Value>.allocate(capacity: 0)
    pairs = _Strided(
      base: records + _NodeLayout<Key, Value>.pairOffset, stride: _NodeLayout<Key, Value>.stride, capacity: 0)
    meta = _Strided(base: records, stride: _NodeLayout<Key, Value>.stride, capacity: 0)
    links = .allocate(capacity: 0)
    history = .allocate(capacity: 0)
    indexSize = _Shard.initialIndexSize
    index = .allocate(capacity: _Shard.initialIndexSize)
    index.initialize(repeating: 0, count: _Shard.initialIndexSize)
    timers = nil
    freshness = nil
    costs = nil
    aux = nil
    listHeads = SIMD4(repeating: -1)
    listTails = SIMD4(repeating: -1)
    listWeights = .zero
    windowMaximum = 0
    protectedMaximum = 0
    climber = _HillClimber()
    sketch = _FrequencySketch()
    sizer = _WindowSizer()
    admissionGuard = _AdmissionGuard()
    lfu = _LFUBuckets()
    randomSlots = []
    rng = _SplitMix64(seed: settings.seed)
    totalCost = _CostTotal()
    wheelTime = start
    dueCount = 0
    staleCount = 0
    sortedBuckets = .max
    scratch = []
    counters = _Counters()
    localStamp = 0
    self.globalStamp = globalStamp
    self.sink = sink
    pending = [:]
    loads = [:]
    failures = [:]
    garbage = []
    recorded = false
    returnsFreedMemory = false
    if settings.weighted {
      costs = .allocate(capacity: 0)
    }
    if settings.policy == .lfu || settings.policy == .random {
      aux = .allocate(capacity: 0)
    }
    if settings.expires {
      enableTimers()
    }
    if settings.freshnessInfo {
      enableFreshnessInfo()
    }
    if settings.policy == .windowTinyLFU {
      configureWindowTinyLFU()
    }
  }

  /// The largest number of slots one shard can address: the policy links'
  /// 29-bit slot numbers (see `_Links`; the timer links are `Int32`, with the
  /// wheel's sentinels after the slots, which fits below this).
  @usableFromInline
  static var absoluteSlotLimit: Int { Swift.min(_Links.slotLimit, Int(Int32.max) - _Wheel.sentinelCount - 1) }

  /// Frees all memory. Called once, from the owning stripe's teardown.
  @usableFromInline
  mutating func destroy() {
    for slot in 0..<fresh where meta[slot].flags & _NodeFlag.occupied != 0 {
      pairs.pointer(slot).deinitialize(count: 1)
    }
    records.deallocate()
    links.deallocate()
    history.deallocate()
    index.deallocate()
    timers?.deallocate()
    freshness?.deallocate()
    costs?.deallocate()
    aux?.deallocate()
    sketch.destroy()
    sizer.destroy()
  }

  // MARK: - Slots

  /// Takes a free slot, growing the arena when needed. The caller initialises
  /// `pairs[slot]` and every per-node array entry it uses.
  @inlinable
  mutating func allocateSlot() -> Int32 {
    if freeHead >= 0 {
      let slot = freeHead
      freeHead = links[Int(slot)].next
      return slot
    }
    if fresh == capacity { grow() }
    let slot = Int32(truncatingIfNeeded: fresh)
    fresh += 1
    return slot
  }

  /// Returns a slot whose pair has already been moved out or deinitialised.
  @inlinable
  mutating func releaseSlot(_ slot: Int32) {
    meta[Int(slot)].flags = 0
    links[Int(slot)].next = freeHead
    freeHead = slot
  }

  /// Doubles the arena (up to `slotLimit`). Only called when every slot is
  /// occupied, so moving all `capacity` pairs moves initialised values only.
  @usableFromInline
  mutating func grow() {
    let newCapacity = Swift.min(Swift.max(capacity * 2, 16), slotLimit)
    precondition(newCapacity > capacity, "Cortado: a cache stripe cannot hold more than \(slotLimit) entries")
    let newRecords = _NodeLayout<Key, Value>.allocate(capacity: newCapacity)
    let newPairs = _Strided<_Pair<Key, Value>>(
      base: newRecords + _NodeLayout<Key, Value>.pairOffset, stride: pairs.stride, capacity: newCapacity)
    let newMeta = _Strided<_Meta>(base: newRecords, stride: meta.stride, capacity: newCapacity)
    for slot in 0..<capacity {
      newMeta.pointer(slot).initialize(to: meta[slot])
      newPairs.pointer(slot).moveInitialize(from: pairs.pointer(slot), count: 1)
    }
    for slot in capacity..<newCapacity {
      newMeta.pointer(slot).initialize(to: _Meta())
    }
    records.deallocate()
    records = newRecords
    pairs = newPairs
    meta = newMeta
    links = _reallocate(links, from: capacity, to: newCapacity, fill: _Links())
    history = _reallocate(history, from: capacity, to: newCapacity, fill: _History())
    if let old = timers {
      let sentinels = _Wheel.sentinelCount
      timers = _reallocate(
        old, from: sentinels + capacity, to: sentinels + newCapacity,
        fill: _TimerLink(prev: -1, next: -1))
    }
    if let old = freshness {
      freshness = _reallocate(old, from: capacity, to: newCapacity, fill: _FreshnessInfo())
    }
    if let old = costs {
      costs = _reallocate(old, from: capacity, to: newCapacity, fill: 0)
    }
    if let old = aux {
      aux = _reallocate(old, from: capacity, to: newCapacity, fill: -1)
    }
    capacity = newCapacity
    if newCapacity >= _ShardConstants.returnFreedMemoryCapacity { requestMemoryReturn() }
  }

  /// Asks the stripe's gate to return the allocator's free memory to the
  /// system after unlocking: `malloc_trim` walks the whole process's heap,
  /// which must not happen while readers wait for the stripe.
  @inlinable
  mutating func requestMemoryReturn() {
    returnsFreedMemory = true
    recorded = true
  }

  /// Takes what the stripe's gate must do once the stripe is unlocked (see
  /// `recorded`), leaving the shard with nothing recorded.
  @usableFromInline
  mutating func takeWorkAfterUnlock() -> _WorkAfterUnlock {
    var work = _WorkAfterUnlock(returnsFreedMemory: returnsFreedMemory)
    if !garbage.isEmpty { swap(&work.garbage, &garbage) }
    returnsFreedMemory = false
    recorded = false
    return work
  }

  /// Allocates the timer arrays on first use (a cache without lifetimes never
  /// pays for them).
  @usableFromInline
  mutating func enableTimers() {
    guard timers == nil else { return }
    let sentinels = _Wheel.sentinelCount
    let links = UnsafeMutablePointer<_TimerLink>.allocate(capacity: sentinels + capacity)
    for id in 0..<sentinels {
      (links + id).initialize(to: _TimerLink(prev: Int32(id), next: Int32(id)))
    }
    (links + sentinels).initialize(repeating: _TimerLink(prev: -1, next: -1), count: capacity)
    timers = links
  }

  /// Allocates the idle/refresh arrays on first use.
  @usableFromInline
  mutating func enableFreshnessInfo() {
    guard freshness == nil else { return }
    enableTimers()
    let info = UnsafeMutablePointer<_FreshnessInfo>.allocate(capacity: capacity)
    info.initialize(repeating: _FreshnessInfo(), count: capacity)
    // Existing entries keep their current deadline as their hard deadline.
    for slot in 0..<fresh where meta[slot].flags & _NodeFlag.occupied != 0 {
      info[slot].hardDeadline = meta[slot].deadline
    }
    freshness = info
  }

  /// The next write stamp: per stripe for a single-stripe cache, from one
  /// cache-wide counter otherwise (so `snapshot()` can merge stripes in write order).
  @inlinable
  mutating func nextStamp() -> UInt64 {
    if let globalStamp {
      return UInt64(bitPattern: globalStamp.addRelaxed(1)) &+ 1
    }
    localStamp &+= 1
    return localStamp
  }

  @inlinable @inline(__always)
  func isOccupied(_ slot: Int32) -> Bool {
    meta[Int(slot)].flags & _NodeFlag.occupied != 0
  }

  @inlinable @inline(__always)
  func cost(of slot: Int32) -> Int {
    costs.map { $0[Int(slot)] } ?? 1
  }
}

/// Moves `count` elements to a new allocation of `newCount`, filling the rest.
@inlinable
func _reallocate<T>(_ old: UnsafeMutablePointer<T>, from count: Int, to newCount: Int, fill: T) -> UnsafeMutablePointer<
  T
> {
  let new = UnsafeMutablePointer<T>.allocate(capacity: newCount)
  new.moveInitialize(from: old, count: count)
  (new + count).initialize(repeating: fill, count: newCount - count)
  old.deallocate()
  return new
}
