/// Frequency buckets for the `.lfu` policy: O(1) least-frequently-used
/// eviction with ties broken by least recent use, as cachetools' `LFUCache`.
///
/// Buckets form a list in increasing use count; each bucket holds the nodes
/// with that count, oldest first, linked through the arena's `prev`/`next`.
/// A node's bucket is in the shard's `aux` array. Buckets live in small
/// parallel arrays with a free list, so touching a node allocates nothing once
/// warm.
@usableFromInline
struct _LFUBuckets {
  @usableFromInline var counts: [Int] = []
  @usableFromInline var heads: [Int32] = []
  @usableFromInline var tails: [Int32] = []
  @usableFromInline var prevs: [Int32] = []
  @usableFromInline var nexts: [Int32] = []
  @usableFromInline var free: Int32 = -1
  /// The bucket with the lowest count (the eviction end), or -1.
  @usableFromInline var first: Int32 = -1

  @inlinable
  init() {}

  /// A new, empty bucket with `count`, linked after `previous` (-1: at the front).
  @inlinable
  mutating func makeBucket(count: Int, after previous: Int32) -> Int32 {
    let bucket: Int32
    if free >= 0 {
      bucket = free
      free = nexts[Int(bucket)]
      counts[Int(bucket)] = count
      heads[Int(bucket)] = -1
      tails[Int(bucket)] = -1
    } else {
      bucket = Int32(truncatingIfNeeded: counts.count)
      counts.append(count)
      heads.append(-1)
      tails.append(-1)
      prevs.append(-1)
      nexts.append(-1)
    }
    let next = previous >= 0 ? nexts[Int(previous)] : first
    prevs[Int(bucket)] = previous
    nexts[Int(bucket)] = next
    if previous >= 0 { nexts[Int(previous)] = bucket } else { first = bucket }
    if next >= 0 { prevs[Int(next)] = bucket }
    return bucket
  }

  @inlinable
  mutating func freeBucket(_ bucket: Int32) {
    let previous = prevs[Int(bucket)]
    let next = nexts[Int(bucket)]
    if previous >= 0 { nexts[Int(previous)] = next } else { first = next }
    if next >= 0 { prevs[Int(next)] = previous }
    nexts[Int(bucket)] = free
    free = bucket
  }

  @inlinable
  mutating func removeAll() {
    self = _LFUBuckets()
  }
}

extension _Shard {
  @inlinable
  mutating func lfuAppend(_ slot: Int32, to bucket: Int32) {
    let tail = lfu.tails[Int(bucket)]
    links[Int(slot)].prev = tail
    links[Int(slot)].next = -1
    if tail >= 0 { links[Int(tail)].next = slot } else { lfu.heads[Int(bucket)] = slot }
    lfu.tails[Int(bucket)] = slot
    aux![Int(slot)] = bucket
  }

  /// Unlinks `slot` from its bucket; frees the bucket if it empties unless
  /// `keepEmpty` (the caller is about to use its neighbour).
  @inlinable
  mutating func lfuUnlink(_ slot: Int32) -> (bucket: Int32, emptied: Bool) {
    let bucket = aux![Int(slot)]
    let prev = links[Int(slot)].prev
    let next = links[Int(slot)].next
    if prev >= 0 { links[Int(prev)].next = next } else { lfu.heads[Int(bucket)] = next }
    if next >= 0 { links[Int(next)].prev = prev } else { lfu.tails[Int(bucket)] = prev }
    links[Int(slot)].prev = -1
    links[Int(slot)].next = -1
    return (bucket, lfu.heads[Int(bucket)] < 0)
  }

  @inlinable
  mutating func lfuInsert(_ slot: Int32) {
    var bucket = lfu.first
    if bucket < 0 || lfu.counts[Int(bucket)] != 1 {
      bucket = lfu.makeBucket(count: 1, after: -1)
    }
    lfuAppend(slot, to: bucket)
  }

  /// One more use: the node moves to the back of the next count's bucket.
  @inlinable
  mutating func lfuTouch(_ slot: Int32) {
    let bucket = aux![Int(slot)]
    let count = lfu.counts[Int(bucket)]
    var target = lfu.nexts[Int(bucket)]
    if target < 0 || lfu.counts[Int(target)] != count &+ 1 {
      target = lfu.makeBucket(count: count &+ 1, after: bucket)
    }
    let (old, emptied) = lfuUnlink(slot)
    if emptied { lfu.freeBucket(old) }
    lfuAppend(slot, to: target)
  }

  @inlinable
  mutating func lfuRemove(_ slot: Int32) {
    let (bucket, emptied) = lfuUnlink(slot)
    if emptied { lfu.freeBucket(bucket) }
  }
}
