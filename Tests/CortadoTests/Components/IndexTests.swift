import Testing

@_spi(Testing) @testable import Cortado

/// The open-addressing index on its own terms: probe runs that wrap around
/// the end of the table, and backward-shift deletion across the wrap, in
/// every order.
@Suite("Component: the hash index")
struct IndexTests {
  /// The index bucket `key` starts its probe in, for a one-stripe cache.
  func home(_ key: Int, size: Int) -> Int {
    _Shard<Int, Int>.home(UInt32(truncatingIfNeeded: key.hashValue), size: size)
  }

  /// Keys whose home buckets are the last bucket (three of them), the first
  /// (two) and the second (one): their probe run wraps around the table's end.
  func wrappingKeys(size: Int) -> [Int] {
    var last: [Int] = []
    var first: [Int] = []
    var second: [Int] = []
    var key = 0
    while last.count < 3 || first.count < 2 || second.count < 1 {
      switch home(key, size: size) {
      case size - 1 where last.count < 3: last.append(key)
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
    let size = probe.core.stripes[0].shard.pointee.indexSize
    let keys = wrappingKeys(size: size)
    #expect((keys.count + 1) * 2 <= size, "the index must not grow during the test")
    // Insert in this order so that later keys are displaced past the end.
    for order in permutations(Array(keys.indices)) {
      let cache = makeCache(Int.self, Int.self, clock: clock)
      for key in keys { cache[key] = key * 10 }
      #expect(cache.core.stripes[0].shard.pointee.indexSize == size)
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
    let initial = cache.core.stripes[0].shard.pointee.indexSize
    for key in 0..<1_000 { cache[key] = key }
    #expect(cache.core.stripes[0].shard.pointee.indexSize > initial)
    #expect(cache.count * 2 <= cache.core.stripes[0].shard.pointee.indexSize, "load factor at most 1/2")
    for key in 0..<1_000 { #expect(cache[key] == key) }
    cache._checkInvariants()
  }

  /// A bounded stripe's index doubles while it fills and stops at twice its
  /// bound, whatever the bound (not a power of two: 8 bytes per entry), with
  /// every key found, removals shifting runs back across the wrap, and the
  /// table full to exactly half.
  @Test func theIndexStopsAtTwiceTheBound() {
    for bound in [1, 5, 7, 8, 15, 16, 17, 100, 1_000, 3_001] {
      for policy in [EvictionPolicy.default, .lru] {
        checkIndexStopsAtTwiceTheBound(bound, policy)
      }
    }
  }

  func checkIndexStopsAtTwiceTheBound(_ bound: Int, _ policy: EvictionPolicy) {
    let cache = makeCache(Int.self, Int.self, maximumCount: bound, policy: policy, clock: ManualClock())
    let shard = cache.core.stripes[0].shard
    for key in 0..<(bound * 3) { cache[key] = key }
    let largest = shard.pointee.largestIndexSize
    let slotLimit = shard.pointee.slotLimit
    #expect(slotLimit >= bound)
    // The stripe peaks at `slotLimit` entries (W-TinyLFU inserts before it
    // evicts), and the table doubles until it holds twice that, capped.
    var expected = _Shard<Int, Int>.initialIndexSize
    while slotLimit * 2 > expected { expected = Swift.min(expected * 2, largest) }
    #expect(shard.pointee.indexSize == expected, "bound \(bound), \(policy)")
    #expect(largest == 2 * (slotLimit + 1), "the cap is twice the stripe's slots, plus one")
    #expect(cache.count == bound)
    for key in 0..<(bound * 3) where cache[key] != nil { #expect(cache[key] == key) }
    for key in stride(from: 0, to: bound * 3, by: 2) { cache.removeValue(forKey: key) }
    for key in 0..<(bound * 3) { cache[key] = key &+ 1 }
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
