import Testing

@_spi(Testing) @testable import Cortado

/// `insertValue(_:forKey:)`, `compute(forKey:_:)` and `modifyValue(forKey:_:)`,
/// single-threaded with a manual clock. Their concurrent behaviour is checked
/// by `LinearizabilityTests` and `ComputeStressTests`.
@Suite("insertValue, compute, modifyValue")
struct ComputeFamilyTests {
  let clock = ManualClock()

  func cache(log: EventLog<String, Int>? = nil, timeToLive: Duration? = nil) -> Cache<String, Int> {
    makeCache(String.self, Int.self, maximumCount: 10, timeToLive: timeToLive, clock: clock, log: log)
  }

  struct Failure: Error {}

  // MARK: insertValue

  @Test func insertValueInsertsOnlyWhenAbsent() {
    let cache = cache()
    #expect(cache.insertValue(1, forKey: "a").isInserted)
    guard case .existing(let current) = cache.insertValue(2, forKey: "a") else {
      Issue.record("expected .existing")
      return
    }
    #expect(current == 1)
    #expect(cache["a"] == 1, "the existing value is left as it is")
    #expect(cache.statistics.hitCount == 1 && cache.statistics.missCount == 0, "insertValue is not a read")
  }

  @Test func insertValueTreatsAnExpiredValueAsAbsent() {
    let cache = cache(timeToLive: .seconds(10))
    cache["a"] = 1
    clock.advance(by: .seconds(10))
    #expect(cache.insertValue(2, forKey: "a").isInserted)
    #expect(cache["a"] == 2)
  }

  @Test func insertValueReportsARejectionAndChangesNothing() {
    let cache = makeCache(String.self, Int.self, maximumCost: 10, clock: clock) { $0.cost = { _, value in value } }
    guard case .rejected(reason: .tooCostly) = cache.insertValue(11, forKey: "a") else {
      Issue.record("expected .rejected(.tooCostly)")
      return
    }
    #expect(cache.count == 0)
  }

  @Test func insertValueGivesTheCachesLifetime() {
    let cache = cache(timeToLive: .seconds(10))
    cache.insertValue(1, forKey: "a")
    clock.advance(by: .seconds(9))
    #expect(cache["a"] == 1)
    clock.advance(by: .seconds(1))
    #expect(cache["a"] == nil)
  }

  // MARK: compute

  @Test func computeInsertsReplacesAndRemoves() {
    let log = EventLog<String, Int>()
    let cache = cache(log: log)
    #expect(cache.compute(forKey: "a") { ($0 ?? 0) + 1 }.storedValue == 1)
    #expect(cache.compute(forKey: "a") { ($0 ?? 0) + 1 }.storedValue == 2)
    #expect(cache["a"] == 2)
    guard case .removed = cache.compute(forKey: "a", { _ in nil }) else {
      Issue.record("expected .removed")
      return
    }
    #expect(cache["a"] == nil)
    guard case .unchanged = cache.compute(forKey: "a", { _ in nil }) else {
      Issue.record("expected .unchanged")
      return
    }
    cache.waitForRemovalNotifications()
    #expect(log.events.map(\.reason) == [.replaced, .removed])
    #expect(log.events.map(\.value) == [1, 2])
  }

  @Test func computeSeesTheLiveValueOnly() {
    let cache = cache(timeToLive: .seconds(5))
    cache["a"] = 7
    clock.advance(by: .seconds(5))
    var seen: Int?? = .none
    cache.compute(forKey: "a") { current in
      seen = .some(current)
      return 1
    }
    #expect(seen == .some(nil), "an expired value is not shown to the closure")
  }

