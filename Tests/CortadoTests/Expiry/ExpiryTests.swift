import Testing

@_spi(Testing) @testable import Cortado

@Suite("Expiry")
struct ExpiryTests {
  let clock = ManualClock()

  @Test func liveOnHalfOpenIntervalAndExpiredAtExactlyTheDeadline() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(20), clock: clock)
    cache["a"] = 1
    clock.advance(by: .seconds(20) - .nanoseconds(1))
    #expect(cache["a"] == 1, "live one nanosecond before t + d")
    #expect(cache.count == 1)
    clock.advance(by: .nanoseconds(1))
    #expect(cache.count == 0, "expired at exactly t + d, and never counted")
    #expect(cache["a"] == nil)
  }

  @Test func expiredEntriesAreNeverCountedEvenBeforeReclaimed() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 100, timeToLive: .seconds(1), clock: clock)
    for key in 0..<10 { cache[key] = key }
    clock.advance(by: .milliseconds(500))
    for key in 10..<15 { cache[key] = key }
    clock.advance(by: .milliseconds(500))
    #expect(cache.count == 5)
    #expect(!cache.isEmpty)
    #expect(cache.snapshot().map(\.key) == Array(10..<15))
    clock.advance(by: .milliseconds(500))
    #expect(cache.isEmpty)
  }

  @Test func writesRefreshTheLifetimeAndReadsDoNot() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(10), clock: clock)
    cache["a"] = 1
    clock.advance(by: .seconds(6))
    #expect(cache["a"] == 1)  // a read does not extend the lifetime
    clock.advance(by: .seconds(4))
    #expect(cache["a"] == nil)
    cache["b"] = 1
    clock.advance(by: .seconds(6))
    cache["b"] = 2  // a write restarts it
    clock.advance(by: .seconds(6))
    #expect(cache["b"] == 2)
    #expect(cache.entry(forKey: "b")?.age == .seconds(6), "rewriting resets the age")
  }

  @Test func perEntryTimeToLiveOverridesTheDefault() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(60), clock: clock)
    cache.setValue(1, forKey: "short", timeToLive: .seconds(5))
    cache["long"] = 2
    clock.advance(by: .seconds(5))
    #expect(cache["short"] == nil)
    #expect(cache["long"] == 2)
  }

  @Test func perEntryLifetimeWorksInACacheWithoutLifetimes() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, clock: clock)
    cache["forever"] = 0
    cache.setValue(1, forKey: "brief", timeToLive: .milliseconds(30))
    #expect(cache.entry(forKey: "brief")?.remainingTimeToLive == .milliseconds(30))
    #expect(cache.entry(forKey: "forever")?.remainingTimeToLive == nil)
    clock.advance(by: .milliseconds(30))
    #expect(cache["brief"] == nil)
    #expect(cache["forever"] == 0)
    #expect(cache.count == 1)
    cache._checkInvariants()
  }

  @Test func nonPositivePerEntryLifetimeStoresNothingAndRemovesTheOldValue() {
    let log = EventLog<String, Int>()
    let cache = makeCache(String.self, Int.self, maximumCount: 10, clock: clock, log: log)
    cache["a"] = 1
    let result = cache.setValue(2, forKey: "a", timeToLive: .zero)
    guard case .rejected(.alreadyExpired, let previous) = result else {
      Issue.record("expected rejected(alreadyExpired), got \(result)")
      return
    }
    #expect(previous == 1)
    #expect(cache["a"] == nil, "the old value is not left in place")
    cache.setValue(3, forKey: "b", timeToLive: .seconds(-1))
    #expect(cache["b"] == nil)
    cache.waitForRemovalNotifications()
    #expect(log.events.map(\.reason) == [.replaced, .expired, .expired])
  }

  @Test func lifetimesBeyondTheClockRangeNeverExpire() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, clock: clock)
    cache.setValue(1, forKey: "a", timeToLive: .seconds(Int64.max))
    cache.setValue(2, forKey: "b", timeToLive: .seconds(9_000_000_000))  // ~285 years
    #expect(cache.entry(forKey: "a")?.remainingTimeToLive == nil)
    clock.advance(by: .seconds(100 * 365 * 24 * 3600))
    #expect(cache["a"] == 1)
    #expect(cache["b"] == 2)
  }

  @Test func timeToIdleSlidesWithEveryRead() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToIdle: .seconds(10), clock: clock)
    cache["a"] = 1
    for _ in 0..<5 {
      clock.advance(by: .seconds(9))
      #expect(cache["a"] == 1)
    }
    #expect(cache.entry(forKey: "a")?.remainingTimeToLive == .seconds(10))
    clock.advance(by: .seconds(10))
    #expect(cache["a"] == nil)
  }

  @Test func quietReadsDoNotSlideTheIdleLifetime() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToIdle: .seconds(10), clock: clock)
    cache["a"] = 1
    clock.advance(by: .seconds(9))
    #expect(cache.entry(forKey: "a") != nil)
    #expect(cache.contains("a"))
    clock.advance(by: .seconds(1))
    #expect(cache.entry(forKey: "a") == nil)
  }

  @Test func timeToLiveAndTimeToIdleCombine() {
    let cache = makeCache(
      String.self, Int.self, maximumCount: 10, timeToLive: .seconds(30),
      timeToIdle: .seconds(10), clock: clock)
    cache["idle"] = 1
    cache["busy"] = 2
    clock.advance(by: .seconds(5))
    #expect(cache["busy"] == 2)  // t = 5 s: idle deadline now 15 s
    clock.advance(by: .seconds(5))
    #expect(cache["idle"] == nil, "idle expiry came first")  // t = 10 s
    for _ in 0..<2 {
      #expect(cache["busy"] == 2)
      clock.advance(by: .seconds(9))
    }
    #expect(cache["busy"] == 2)  // t = 28 s
    #expect(cache.entry(forKey: "busy")?.remainingTimeToLive == .seconds(2), "capped by the time to live")
    clock.advance(by: .seconds(2))  // t = 30 s: hard deadline, despite the reads
    #expect(cache["busy"] == nil)
  }

  @Test func freshnessForEntryChoosesPerEntryLifetimes() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, clock: clock) { configuration in
      configuration.freshnessForEntry = { _, value in .timeToLive(.seconds(Int64(value))) }
    }
    cache["one"] = 1
    cache["three"] = 3
    cache.setValue(100, forKey: "explicit", timeToLive: .seconds(2))
    clock.advance(by: .seconds(1))
    #expect(cache["one"] == nil)
    #expect(cache["three"] == 3)
    clock.advance(by: .seconds(1))
    #expect(cache["explicit"] == nil, "an explicit lifetime wins over the function")
    clock.advance(by: .seconds(1))
    #expect(cache.isEmpty)
  }

  @Test func setValueWithFreshnessReplacesTheCachePolicy() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(5), clock: clock)
    cache.setValue(1, forKey: "idle", freshness: .timeToIdle(.seconds(2)))
    cache.setValue(2, forKey: "never", freshness: .never)
    clock.advance(by: .seconds(1))
    #expect(cache["idle"] == 1)
    clock.advance(by: .seconds(2))
    #expect(cache["idle"] == nil)
    clock.advance(by: .seconds(100))
    #expect(cache["never"] == 2)
  }

  @Test func entryReportsAgeAndRemainingLifetime() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(20), clock: clock)
    cache["a"] = 1
    clock.advance(by: .seconds(7))
    let entry = cache.entry(forKey: "a")
    #expect(entry?.key == "a")
    #expect(entry?.value == 1)
    #expect(entry?.age == .seconds(7))
    #expect(entry?.remainingTimeToLive == .seconds(13))
    #expect(cache.entry(forKey: "missing") == nil)
  }

  @Test func removeExpiredReturnsTheExpiredEntriesInDeadlineOrder() {
    for stripes in [1, 4] {
      let log = EventLog<String, Int>()
      let cache = makeCache(
        String.self, Int.self, maximumCount: 1_000, timeToLive: .seconds(10),
        clock: clock, log: log, stripes: stripes)
      cache.setValue(3, forKey: "c", timeToLive: .seconds(3))
      cache.setValue(1, forKey: "a", timeToLive: .seconds(1))
      cache.setValue(2, forKey: "b", timeToLive: .seconds(2))
      cache["live"] = 0
      #expect(cache.removeExpired().isEmpty)
      clock.advance(by: .seconds(5))
      let removed = cache.removeExpired()
      #expect(removed.map(\.key) == ["a", "b", "c"])
      #expect(removed.first?.remainingTimeToLive == .seconds(-4))
      #expect(cache.count == 1)
      cache.waitForRemovalNotifications()
      #expect(log.events.map(\.reason) == [.expired, .expired, .expired])
      #expect(cache.statistics.expirationCount == 3)
      clock.advance(by: .seconds(10))
    }
  }

  @Test func expiredEntriesArePurgedBeforeAnyLiveEntryIsEvicted() {
    for policy in [EvictionPolicy.lru, .lfu, .fifo, .windowTinyLFU, .random(seed: 3)] {
      let log = EventLog<Int, Int>()
      let cache = makeCache(
        Int.self, Int.self, maximumCount: 4, timeToLive: .seconds(100),
        policy: policy, clock: clock, log: log)
      cache[1] = 1
      cache.setValue(2, forKey: 2, timeToLive: .seconds(1))
      cache[3] = 3
      cache[4] = 4
      for _ in 0..<5 {
        _ = cache[1]
        _ = cache[3]
        _ = cache[4]
      }
      clock.advance(by: .seconds(1))
      cache[5] = 5
      cache.waitForRemovalNotifications()
      #expect(log.events.map(\.reason) == [.expired], "\(policy): the expired entry went first")
      #expect(log.events.map(\.key) == [2])
      #expect([1, 3, 4, 5].allSatisfy { cache.contains($0) }, "\(policy)")
    }
  }

  @Test func expiredMemoryIsReclaimedWithoutReadingTheSameKey() {
    // Amortised work on other operations reclaims entries nobody reads again.
    let log = EventLog<Int, Int>()
    let cache = makeCache(
      Int.self, Int.self, maximumCount: 1_000, timeToLive: .milliseconds(100),
      clock: clock, log: log)
    for key in 0..<100 { cache[key] = key }
    clock.advance(by: .seconds(1))
    for _ in 0..<100 { _ = cache[-1] }  // misses on an unrelated key
    cache.waitForRemovalNotifications()
    #expect(log.events.count == 100)
    #expect(log.events.allSatisfy { $0.reason == .expired })
  }

  @Test func rewritingAnExpiredKeyReportsTheOldValueAsExpired() {
    let log = EventLog<String, Int>()
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(1), clock: clock, log: log)
    cache["a"] = 1
    clock.advance(by: .seconds(2))
    let result = cache.setValue(2, forKey: "a")
    guard case .inserted = result else {
      Issue.record("expected inserted, got \(result)")
      return
    }
    cache.waitForRemovalNotifications()
    #expect(log.events.map(\.reason) == [.expired])
    #expect(log.events.first?.value == 1)
  }
}
