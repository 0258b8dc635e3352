// The hash index: open addressing with linear probing over a table of 32-bit
// buckets. Keys live only in the arena, so a key is stored once, and the
// index costs 4 bytes per bucket. Deletion shifts later entries back (no
// tombstones), so lookups never slow down as entries come and go. The load
// factor stays at or below 1/2.
//
// The table's size need not be a power of two: a key's home bucket is its
// hash scaled to the size (a multiply and a shift), so the table doubles
// while the stripe grows and then stops at exactly twice the stripe's bound,
// 8 bytes per entry. A power-of-two table cost between 8 and 16 bytes per
// entry, depending on where the bound fell between two powers.
//
// A bucket holds slot + 1 in its low 29 bits (0 marks an empty bucket; slots
// are below 2^28, see `_Links.slotLimit`) and the top 3 bits of the key's
// hash above them: a fragment that bucket selection never uses (the mask
// scales the low 29 bits), so a probe passes 7 in 8 buckets of other
// keys without reading their records, each a likely cache miss in a large
// cache.

extension _Shard {
  /// The bits of a bucket that hold slot + 1.
  @inlinable static var bucketSlotMask: UInt32 { 0x1FFF_FFFF }

  /// The bucket word for `slot`, whose key has hash `hash`.
  @inlinable @inline(__always)
  static func bucket(slot: Int32, hash: UInt32) -> Int32 {
    Int32(bitPattern: (hash & ~bucketSlotMask) | UInt32(bitPattern: slot &+ 1))
  }

  /// The slot a non-empty bucket word points to.
  @inlinable @inline(__always)
  static func slot(inBucket stored: Int32) -> Int {
    Int(UInt32(bitPattern: stored) & bucketSlotMask) &- 1
  }

  /// The bucket a key of hash `hash` starts its probe in, in a table of
  /// `size` buckets: the hash's low 29 bits scaled to the size.
  @inlinable @inline(__always)
  static func home(_ hash: UInt32, size: Int) -> Int {
    Int(truncatingIfNeeded: (UInt64(hash & bucketSlotMask) &* UInt64(truncatingIfNeeded: size)) &>> 29)
  }

  /// The bucket after `bucket`, wrapping at the table's end.
  @inlinable @inline(__always)
  static func bucket(after bucket: Int, size: Int) -> Int {
    let next = bucket &+ 1
    return next == size ? 0 : next
  }

  /// Whether a bucket word may hold a key of hash `hash`: its fragment matches.
  @inlinable @inline(__always)
  static func fragmentMatches(_ stored: Int32, _ hash: UInt32) -> Bool {
    (UInt32(bitPattern: stored) ^ hash) & ~bucketSlotMask == 0
  }

  /// The slot holding `key`, or -1.
  @inlinable @inline(__always)
  func find(_ key: Key, hash: UInt32) -> Int32 {
    _Shard.probe(key, hash: hash, index: index, size: indexSize, meta: meta, pairs: pairs)
  }

  /// The probe behind `find` and the shared reads' `sharedFind`, on the
  /// index's and arena's fields rather than on the shard (see `sharedFind`
  /// for why shared reads must not use the shard as a whole).
  @inlinable @inline(__always)
  static func probe(
    _ key: Key, hash: UInt32, index: UnsafeMutablePointer<Int32>, size: Int,
    meta: _Strided<_Meta>, pairs: _Strided<_Pair<Key, Value>>
  ) -> Int32 {
    var bucket = home(hash, size: size)
    while true {
      let stored = index[bucket]
      if stored == 0 { return -1 }
      if fragmentMatches(stored, hash) {
        let slot = _Shard.slot(inBucket: stored)
        if meta[slot].hash == hash && pairs[slot].key == key {
          return Int32(truncatingIfNeeded: slot)
        }
      }
      bucket = _Shard.bucket(after: bucket, size: size)
    }
  }

  /// Adds `slot` (whose hash is in `meta`) to the index. The key must not be
  /// there yet.
  @inlinable
  mutating func indexInsert(_ slot: Int32) {
    if (count + 1) * 2 > indexSize { growIndex() }
    let hash = meta[Int(slot)].hash
    var bucket = _Shard.home(hash, size: indexSize)
    while index[bucket] != 0 {
      bucket = _Shard.bucket(after: bucket, size: indexSize)
    }
    index[bucket] = _Shard.bucket(slot: slot, hash: hash)
  }

  /// Removes `slot` from the index, shifting back the entries that follow it
  /// in its probe run.
  @inlinable
  mutating func indexRemove(_ slot: Int32) {
    let hash = meta[Int(slot)].hash
    let target = _Shard.bucket(slot: slot, hash: hash)
    var hole = _Shard.home(hash, size: indexSize)
    while index[hole] != target {
      hole = _Shard.bucket(after: hole, size: indexSize)
    }
    var probe = _Shard.bucket(after: hole, size: indexSize)
    while true {
      let stored = index[probe]
      if stored == 0 { break }
      let home = _Shard.home(meta[_Shard.slot(inBucket: stored)].hash, size: indexSize)
      // The entry at `probe` may move into the hole if its home is not in
      // the cyclic range (hole, probe].
      if distance(from: home, to: probe) >= distance(from: hole, to: probe) {
        index[hole] = stored
        hole = probe
      }
      probe = _Shard.bucket(after: probe, size: indexSize)
    }
    index[hole] = 0
  }

  /// How far `to` is after `from`, going forward round the table.
  @inlinable @inline(__always)
  func distance(from: Int, to: Int) -> Int {
    let difference = to &- from
    return difference < 0 ? difference &+ indexSize : difference
  }

  /// The index's size for a stripe of `slotLimit` slots: twice the most
  /// entries it can hold (`count` never exceeds `slotLimit`, so the growth
  /// condition `(count + 1) * 2 > indexSize` is then never true again).
  @inlinable
  var largestIndexSize: Int { 2 * (slotLimit + 1) }

  /// Doubles the index (up to `largestIndexSize`) and re-inserts every
  /// occupied slot.
  @usableFromInline
  mutating func growIndex() {
    let newSize = Swift.min(indexSize * 2, largestIndexSize)
    let newIndex = UnsafeMutablePointer<Int32>.allocate(capacity: newSize)
    newIndex.initialize(repeating: 0, count: newSize)
    for bucket in 0..<indexSize {
      let stored = index[bucket]
      if stored == 0 { continue }
      var target = _Shard.home(meta[_Shard.slot(inBucket: stored)].hash, size: newSize)
      while newIndex[target] != 0 {
        target = _Shard.bucket(after: target, size: newSize)
      }
      newIndex[target] = stored
    }
    index.deallocate()
    index = newIndex
    indexSize = newSize
    if newSize >= 2 * _ShardConstants.returnFreedMemoryCapacity { requestMemoryReturn() }
  }

  /// Shrinks the index back to its initial size (after `removeAll`).
  @usableFromInline
  mutating func resetIndex() {
    index.deallocate()
    indexSize = _Shard.initialIndexSize
    index = .allocate(capacity: _Shard.initialIndexSize)
    index.initialize(repeating: 0, count: _Shard.initialIndexSize)
  }

  /// The index's size before the first growth: room for 8 entries, a few
  /// cache lines.
  @inlinable static var initialIndexSize: Int { 16 }
}
