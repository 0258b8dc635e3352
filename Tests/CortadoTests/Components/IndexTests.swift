import Testing

@_spi(Testing) @testable import Cortado

/// The open-addressing index on its own terms: probe runs that wrap around
/// the end of the table, and backward-shift deletion across the wrap, in
/// every order.
@Suite("Component: the hash index")
struct IndexTests {
  /// The index bucket `key` starts its probe in, for a one-stripe cache.
  func home(_ key: Int, mask: Int) -> Int {
    Int(UInt32(truncatingIfNeeded: key.hashValue)) & mask
  }

  /// Keys whose home buckets are the last bucket (three of them), the first
  /// (two) and the second (one): their probe run wraps around the table's end.
  func wrappingKeys(mask: Int) -> [Int] {
    var last: [Int] = []
    var first: [Int] = []
    var second: [Int] = []
    var key = 0
    while last.count < 3 || first.count < 2 || second.count < 1 {
      switch home(key, mask: mask) {
      case mask where last.count < 3: last.append(key)
      case 0 where first.count < 2: first.append(key)
      case 1 where second.count < 1: second.append(key)
      default: break
      }
      key += 1
    }
    return last + first + second
  }

  @Test func runsThatWrapAroundSurviveEveryRemovalOrder() {
    let clock = ManualClock()
    let probe = makeCache(Int.self, Int.self, clock: clock)
    let mask = probe.core.stripes[0].shard.pointee.indexMask
    let keys = wrappingKeys(mask: mask)
    #expect((keys.count + 1) * 2 <= mask + 1, "the index must not grow during the test")
    // Insert in this order so that later keys are displaced past the end.
    for order in permutations(Array(keys.indices)) {
      let cache = makeCache(Int.self, Int.self, clock: clock)
      for key in keys { cache[key] = key * 10 }
      #expect(cache.core.stripes[0].shard.pointee.indexMask == mask)
      var present = Set(keys)
      for position in order {
        let removed = keys[position]
        #expect(cache.removeValue(forKey: removed) == removed * 10)
        present.remove(removed)
        for key in keys {
          #expect(cache[key] == (present.contains(key) ? key * 10 : nil), "key \(key) after removing \(removed)")
        }
        cache._checkInvariants()
      }
      #expect(cache.isEmpty)
    }
  }

  @Test func theIndexGrowsAndKeepsEveryKey() {
    let cache = makeCache(Int.self, Int.self, clock: ManualClock())
    let initial = cache.core.stripes[0].shard.pointee.indexMask
    for key in 0..<1_000 { cache[key] = key }
    #expect(cache.core.stripes[0].shard.pointee.indexMask > initial)
    #expect((cache.count + 0) * 2 <= cache.core.stripes[0].shard.pointee.indexMask + 1, "load factor at most 1/2")
    for key in 0..<1_000 { #expect(cache[key] == key) }
    cache._checkInvariants()
  }

  /// A bucket packs slot + 1 with the hash's top 3 bits: every slot a stripe
  /// may hold reads back under every fragment, no bucket reads as empty, and
  /// only the fragment of the key's own hash matches.
  @Test func bucketsKeepTheSlotAndTheHashFragment() {
    typealias Shard = _Shard<Int, Int>
    let slots: [Int32] = [0, 1, 4_095, Int32(Shard.absoluteSlotLimit - 1)]
    for slot in slots {
      for fragment in UInt32(0)..<8 {
        let hash = fragment << 29 | 0x0ABC_DEF1
        let stored = Shard.bucket(slot: slot, hash: hash)
        #expect(stored != 0)
        #expect(Shard.slot(inBucket: stored) == Int(slot))
        #expect(Shard.fragmentMatches(stored, hash))
        #expect(Shard.fragmentMatches(stored, hash ^ 0x1FFF_FFFF), "only the top bits are compared")
        #expect(!Shard.fragmentMatches(stored, hash ^ (1 << 31)))
        #expect(!Shard.fragmentMatches(stored, hash ^ (1 << 29)))
      }
    }
  }
}

/// Every order of `elements`.
func permutations<T>(_ elements: [T]) -> [[T]] {
  guard elements.count > 1 else { return [elements] }
  var result: [[T]] = []
  for (index, element) in elements.enumerated() {
    var rest = elements
    rest.remove(at: index)
    for tail in permutations(rest) { result.append([element] + tail) }
  }
  return result
}
