// Intrusive doubly linked lists over the arena's `links[slot].prev/next`.
// A shard has up to three (W-TinyLFU's window, probation and protected; the
// other policies use list 0). Head is the eviction end (least recently used or
// oldest), tail the most recent end.

extension _Shard {
  @inlinable
  mutating func listAppend(_ list: Int, _ slot: Int32) {
    let tail = listTails[list]
    links[Int(slot)].prev = tail
    links[Int(slot)].next = -1
    if tail >= 0 {
      links[Int(tail)].next = slot
    } else {
      listHeads[list] = slot
    }
    listTails[list] = slot
  }

  /// Removes `slot` from `list` and marks it unlinked.
  @inlinable
  mutating func listRemove(_ list: Int, _ slot: Int32) {
    listUnlink(list, slot)
    links[Int(slot)].prev = -1
    links[Int(slot)].next = -1
  }

  /// Removes `slot` from `list`, leaving its own links stale: only for a
  /// caller that links it again at once.
  @inlinable
  mutating func listUnlink(_ list: Int, _ slot: Int32) {
    let prev = links[Int(slot)].prev
    let next = links[Int(slot)].next
    if prev >= 0 {
      links[Int(prev)].next = next
    } else {
      listHeads[list] = next
    }
    if next >= 0 {
      links[Int(next)].prev = prev
    } else {
      listTails[list] = prev
    }
  }

  /// Moves `slot`, which is in `list`, to its most recent end.
  @inlinable
  mutating func listMoveToTail(_ list: Int, _ slot: Int32) {
    guard listTails[list] != slot else { return }
    listUnlink(list, slot)
    listAppend(list, slot)
  }
}
