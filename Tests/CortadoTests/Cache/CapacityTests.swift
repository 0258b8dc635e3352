import Testing

@_spi(Testing) @testable import Cortado

@Suite("Capacity and cost")
struct CapacityTests {
  let clock = ManualClock()

  func weighted(
    maximumCost: Int, maximumCount: Int? = nil, policy: EvictionPolicy = .lru,
    log: EventLog<String, Int>? = nil
  ) -> Cache<String, Int> {
    makeCache(
      String.self, Int.self, maximumCount: maximumCount, maximumCost: maximumCost,
      policy: policy, clock: clock, log: log
    ) { configuration in
      configuration.cost = { _, value in value }
    }
  }

  @Test func totalCostStaysWithinTheMaximum() {
    for policy in EvictionPolicy.allPolicies {
      let cache = weighted(maximumCost: 100, policy: policy)
      var generator = SystemRandomNumberGenerator()
      for index in 0..<2_000 {
        cache["k\(index % 150)"] = Int.random(in: 0...40, using: &generator)
        #expect(cache.totalCost <= 100)
      }
      cache._checkInvariants()
    }
  }

  @Test func bothBoundsApply() {
    let cache = weighted(maximumCost: 1_000, maximumCount: 3)
    for index in 0..<10 { cache["k\(index)"] = 1 }
    #expect(cache.count == 3)
    cache["big"] = 999
    #expect(cache.totalCost <= 1_000)
    #expect(cache["big"] == 999)
    cache._checkInvariants()
  }

  @Test func aSingleEntryMayUseTheWholeBudget() {
    let cache = weighted(maximumCost: 100)
    cache["a"] = 30
    cache["whole"] = 100
    #expect(cache["whole"] == 100)
    #expect(cache["a"] == nil)
  }

  @Test func aTooCostlyValueIsRejectedAndTheOldValueRemoved() {
    let log = EventLog<String, Int>()
    let cache = weighted(maximumCost: 100, log: log)
    cache["a"] = 10
    cache["b"] = 20
    let result = cache.setValue(101, forKey: "a")
    guard case .rejected(.tooCostly, let previous) = result else {
      Issue.record("expected tooCostly, got \(result)")
      return
    }
    #expect(previous == 10)
    #expect(cache["a"] == nil, "never left stale")
    #expect(cache["b"] == 20)
    cache.waitForRemovalNotifications()
    #expect(log.events.map(\.reason) == [.replaced, .rejected])
    #expect(log.events.map(\.value) == [10, 101])
    #expect(cache.statistics.rejectionCount == 1)
    #expect(cache.updateValue(500, forKey: "b") == 20, "updateValue still returns the removed value")
  }

  @Test func aCostlierUpdateEvictsOthersNotItself() {
    let log = EventLog<String, Int>()
    let cache = weighted(maximumCost: 10, log: log)
    cache["a"] = 3
    cache["b"] = 3
    cache["c"] = 3
    cache["c"] = 8
    cache.waitForRemovalNotifications()
    #expect(cache["c"] == 8)
    #expect(Set(log.events.filter { $0.reason == .evicted }.map(\.key)) == ["a", "b"])
    #expect(cache.totalCost == 8)
  }

  @Test func zeroCapacityStoresNothing() {
    let log = EventLog<String, Int>()
    let cache = makeCache(String.self, Int.self, maximumCount: 0, clock: clock, log: log)
    let result = cache.setValue(1, forKey: "a")
    guard case .rejected(.zeroCapacity, nil) = result else {
      Issue.record("expected zeroCapacity, got \(result)")
      return
    }
    #expect(cache["a"] == nil)
    #expect(cache.value(forKey: "b", orInsert: { 2 }) == 2, "computes without storing, like lru_cache(maxsize=0)")
    #expect(cache.isEmpty)
    cache.waitForRemovalNotifications()
    #expect(log.events.map(\.reason) == [.rejected, .rejected])
  }

  @Test func theCostFunctionRunsOutsideTheLock() {
    // If it ran under the stripe lock, reading the cache here would deadlock.
    let holder = Locked<Cache<String, Int>?>(nil)
    var configuration = Cache<String, Int>.Configuration(maximumCost: 100, clock: clock)
    configuration.sweepsExpiredEntries = false
    configuration.cost = { key, value in
      _ = holder.current?[key]
      return value
    }
    let cache = try! Cache(configuration: configuration)
    holder.withLock { $0 = cache }
    cache["a"] = 5
    cache["a"] = 6
    #expect(cache["a"] == 6)
    holder.withLock { $0 = nil }
  }

  @Test func costIsReportedPerEntry() {
    let cache = weighted(maximumCost: 100)
    cache["a"] = 42
    #expect(cache.entry(forKey: "a")?.cost == 42)
  }

  @Test func stripedCachesSplitTheCountExactly() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 1_003, clock: clock, stripes: 8)
    for key in 0..<50_000 { cache[key] = key }
    #expect(cache.count <= 1_003)
    #expect(cache.count > 950)
    cache._checkInvariants()
  }
}
