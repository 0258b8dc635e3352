import Dispatch
import Testing

@_spi(Testing) @testable import Cortado

/// Input the API accepts never crashes the cache, never corrupts it, and gets
/// a clear answer.
@Suite("Accepted input: huge bounds, huge costs, the clock's end, odd lifetimes")
struct HostileInputTests {
  let clock = ManualClock()

  // Defect 9: the sketch used to be allocated for the bound at creation.
  @Test("an empty cache with a huge bound costs almost nothing", arguments: [50_000_000, 1 << 40, Int.max / 2])
  func hugeBoundsAreLazy(_ bound: Int) {
    let cache = makeCache(Int.self, Int.self, maximumCount: bound, clock: clock, stripes: nil)
    var sketchBytes = 0
    var ghostBytes = 0
    cache.core.forEachShard { shard, _ in
      sketchBytes += shard.pointee.sketch.words * 8
      ghostBytes += Int(shard.pointee.sizer.ghosts.mask + 1) * 8
    }
    #expect(sketchBytes <= cache.stripeCount * 64, "one 64-byte block per stripe until the cache fills")
    #expect(ghostBytes <= cache.stripeCount * 128, "16 ghost words per stripe until the cache fills")
    for key in 0..<10_000 { cache[key] = key }
    sketchBytes = 0
    cache.core.forEachShard { shard, _ in sketchBytes += shard.pointee.sketch.words * 8 }
    #expect(sketchBytes <= 10_000 * 10 + cache.stripeCount * 64, "at most 2× the 5 bytes per entry held")
    #expect(cache.count == 10_000)
  }

  @Test func theSketchGrowsInStepsToFiveEighthsOfAWordPerEntry() {
    var sketch = _FrequencySketch()
    sketch.configure(expectedEntries: 4_096)
    #expect(sketch.words == _FrequencySketch.blockWords)
    sketch.ensureCapacity(1_000)
    #expect(sketch.words == 1_024, "doubling until the entries held are covered")
    sketch.ensureCapacity(2_500)
    #expect(sketch.words == 2_048)
    sketch.ensureCapacity(1 << 20)
    #expect(sketch.words == 2_560, "5/8 of a word per expected entry, never more")
    sketch.destroy()
  }

  // Defect 10: cost totals used trapping arithmetic.
  @Test func hugeCostsNeverTrap() {
    let half = Int.max / 2 + 1
    let counted = makeCache(Int.self, Int.self, maximumCount: 10, clock: clock) { $0.cost = { _, value in value } }
    counted[1] = half
    counted[2] = half
    counted[3] = .max
    #expect(counted.count == 3)
    #expect(counted.totalCost == .max, "the sum saturates in the report")
    counted.removeValue(forKey: 3)
    counted.removeValue(forKey: 2)
    #expect(counted.totalCost == half, "and stays exact underneath")
    counted[1] = 5
    #expect(counted.totalCost == 5)
    counted._checkInvariants()

    let bounded = makeCache(Int.self, Int.self, maximumCost: .max, clock: clock) { $0.cost = { _, value in value } }
    bounded[1] = half
    bounded[2] = half
    #expect(bounded.count <= 2)
    #expect(
      bounded.setValue(.max, forKey: 3) == .rejected(reason: .tooCostly, previous: nil),
      "a cost above the largest budget (2^61) is rejected, with its reason")
    bounded._checkInvariants()
    #expect(bounded.statistics.evictionCost >= 0)
  }

  // Defect 13: a clock advanced to its end made "never" entries expired.
  @Test func entriesThatNeverExpireSurviveTheClocksEnd() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 10, clock: clock)
    cache[1] = 1
    cache.setValue(2, forKey: 2, timeToLive: .seconds(1))
    clock.advance(by: .seconds(Int64.max))
    #expect(cache[1] == 1)
    #expect(cache[2] == nil)
    #expect(cache.count == 1)
    cache[3] = 3
    #expect(cache.entry(forKey: 3)?.remainingTimeToLive == nil)
    cache._checkInvariants()
  }

  // Suspected 16: per-entry freshness was never checked.
  @Test func invalidPerEntryFreshnessIsRejectedWithItsReason() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 10, clock: clock)
    cache[1] = 1
    #expect(
      cache.setValue(2, forKey: 1, freshness: Freshness(timeToLive: .seconds(5), refreshAfter: .seconds(-1)))
        == .rejected(reason: .invalidFreshness(.refreshAfter), previous: 1))
    #expect(
      cache.setValue(2, forKey: 1, freshness: Freshness(timeToLive: .seconds(5), staleIfError: .zero))
        == .rejected(reason: .invalidFreshness(.staleIfError), previous: nil))
    #expect(cache[1] == nil)
    #expect(
      cache.setValue(3, forKey: 1, freshness: Freshness(timeToLive: .zero))
        == .rejected(reason: .alreadyExpired, previous: nil),
      "a lifetime of zero is expired on arrival, as documented")
  }

  @Test func aSubNanosecondLifetimeIsOneNanosecond() {
    let tiny = Duration(secondsComponent: 0, attosecondsComponent: 1)
    let cache = makeCache(Int.self, Int.self, maximumCount: 10, clock: clock) { configuration in
      configuration.freshnessForEntry = { _, _ in Freshness(timeToLive: tiny) }
    }
    #expect(cache.setValue(1, forKey: 1) == .inserted)
    #expect(cache.setValue(2, forKey: 2, timeToLive: tiny) == .inserted)
    #expect(cache.setValue(3, forKey: 3, freshness: Freshness(timeToIdle: tiny)) == .inserted)
    #expect(cache.count == 3)
    clock.advance(by: .nanoseconds(1))
    #expect(cache.count == 0)
  }
}

extension CacheWriteResult: Equatable where Value: Equatable {
  public static func == (lhs: Self, rhs: Self) -> Bool {
    switch (lhs, rhs) {
    case (.inserted, .inserted): return true
    case (.replaced(let a), .replaced(let b)): return a == b
    case (.rejected(let a, let x), .rejected(let b, let y)): return a == b && x == y
    default: return false
    }
  }
}
