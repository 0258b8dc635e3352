// The hash index: open addressing with linear probing over a power-of-two
// table of 32-bit buckets. Keys live only in the arena, so a key is stored
// once, and the index costs 4 bytes per bucket. Deletion shifts later entries
// back (no tombstones), so lookups never slow down as entries come and go.
// The load factor stays at or below 1/2.
//
// A bucket holds slot + 1 in its low 29 bits (0 marks an empty bucket; slots
// are below 2^28, see `_Links.slotLimit`) and the top 3 bits of the key's
// hash above them: a fragment that bucket selection never uses (the mask
// takes at most the low 29 bits), so a probe passes 7 in 8 buckets of other
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

  /// Whether a bucket word may hold a key of hash `hash`: its fragment matches.
  @inlinable @inline(__always)
  static func fragmentMatches(_ stored: Int32, _ hash: UInt32) -> Bool {
    (UInt32(bitPattern: stored) ^ hash) & ~bucketSlotMask == 0
  }

  /// The slot holding `key`, or -1.
  @inlinable @inline(__always)
  func find(_ key: Key, hash: UInt32) -> Int32 {
    _Shard.probe(key, hash: hash, index: index, mask: indexMask, meta: meta, pairs: pairs)
  }

  /// The probe behind `find` and the shared reads' `sharedFind`, on the
  /// index's and arena's fields rather than on the shard (see `sharedFind`
  /// for why shared reads must not use the shard as a whole).
  @inlinable @inline(__always)
  static func probe(
    _ key: Key, hash: UInt32, index: UnsafeMutablePointer<Int32>, mask: Int,
    meta: _Strided<_Meta>, pairs: _Strided<_Pair<Key, Value>>
  ) -> Int32 {
    var bucket = Int(hash) & mask
    while true {
      let stored = index[bucket]
      if stored == 0 { return -1 }
      if fragmentMatches(stored, hash) {
        let slot = _Shard.slot(inBucket: stored)
        if meta[slot].hash == hash && pairs[slot].key == key {
          return Int32(truncatingIfNeeded: slot)
        }
      }
      bucket = (bucket &+ 1) & mask
    }
  }

  /// Adds `slot` (whose hash is in `meta`) to the index. The key must not be
  /// there yet.
  @inlinable
  mutating func indexInsert(_ slot: Int32) {
    if (count + 1) * 2 > indexMask + 1 { growIndex() }
    let hash = meta[Int(slot)].hash
    var bucket = Int(hash) & indexMask
    while index[bucket] != 0 {
      bucket = (bucket &+ 1) & indexMask
    }
    index[bucket] = _Shard.bucket(slot: slot, hash: hash)
  }

  /// Removes `slot` from the index, shifting back the entries that follow it
  /// in its probe run.
  @inlinable
  mutating func indexRemove(_ slot: Int32) {
    let hash = meta[Int(slot)].hash
    let target = _Shard.bucket(slot: slot, hash: hash)
    var hole = Int(hash) & indexMask
    while index[hole] != target {
      hole = (hole &+ 1) & indexMask
    }
    var probe = (hole &+ 1) & indexMask
    while true {
      let stored = index[probe]
      if stored == 0 { break }
      let home = Int(meta[_Shard.slot(inBucket: stored)].hash) & indexMask
      // The entry at `probe` may move into the hole if its home is not in
      // the cyclic range (hole, probe].
      if (probe &- home) & indexMask >= (probe &- hole) & indexMask {
        index[hole] = stored
        hole = probe
      }
      probe = (probe &+ 1) & indexMask
    }
    index[hole] = 0
  }

  /// Doubles the index and re-inserts every occupied slot.
  @usableFromInline
  mutating func growIndex() {
    let newSize = (indexMask + 1) * 2
    let newMask = newSize - 1
    let newIndex = UnsafeMutablePointer<Int32>.allocate(capacity: newSize)
    newIndex.initialize(repeating: 0, count: newSize)
    for bucket in 0...indexMask {
      let stored = index[bucket]
      if stored == 0 { continue }
      var target = Int(meta[_Shard.slot(inBucket: stored)].hash) & newMask
      while newIndex[target] != 0 {
        target = (target &+ 1) & newMask
      }
      newIndex[target] = stored
    }
    index.deallocate()
    index = newIndex
    indexMask = newMask
    if newSize >= 2 * _ShardConstants.returnFreedMemoryCapacity { requestMemoryReturn() }
  }

  /// Shrinks the index back to its initial size (after `removeAll`).
  @usableFromInline
  mutating func resetIndex() {
    index.deallocate()
    indexMask = 15
    index = .allocate(capacity: 16)
    index.initialize(repeating: 0, count: 16)
  }
}
