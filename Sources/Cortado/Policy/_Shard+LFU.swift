// The `.lfu` policy on a shard, over `_LFUBuckets`.

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
