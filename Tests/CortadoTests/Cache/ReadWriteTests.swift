import Testing

@_spi(Testing) @testable import Cortado

@Suite("Reading and writing")
struct ReadWriteTests {
  let clock = ManualClock()

  @Test func subscriptInsertsReadsAndRemovesWithNil() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, clock: clock)
    #expect(cache["a"] == nil)
    cache["a"] = 1
    #expect(cache["a"] == 1)
    cache["a"] = 2
    #expect(cache["a"] == 2)
    cache["a"] = nil
    #expect(cache["a"] == nil)
    #expect(cache.isEmpty)
    cache._checkInvariants()
  }

  @Test func updateValueReturnsThePreviousLiveValue() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(5), clock: clock)
    #expect(cache.updateValue(1, forKey: "a") == nil)
    #expect(cache.updateValue(2, forKey: "a") == 1)
    clock.advance(by: .seconds(5))
    // The previous value had expired: it is not "live", so nil.
    #expect(cache.updateValue(3, forKey: "a") == nil)
    #expect(cache["a"] == 3)
  }

  @Test func setValueReportsWhatHappened() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, clock: clock)
    let first = cache.setValue(1, forKey: "a")
    guard case .inserted = first else {
      Issue.record("expected inserted, got \(first)")
      return
    }
    #expect(first.isStored && first.previousValue == nil)
    let second = cache.setValue(2, forKey: "a")
    guard case .replaced(let previous) = second else {
      Issue.record("expected replaced")
      return
    }
    #expect(previous == 1)
  }

  @Test func removeValueReturnsTheLiveValueOnly() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(5), clock: clock)
    cache["a"] = 1
    cache["b"] = 2
    #expect(cache.removeValue(forKey: "a") == 1)
    #expect(cache.removeValue(forKey: "a") == nil)
    clock.advance(by: .seconds(5))
    #expect(cache.removeValue(forKey: "b") == nil, "an expired value is never returned")
  }

  @Test func valueForKeyMatchesTheSubscript() {
    let cache = makeCache(Int.self, String.self, maximumCount: 4, clock: clock)
    cache[1] = "one"
    #expect(cache.value(forKey: 1) == "one")
    #expect(cache.value(forKey: 2) == nil)
  }

  @Test func containsIsQuiet() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 2, policy: .lru, clock: clock)
    cache[1] = 1
    cache[2] = 2
    #expect(cache.contains(1))
    let before = cache.statistics
    #expect(!cache.contains(3))
    #expect(cache.statistics == before, "contains does not count as a hit or a miss")
    cache[3] = 3  // 1 is still least recently used: contains did not touch it
    #expect(!cache.contains(1))
    #expect(cache.contains(2) && cache.contains(3))
  }

  @Test func removeAllEmptiesAndReportsEachEntry() {
    let log = EventLog<Int, Int>()
    let cache = makeCache(Int.self, Int.self, maximumCount: 100, timeToLive: .seconds(9), clock: clock, log: log)
    for key in 0..<50 { cache[key] = key }
    cache.removeAll()
    cache.waitForRemovalNotifications()
    #expect(cache.isEmpty)
    #expect(log.events.count == 50)
    #expect(log.events.allSatisfy { $0.reason == .removed })
    cache._checkInvariants()
    // Still usable afterwards.
    for key in 0..<150 { cache[key] = key }
    #expect(cache.count == 100)
    cache._checkInvariants()
  }

  @Test func removeAllWhereRemovesMatchingEntries() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 100, clock: clock, stripes: 4)
    for key in 0..<40 { cache[key] = key }
    let removed = cache.removeAll { key, _ in key % 2 == 0 }
    #expect(removed == 20)
    #expect(cache.count == 20)
    #expect((0..<40).allSatisfy { cache[$0] == ($0 % 2 == 0 ? nil : $0) })
    cache._checkInvariants()
  }

  @Test func removeAllWhereKeepsEntriesRewrittenMeanwhile() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 100, clock: clock)
    cache[1] = 1
    cache[2] = 2
    // The predicate runs outside the lock, so it may write to the cache; a key
    // rewritten after the snapshot is kept.
    let removed = cache.removeAll { key, _ in
      if key == 1 { cache[1] = 100 }
      return true
    }
    #expect(removed == 1)
    #expect(cache[1] == 100)
    #expect(cache[2] == nil)
  }

  @Test func snapshotListsLiveEntriesOldestWriteFirst() {
    for stripes in [1, 8] {
      let cache = makeCache(
        Int.self, Int.self, maximumCount: 1_000, timeToLive: .seconds(10), clock: clock, stripes: stripes)
      for key in [5, 3, 9, 1, 7] { cache[key] = key * 10 }
      cache[3] = 31  // rewritten: now the newest
      cache.setValue(99, forKey: 42, timeToLive: .seconds(1))
      clock.advance(by: .seconds(1))  // 42 expires
      #expect(cache.snapshot().map(\.key) == [5, 9, 1, 7, 3])
      #expect(cache.snapshot().map(\.value) == [50, 90, 10, 70, 31])
    }
  }

  @Test func worksWithStringKeysAndClassValues() {
    final class Box: Sendable {
      let number: Int
      init(_ number: Int) { self.number = number }
    }
    let cache = makeCache(String.self, Box.self, maximumCount: 3, clock: clock)
    for index in 0..<10 { cache["key-\(index)"] = Box(index) }
    #expect(cache.count == 3)
    #expect(cache["key-9"]?.number == 9)
    cache._checkInvariants()
  }

  @Test func manyKeysGrowTheArenaAndIndex() {
    let cache = makeCache(Int.self, Int.self, clock: clock)
    for key in 0..<20_000 { cache[key] = key }
    #expect(cache.count == 20_000)
    for key in stride(from: 0, to: 20_000, by: 3) { cache[key] = nil }
    #expect(cache.count == 20_000 - 6_667)
    #expect(cache[1] == 1 && cache[3] == nil)
    cache._checkInvariants()
  }

  @Test func descriptionMentionsTheLimits() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 7, timeToLive: .seconds(3), clock: clock)
    #expect(cache.description.contains("maximumCount: 7"))
  }
}
