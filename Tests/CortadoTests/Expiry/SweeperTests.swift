import Dispatch
import Testing

@testable import Cortado

@Suite("Sweeper", .serialized)
struct SweeperTests {
  @Test func aPassReclaimsAnIdleCacheAndFiresItsListener() {
    let clock = ManualClock()
    let log = EventLog<Int, Int>()
    let cache = makeCache(
      Int.self, Int.self, maximumCount: 100, timeToLive: .seconds(1),
      clock: clock, log: log
    ) { $0.sweepsExpiredEntries = true }
    for key in 0..<10 { cache[key] = key }
    clock.advance(by: .seconds(1))
    // Nobody touches the cache; the sweeper's pass reclaims it.
    _Sweeper.shared.runPass()
    cache.waitForRemovalNotifications()
    #expect(log.events.count == 10)
    #expect(log.events.allSatisfy { $0.reason == .expired })
    #expect(cache.statistics.expirationCount == 10)
  }

  // Suspected 18: the sweeper used to run every cache's listener on its one
  // serial queue, so one slow listener delayed expiry in every cache.
  @Test func aSlowListenerNeverDelaysAnotherCachesExpiry() async {
    let clock = ManualClock()
    let release = DispatchSemaphore(value: 0)
    let slow = makeCache(Int.self, Int.self, maximumCount: 100, timeToLive: .seconds(1), clock: clock) {
      configuration in
      configuration.sweepsExpiredEntries = true
      configuration.onRemoval = { _, _, _ in release.wait() }
    }
    let log = EventLog<Int, Int>()
    let fast = makeCache(Int.self, Int.self, maximumCount: 100, timeToLive: .seconds(1), clock: clock, log: log) {
      $0.sweepsExpiredEntries = true
    }
    slow[1] = 1
    fast[1] = 1
    clock.advance(by: .seconds(2))
    let passDone = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      _Sweeper.shared.runPass()
      passDone.signal()
    }
    let finished = await waitOffPool(passDone, seconds: 30)
    #expect(finished, "the sweeper's pass waited for a slow listener")
    #expect(fast.statistics.expirationCount == 1, "the other cache was swept")
    fast.waitForRemovalNotifications()
    #expect(log.events.map(\.reason) == [.expired])
    release.signal()
    slow.waitForRemovalNotifications()
    if !finished { passDone.wait() }
  }

  @Test func theSweeperHoldsCachesWeakly() {
    let clock = ManualClock()
    weak var weakCache: Cache<Int, Int>?
    do {
      let cache = makeCache(Int.self, Int.self, timeToLive: .seconds(1), clock: clock) {
        $0.sweepsExpiredEntries = true
      }
      cache[1] = 1
      weakCache = cache
      #expect(_Sweeper.shared.isRegistered(cache.core))
    }
    #expect(weakCache == nil, "the sweeper does not keep a cache alive")
    _Sweeper.shared.runPass()  // forgets it
  }

  @Test func cachesThatOptOutAreNotRegistered() {
    let clock = ManualClock()
    let cache = makeCache(Int.self, Int.self, timeToLive: .seconds(1), clock: clock)
    cache[1] = 1
    #expect(!_Sweeper.shared.isRegistered(cache.core))
  }

  @Test func aCacheIsRegisteredWhenItsFirstEntryGetsALifetime() {
    let clock = ManualClock()
    let cache = makeCache(Int.self, Int.self, clock: clock) { $0.sweepsExpiredEntries = true }
    cache[1] = 1
    #expect(!_Sweeper.shared.isRegistered(cache.core))
    cache.setValue(2, forKey: 2, timeToLive: .seconds(1))
    #expect(_Sweeper.shared.isRegistered(cache.core))
  }

  @Test func theTimerRunsOnItsOwn() async throws {
    // The one test that waits in real time: the process-wide timer fires about
    // once a second. Generous deadline; no timing assertion.
    let clock = ManualClock()
    let log = EventLog<Int, Int>()
    let cache = makeCache(Int.self, Int.self, timeToLive: .seconds(1), clock: clock, log: log) {
      $0.sweepsExpiredEntries = true
    }
    cache[1] = 1
    clock.advance(by: .seconds(2))
    // 20 s *and* 400 polls: a pool starved by CPU-bound tests stretches the
    // wait instead of failing it.
    let deadline = ContinuousClock.now + .seconds(20)
    var polls = 0
    while log.events.isEmpty && (polls < 400 || ContinuousClock.now < deadline) {
      polls += 1
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(log.events.map(\.reason) == [.expired])
    withExtendedLifetime(cache) {}
  }
}
