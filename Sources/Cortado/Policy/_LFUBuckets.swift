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
