import Testing

@testable import Cortado

/// The shadow LRU on its own: an exact LRU on the keys it samples, as large
/// as the cache's share of the sample, allocated only as keys arrive.
/// (`resident` stands in for the cache's count of sampled keys where a test
/// plays no cache.)
@Suite("Component: the shadow LRU")
struct ShadowLRUTests {
  /// Hits of a plain LRU of `capacity` entries on `hashes`, the slow way.
  func referenceHits(_ hashes: [UInt32], capacity: Int) -> Int {
    var recency: [UInt32] = []  // least recent first
    var hits = 0
    for hash in hashes {
      if let index = recency.firstIndex(of: hash) {
        hits += 1
        recency.remove(at: index)
      } else if recency.count == capacity {
        recency.removeFirst()
      }
      recency.append(hash)
    }
    return hits
  }

  func randomHashes(_ count: Int, distinct: UInt64, seed: UInt64, spread: Bool = false) -> [UInt32] {
    var generator = _SplitMix64(seed: seed)
    return (0..<count).map { _ in
      let key = UInt32(generator.next() % distinct)
      // Spread keys collide in the low bits, so they share buckets.
      return spread ? key << 16 : key
    }
  }

  @Test func aSmallStripeIsReplayedInFullAsExactLRU() {
    var shadow = _ShadowLRU()
    shadow.configure(maximum: 100)
    defer { shadow.destroy() }
    #expect(shadow.capacity == 200 && shadow.sampleLimit == 1 << 32, "every key, up to 200 entries")
    for spread in [false, true] {
      shadow.configure(maximum: 100)
      shadow.resident = 100  // a full cache of 100
      let hashes = randomHashes(20_000, distinct: 300, seed: 5, spread: spread)
      for hash in hashes { shadow.observe(hash, hit: false) }
      #expect(shadow.shadowHits == referenceHits(hashes, capacity: 100), "spread: \(spread)")
      #expect(shadow.count == 100 && shadow.allocated == 128, "storage doubled from 16")
      #expect(shadow.invariantViolation() == nil)
    }
  }

  @Test func theLeadIsTheShadowsHitsOverTheCachesPerSampledRequest() {
    var shadow = _ShadowLRU()
    shadow.configure(maximum: 10)
    shadow.resident = 10
    defer { shadow.destroy() }
    #expect(shadow.takeLead() == nil, "no request yet")
    for hash in [UInt32(1), 2, 1, 2] { shadow.observe(hash, hit: false) }
    shadow.observe(3, hit: true)  // a hit for the cache, a miss for the shadow
    // The shadow hit 2 of 5 and the cache 1 of 5.
    #expect(shadow.takeLead() == 0.2)
    #expect(shadow.requests == 0 && shadow.takeLead() == nil, "each call starts a new count")
  }

  @Test func aSignificantLeadNeedsEnoughDiscordantRequests() {
    var shadow = _ShadowLRU()
    shadow.configure(maximum: 100)
    shadow.resident = 100
    defer { shadow.destroy() }
    // 9 keys asked twice; the cache claims to have missed every request.
    for hash in UInt32(0)..<9 { shadow.observe(hash, hit: false) }
    for hash in UInt32(0)..<9 { shadow.observe(hash, hit: false) }
    #expect(shadow.shadowOnly == 9 && shadow.cacheOnly == 0)
    #expect(shadow.significantLead() == nil, "9 is not above 3 × √9")
    shadow.observe(0, hit: false)
    #expect(shadow.significantLead() == 10.0 / 19, "10 > 3 × √10: 10 shadow hits in 19 requests")
    shadow.observe(1_000, hit: true)  // a cache-only hit: 10 − 1 = 9 < 3 × √11
    #expect(shadow.significantLead() == nil)
    #expect(shadow.requests == 20, "looking does not end the count")
  }

