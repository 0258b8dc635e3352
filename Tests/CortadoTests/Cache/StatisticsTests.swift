import Testing

@testable import Cortado

@Suite("Statistics")
struct StatisticsTests {
  let clock = ManualClock()

  @Test func countersFollowTheOperations() {
    let cache = makeCache(
      Int.self, Int.self, maximumCount: 2, maximumCost: 10, timeToLive: .seconds(1),
      policy: .lru, clock: clock
    ) { $0.cost = { _, value in value } }
    #expect(cache.statistics == CacheStatistics())
    #expect(cache.statistics.hitRate == 1)
    cache[1] = 1  // insertion
    cache[1] = 2  // replacement
    _ = cache[1]  // hit
    _ = cache[9]  // miss
    cache[2] = 1
    cache[3] = 1  // evicts 1 (least recently used, cost 2)
    cache[4] = 50  // rejection
    cache[3] = nil  // removal
    clock.advance(by: .seconds(1))
    _ = cache[2]  // miss + expiration
    let statistics = cache.statistics
    #expect(statistics.insertionCount == 3)
    #expect(statistics.replacementCount == 1)
    #expect(statistics.hitCount == 1)
    #expect(statistics.missCount == 2)
    #expect(statistics.requestCount == 3)
    #expect(statistics.hitRate == 1.0 / 3.0)
    #expect(statistics.missRate == 2.0 / 3.0)
    #expect(statistics.rejectionCount == 1)
    #expect(statistics.removalCount == 1)
    #expect(statistics.evictionCount == 1)
    #expect(statistics.evictionCost == 2)
    #expect(statistics.expirationCount == 1)
  }

  @Test func resetAndSubtract() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 10, clock: clock)
    cache[1] = 1
    _ = cache[1]
    let earlier = cache.statistics
    _ = cache[1]
    _ = cache[2]
    let delta = cache.statistics.subtracting(earlier)
    #expect(delta.hitCount == 1 && delta.missCount == 1 && delta.insertionCount == 0)
    cache.resetStatistics()
    #expect(cache.statistics == CacheStatistics())
    #expect(cache[1] == 1, "resetting statistics keeps the entries")
    #expect(cache.statistics.description.contains("hits: 1"))
  }
}
