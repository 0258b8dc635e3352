// Intrusive doubly linked lists over the arena's `meta[slot].prev/next`.
// A shard has up to three (W-TinyLFU's window, probation and protected; the
// other policies use list 0). Head is the eviction end (least recently used or
// oldest), tail the most recent end.

extension _Shard {
  @inlinable
  mutating func listAppend(_ list: Int, _ slot: Int32) {
    let tail = listTails[list]
    meta[Int(slot)].prev = tail
    meta[Int(slot)].next = -1
    if tail >= 0 {
      meta[Int(tail)].next = slot
    } else {
      listHeads[list] = slot
    }
    listTails[list] = slot
  }

  @inlinable
  mutating func listRemove(_ list: Int, _ slot: Int32) {
    let prev = meta[Int(slot)].prev
    let next = meta[Int(slot)].next
    if prev >= 0 {
      meta[Int(prev)].next = next
    } else {
      listHeads[list] = next
    }
    if next >= 0 {
      meta[Int(next)].prev = prev
    } else {
      listTails[list] = prev
    }
    meta[Int(slot)].prev = -1
    meta[Int(slot)].next = -1
  }

  @inlinable
  mutating func listMoveToTail(_ list: Int, _ slot: Int32) {
    guard listTails[list] != slot else { return }
    listRemove(list, slot)
    listAppend(list, slot)
  }
}
