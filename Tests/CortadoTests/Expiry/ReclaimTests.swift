import Testing

@_spi(Testing) @testable import Cortado

/// Expired entries are reclaimed by every kind of operation, not only by
/// misses and the sweeper, and a few expired entries never switch the
/// lock-free read path off for good.
@Suite("Expiry: reclaimed by writes, hits and removals")
struct ReclaimTests {
  let clock = ManualClock()

  /// Entries held by the stripes, expired ones included.
  func stored<K, V>(_ cache: Cache<K, V>) -> Int {
    var total = 0
    cache.core.forEachShard { shard, _ in total += shard.pointee.count }
    return total
  }

  // Defect 7: with the sweeper off, 1,000 writes after 1,000 expiries used to
  // leave 2,000 entries held for 1,000 live ones.
  @Test func writesReclaimExpiredEntries() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 10_000, timeToLive: .seconds(1), clock: clock)
    for key in 0..<1_000 { cache[key] = key }
    clock.advance(by: .seconds(2))
    for key in 1_000..<2_000 { cache[key] = key }
    #expect(stored(cache) == 1_000)
    #expect(cache.statistics.expirationCount == 1_000)
    cache._checkInvariants()
  }

  @Test func hitsAndRemovalsReclaimExpiredEntries() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 10_000, clock: clock)
    cache[-1] = -1  // never expires
    for key in 0..<1_000 { cache.setValue(key, forKey: key, timeToLive: .seconds(1)) }
    clock.advance(by: .seconds(2))
    for _ in 0..<500 { #expect(cache[-1] == -1) }
    #expect(stored(cache) == 1)
    for key in 0..<1_000 { cache.setValue(key, forKey: key, timeToLive: .seconds(1)) }
    clock.advance(by: .seconds(2))
    for key in 5_000..<5_500 { cache.removeValue(forKey: key) }
    #expect(stored(cache) == 1)
    #expect(cache.statistics.expirationCount == 2_000)
  }

  // Defect 8: one expired entry that is never read again used to send every
  // read of its stripe through the lock, for good.
  @Test func readsGoLockFreeAgainOnceTheExpiredAreReclaimed() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 10_000, clock: clock)
    cache[1] = 1
    cache.setValue(2, forKey: 2, timeToLive: .seconds(1))
    clock.advance(by: .seconds(2))
    for _ in 0..<10 { #expect(cache[1] == 1) }
    let stripe = cache.core.stripes[0]
    let hash = 1.hashValue
    var shared = 0
    for _ in 0..<100 {
      if case .value = stripe.sharedLookup(1, hash: UInt32(truncatingIfNeeded: hash), now: cache.core.readTime()) {
        shared += 1
      }
    }
    #expect(shared == 100, "reads take the lock-free path again")
    #expect(stored(cache) == 1)
  }
}