  @Test func aLargeStripeIsSampled() {
    var shadow = _ShadowLRU()
    shadow.configure(maximum: 1_000_000)
    defer { shadow.destroy() }
    let rate = 1_000_000 / _TinyLFUConstants.shadowEntries
    #expect(shadow.capacity == 2 * (1_000_000 / rate) && shadow.capacity < 4 * _TinyLFUConstants.shadowEntries)
    shadow.resident = 1_000_000 / rate
    for hash in UInt32(0)..<2_000_000 { shadow.observe(hash, hit: false) }
    // 2,000,000 distinct keys sampled 1 in 976: about 2,049.
    let expected = 2_000_000 / Double(rate)
    #expect(abs(Double(shadow.requests) - expected) < expected * 0.1, "\(shadow.requests) sampled")
    #expect(shadow.count == shadow.resident, "as full as the cache's share, never over")
    #expect(shadow.invariantViolation() == nil)
  }

  @Test func anEmptyShadowAllocatesNothingAndGrowsByDoubling() {
    var shadow = _ShadowLRU()
    shadow.configure(maximum: 1 << 40)
    shadow.resident = 1 << 30
    // 1 key in 2^30 is sampled: none of these, so nothing is allocated.
    for hash in UInt32(0)..<10_000 where _ShadowLRU.spread(hash) >= shadow.sampleLimit {
      shadow.cacheInserted(hash)
      shadow.observe(hash, hit: false)
    }
    #expect(shadow.nodes == nil && shadow.buckets == nil && shadow.requests == 0)
    shadow.destroy()
    // The largest bounds do not overflow the sizing (beyond 2^42 entries a
    // stripe's sample would be under 1 key in 2^32: the shadow samples none).
    for maximum in [Int.max, Int.max - 1, Int.max / 2 + 1] {
      shadow.configure(maximum: maximum)
      #expect(shadow.capacity >= 1 && shadow.capacity < 4 * _TinyLFUConstants.shadowEntries)
      shadow.observe(0, hit: false)
      #expect(shadow.requests == 0)
    }
    shadow.configure(maximum: 1_000)
    shadow.resident = 1_000
    defer { shadow.destroy() }
    shadow.observe(7, hit: false)
    #expect(shadow.allocated == _ShadowLRU.initialNodes && shadow.bucketMask == 15)
    for hash in UInt32(100)..<UInt32(117) { shadow.observe(hash, hit: false) }
    #expect(shadow.allocated == 32 && shadow.bucketMask == 31)
    shadow.observe(7, hit: false)
    #expect(shadow.shadowHits == 1, "keys survive the growth")
  }

  @Test func itHoldsAsManyKeysAsTheCacheHoldsOfTheSample() {
    var shadow = _ShadowLRU()
    shadow.configure(maximum: 100)
    defer { shadow.destroy() }
    for hash in UInt32(1)...5 {
      shadow.cacheInserted(hash)
      shadow.observe(hash, hit: false)
    }
    #expect(shadow.resident == 5 && shadow.count == 5)
    // The cache evicts key 3: the shadow, one smaller, lets its least recent
    // key (1) go, as an LRU of that size would.
    shadow.cacheRemoved(3, evicted: true)
    #expect(shadow.resident == 4 && shadow.count == 4 && shadow.find(1) == nil && shadow.find(3) != nil)
    #expect(shadow.invariantViolation() == nil, "nodes stay dense after the removal")
    // A sixth key while the cache holds 4 of the sample plus the new one.
    shadow.cacheInserted(6)
    shadow.observe(6, hit: false)
    #expect(shadow.count == 5 && shadow.find(2) != nil)
    // Key 4 is removed or expires: gone from an LRU cache too.
    shadow.cacheRemoved(4, evicted: false)
    #expect(shadow.count == 4 && shadow.find(4) == nil && shadow.find(2) != nil)
    #expect(shadow.invariantViolation() == nil)
    // A write to a held key makes it the most recent without counting.
    let requests = shadow.requests
    shadow.touch(2)
    #expect(shadow.newest == shadow.find(2) && shadow.requests == requests && shadow.cacheHits == 0)
    shadow.cacheEmptied()
    #expect(shadow.resident == 0 && shadow.count == 0 && shadow.nodes == nil && shadow.capacity == 200)
  }
}
