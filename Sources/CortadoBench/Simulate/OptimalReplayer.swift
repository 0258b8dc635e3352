/// Belady's offline optimum, computed exactly from next-use distances.
///
/// The model is the one every simulated policy lives in: after each request
/// the cache holds at most `capacity` entries, and on a miss the new key may
/// be admitted or not (W-TinyLFU, for one, may refuse it). The optimum then
/// keeps, at every miss, the entries used again soonest: it evicts the entry
/// whose next use is farthest away, unless the new key's own next use is
/// farther still, in which case it does not admit it ("MIN with bypass").
/// libCacheSim's `Belady` always admits (demand paging) and so can report
/// slightly fewer hits at the same capacity; it is still a valid bound for
/// policies that always admit, not for ones that can refuse.
///
/// Each resident entry is identified by the position of its next request:
/// request `i` is a hit exactly when position `i` is resident, so one bit
/// per request and a max-heap of positions are all the state needed, and
/// every request costs O(log capacity).
///
/// With `weighted` sizes the same rule (evict the farthest until the new
/// object fits, and do not admit an object used later than everything
/// resident) is only a heuristic: the exact size-aware optimum is NP-hard.
final class OptimalReplayer: Replayer {
  private let capacity: Int
  private let weighted: Bool
  private let nextUse: NextUseTable
  private var resident: Bitset
  private var heap = MaxHeap()
  /// Sizes of resident entries, by next-use position (weighted only).
  private var residentSizes: [UInt32: UInt32] = [:]
  private var used = 0
  private var live = 0
  private(set) var hits = 0

  init(capacity: Int, weighted: Bool, nextUse: NextUseTable) {
    self.capacity = capacity
    self.weighted = weighted
    self.nextUse = nextUse
    resident = Bitset(count: nextUse.next.count)
  }

  func replay(_ batch: UnsafeBufferPointer<TraceRequest>, firstIndex: Int) {
    nextUse.next.withUnsafeBufferPointer { next in
      for offset in 0..<batch.count {
        let position = firstIndex + offset
        let size = weighted ? Int(batch[offset].size) : 1
        if resident.contains(position) {
          // A hit: the entry leaves its old slot and is re-admitted below
          // under its next use (there is always room, unless it grew).
          hits += 1
          resident.remove(position)
          live -= 1
          used -= weighted ? Int(residentSizes.removeValue(forKey: UInt32(position)) ?? 0) : 1
        }
        admit(next[position], size: size)
      }
    }
  }

  private func admit(_ nextPosition: UInt32, size: Int) {
    // An object never asked for again can earn no hit: keeping it would
    // only take room.
    guard nextPosition != NextUseTable.never, size <= capacity else { return }
    while used + size > capacity {
      guard let farthest = farthestResident() else { break }
      guard farthest > nextPosition else { return }  // bypass: the newcomer is needed last
      heap.popTop()
      resident.remove(Int(farthest))
      live -= 1
      used -= weighted ? Int(residentSizes.removeValue(forKey: farthest) ?? 0) : 1
    }
    resident.insert(Int(nextPosition))
    heap.push(nextPosition)
    live += 1
    used += size
    if weighted { residentSizes[nextPosition] = UInt32(size) }
    // Hits leave their old position in the heap; those stale entries sink
    // to the bottom (they are the smallest positions), so purge them in bulk.
    if heap.count > 2 * live + 4096 {
      heap.filter { resident.contains(Int($0)) }
    }
  }

  /// The farthest next use among resident entries, skipping stale heap
  /// entries left by hits.
  private func farthestResident() -> UInt32? {
    while let top = heap.top {
      if resident.contains(Int(top)) { return top }
      heap.popTop()
    }
    return nil
  }
}
