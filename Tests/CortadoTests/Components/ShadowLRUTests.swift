import Testing

@testable import Cortado

/// The shadow LRU on its own: an exact LRU on the keys it samples, sized and
/// sampled from the stripe's capacity, allocated only as keys arrive.
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
    #expect(shadow.capacity == 100 && shadow.sampleLimit == 1 << 32, "every key, 100 entries")
    for spread in [false, true] {
      shadow.configure(maximum: 100)
      let hashes = randomHashes(20_000, distinct: 300, seed: 5, spread: spread)
      for hash in hashes { shadow.observe(hash, hit: false) }
      #expect(shadow.shadowHits == referenceHits(hashes, capacity: 100), "spread: \(spread)")
      #expect(shadow.count == 100 && shadow.allocated == 100)
      #expect(shadow.invariantViolation() == nil)
    }
  }

  @Test func theLeadIsTheShadowsHitsOverTheCachesPerSampledRequest() {
    var shadow = _ShadowLRU()
    shadow.configure(maximum: 10)
    defer { shadow.destroy() }
    #expect(shadow.takeLead() == nil, "no request yet")
    for hash in [UInt32(1), 2, 1, 2] { shadow.observe(hash, hit: false) }
    shadow.observe(3, hit: true)  // a hit for the cache, a miss for the shadow
    // The shadow hit 2 of 5 and the cache 1 of 5.
    #expect(shadow.takeLead() == 0.2)
    #expect(shadow.requests == 0 && shadow.takeLead() == nil, "each call starts a new count")
  }

  @Test func aLargeStripeIsSampled() {
    var shadow = _ShadowLRU()
    shadow.configure(maximum: 1_000_000)
    defer { shadow.destroy() }
    let rate = 1_000_000 / _TinyLFUConstants.shadowEntries
    #expect(shadow.capacity == 1_000_000 / rate && shadow.capacity < 2 * _TinyLFUConstants.shadowEntries)
    for hash in UInt32(0)..<2_000_000 { shadow.observe(hash, hit: false) }
    // 2,000,000 distinct keys sampled 1 in 976: about 2,049.
    let expected = 2_000_000 / Double(rate)
    #expect(abs(Double(shadow.requests) - expected) < expected * 0.1, "\(shadow.requests) sampled")
    #expect(shadow.count == shadow.capacity, "full, never over")
    #expect(shadow.invariantViolation() == nil)
  }

  @Test func anEmptyShadowAllocatesNothingAndGrowsByDoubling() {
    var shadow = _ShadowLRU()
    shadow.configure(maximum: 1 << 40)
    #expect(shadow.nodes == nil && shadow.buckets == nil)
    shadow.destroy()
    shadow.configure(maximum: 1_000)
    defer { shadow.destroy() }
    shadow.observe(7, hit: false)
    #expect(shadow.allocated == _ShadowLRU.initialNodes && shadow.bucketMask == 15)
    for hash in UInt32(100)..<UInt32(117) { shadow.observe(hash, hit: false) }
    #expect(shadow.allocated == 32 && shadow.bucketMask == 31)
    shadow.observe(7, hit: false)
    #expect(shadow.shadowHits == 1, "keys survive the growth")
  }
}