  @Test func aThrowingComputeChangesNothing() {
    let cache = cache()
    cache["a"] = 1
    #expect(throws: Failure.self) {
      try cache.compute(forKey: "a") { (_: Int?) throws(Failure) -> Int? in throw Failure() }
    }
    #expect(cache["a"] == 1)
    // The claim was released: the key can be computed again.
    #expect(cache.compute(forKey: "a") { ($0 ?? 0) + 1 }.storedValue == 2)
  }

  @Test func aWriteDuringComputeWins() {
    let cache = cache()
    cache["a"] = 1
    let result = cache.compute(forKey: "a") { current in
      cache["a"] = 100  // lands while the closure runs
      return (current ?? 0) + 1
    }
    guard case .superseded = result else {
      Issue.record("expected .superseded, got \(result)")
      return
    }
    #expect(cache["a"] == 100)
  }

  @Test func aRemovalDuringComputeWins() {
    let cache = cache()
    cache["a"] = 1
    let result = cache.compute(forKey: "a") { current in
      cache.removeValue(forKey: "a")
      return (current ?? 0) + 1
    }
    guard case .superseded = result else {
      Issue.record("expected .superseded, got \(result)")
      return
    }
    #expect(cache["a"] == nil)
  }

  @Test func anInsertDuringComputeWins() {
    let cache = cache()
    let result = cache.compute(forKey: "a") { _ in
      #expect(cache.insertValue(5, forKey: "a").isInserted)
      return 1
    }
    guard case .superseded = result else {
      Issue.record("expected .superseded, got \(result)")
      return
    }
    #expect(cache["a"] == 5)
  }

  @Test func computeReportsARejectionAndRemovesTheOldValue() {
    let log = EventLog<String, Int>()
    let cache = makeCache(String.self, Int.self, maximumCost: 10, clock: clock, log: log) {
      $0.cost = { _, value in value }
    }
    cache["a"] = 3
    guard case .rejected(reason: .tooCostly) = cache.compute(forKey: "a", { _ in 11 }) else {
      Issue.record("expected .rejected(.tooCostly)")
      return
    }
    #expect(cache["a"] == nil, "the outdated value is not left in place")
  }

  @Test func computeGivesANewLifetime() {
    let cache = cache(timeToLive: .seconds(10))
    cache["a"] = 1
    clock.advance(by: .seconds(8))
    cache.compute(forKey: "a") { ($0 ?? 0) + 1 }
    clock.advance(by: .seconds(8))
    #expect(cache["a"] == 2)
  }

  @Test func computeReadsDoNotCountAsHitsOrMisses() {
    let cache = cache()
    cache.compute(forKey: "a") { ($0 ?? 0) + 1 }
    cache.compute(forKey: "a") { ($0 ?? 0) + 1 }
    #expect(cache.statistics.hitCount == 0 && cache.statistics.missCount == 0)
  }

  @Test func computeWorksForEveryPolicy() {
    for policy in EvictionPolicy.allPolicies {
      let cache = makeCache(Int.self, Int.self, maximumCount: 4, policy: policy, clock: clock)
      for round in 0..<50 {
        let key = round % 7
        cache.compute(forKey: key) { round % 5 == 0 ? nil : ($0 ?? 0) + 1 }
      }
      #expect(cache.count <= 4)
      cache._checkInvariants()
    }
  }

  // MARK: modifyValue

  @Test func modifyValueDoesNothingForAnAbsentKey() {
    let cache = cache()
    var ran = false
    guard case .unchanged = cache.modifyValue(forKey: "a", { _ in ran = true }) else {
      Issue.record("expected .unchanged")
      return
    }
    #expect(!ran)
    #expect(cache.count == 0)
  }

  @Test func modifyValueKeepsTheRemainingLifetimeAndAge() {
    let log = EventLog<String, Int>()
    let cache = cache(log: log, timeToLive: .seconds(10))
    cache["a"] = 1
    clock.advance(by: .seconds(6))
    #expect(cache.modifyValue(forKey: "a") { $0 += 10 }.storedValue == 11)
    #expect(cache.entry(forKey: "a")?.age == .seconds(6))
    #expect(cache.entry(forKey: "a")?.remainingTimeToLive == .seconds(4))
    clock.advance(by: .seconds(3))
    #expect(cache["a"] == 11)
    clock.advance(by: .seconds(1))
    #expect(cache["a"] == nil, "expires when the first write's lifetime ends")
    cache.waitForRemovalNotifications()
    #expect(log.events.map(\.reason) == [.replaced, .expired])
  }

  @Test func aWriteDuringModifyWins() {
    let cache = cache()
    cache["a"] = 1
    let result = cache.modifyValue(forKey: "a") { value in
      cache["a"] = 100
      value += 1
    }
    guard case .superseded = result else {
      Issue.record("expected .superseded, got \(result)")
      return
    }
    #expect(cache["a"] == 100)
  }

  @Test func aThrowingModifyChangesNothing() {
    let cache = cache()
    cache["a"] = 1
    #expect(throws: Failure.self) {
      try cache.modifyValue(forKey: "a") { (value: inout Int) throws(Failure) in
        value = 99
        throw Failure()
      }
    }
    #expect(cache["a"] == 1)
  }
}
