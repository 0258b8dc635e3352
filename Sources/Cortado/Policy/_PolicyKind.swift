/// The eviction policies, as the shard dispatches on them.
@usableFromInline
enum _PolicyKind: UInt8 {
  case none  // unbounded: nothing is ever evicted, so no order is kept
  case lru
  case lfu
  case fifo
  case random
  case windowTinyLFU
}
