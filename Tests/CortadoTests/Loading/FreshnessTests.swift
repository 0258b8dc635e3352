import Testing

@_spi(Testing) @testable import Cortado

@Suite("Refresh and stale-if-error")
struct FreshnessTests {
  let clock = ManualClock()

  func cache(
    _ freshness: Freshness, log: EventLog<Int, Int>? = nil,
    configure: (inout Cache<Int, Int>.Configuration) -> Void = { _ in }
  ) -> Cache<Int, Int> {
    makeCache(Int.self, Int.self, maximumCount: 100, clock: clock, log: log, stripes: 2) { configuration in
      configuration.freshness = freshness
      configure(&configuration)
    }
  }

  @Test func refreshAfterServesTheCurrentValueAndReloadsOnceInTheBackground() async throws {
    let cache = cache(Freshness(timeToLive: .seconds(60), refreshAfter: .seconds(10)))
    let gate = Gate()
    let calls = Locked(0)
    let loader: @Sendable (Int) async throws -> Int = { _ in
      let call = calls.withLock {
        $0 += 1
        return $0
      }
      if call > 1 { await gate.wait() }  // the refresh is slow
      return call * 100
    }
    #expect(try await cache.loadValue(forKey: 1, using: loader) == 100)
    clock.advance(by: .seconds(10))
    // Past refreshAfter: every read returns at once, though the reload is blocked.
    for _ in 0..<5 {
      #expect(try await cache.loadValue(forKey: 1, using: loader) == 100)
    }
    #expect(await eventually { calls.current == 2 })
    #expect(calls.current == 2, "one background reload, not one per read")
    #expect(cache.statistics.refreshCount == 1)
    gate.open()
    #expect(await eventually { cache[1] == 200 })
    #expect(cache.entry(forKey: 1)?.age == .zero, "the refreshed value counts as a new write")
  }

  @Test func plainReadsDoNotRefresh() async throws {
    let cache = cache(Freshness(timeToLive: .seconds(60), refreshAfter: .seconds(10)))
    _ = try await cache.loadValue(forKey: 1) { _ in 1 }
    clock.advance(by: .seconds(30))
    #expect(cache[1] == 1)
    #expect(!cache._isLoading(1))
  }

  @Test func aFailedRefreshKeepsTheValueAndReportsTheError() async throws {
    let reported = Locked(0)
    let cache = cache(Freshness(timeToLive: .seconds(60), refreshAfter: .seconds(10))) {
      $0.onLoadFailure = { _, _ in reported.withLock { $0 += 1 } }
    }
    _ = try await cache.loadValue(forKey: 1) { _ in 1 }
    clock.advance(by: .seconds(10))
    #expect(try await cache.loadValue(forKey: 1) { _ in throw TestFailure() } == 1)
    #expect(await eventually { reported.current == 1 })
    #expect(await eventually { !cache._isLoading(1) })
    #expect(cache[1] == 1)
    #expect(cache.statistics.loadFailureCount == 1)
  }

  @Test func staleIfErrorServesTheLastGoodValueForABoundedTime() async throws {
    let log = EventLog<Int, Int>()
    let cache = cache(Freshness(timeToLive: .seconds(10), staleIfError: .seconds(30)), log: log)
    _ = try await cache.loadValue(forKey: 1) { _ in 7 }
    clock.advance(by: .seconds(10))
    // Past its lifetime: plain reads never see it, and it is not counted...
    #expect(cache[1] == nil)
    #expect(cache.entry(forKey: 1) == nil)
    #expect(!cache.contains(1))
    #expect(cache.count == 0)
    #expect(cache.snapshot().isEmpty)
    // ...but a loading read whose reload fails falls back to it.
    #expect(try await cache.loadValue(forKey: 1) { _ in throw TestFailure() } == 7)
    #expect(cache.statistics.staleHitCount == 1)
    cache.waitForRemovalNotifications()
    #expect(log.events.isEmpty, "kept stale: not yet reported as expired")
    clock.advance(by: .seconds(29))
    #expect(try await cache.loadValue(forKey: 1) { _ in throw TestFailure() } == 7)
    clock.advance(by: .seconds(1))  // the window ends at 10 s + 30 s
    await #expect(throws: TestFailure.self) { try await cache.loadValue(forKey: 1) { _ in throw TestFailure() } }
    _ = cache.count
    cache.waitForRemovalNotifications()
    #expect(log.events.map(\.reason) == [.expired])
    cache._checkInvariants()
  }

  @Test func aSuccessfulReloadReplacesAStaleValue() async throws {
    let cache = cache(Freshness(timeToLive: .seconds(10), staleIfError: .seconds(30)))
    _ = try await cache.loadValue(forKey: 1) { _ in 7 }
    clock.advance(by: .seconds(15))
    #expect(try await cache.loadValue(forKey: 1) { _ in 8 } == 8)
    #expect(cache[1] == 8)
    #expect(cache.count == 1)
    cache._checkInvariants()
  }

  @Test func staleEntriesAreEvictedBeforeLiveOnes() async throws {
    let log = EventLog<Int, Int>()
    let cache = makeCache(Int.self, Int.self, maximumCount: 3, policy: .lru, clock: clock, log: log) {
      $0.freshness = Freshness(timeToLive: .seconds(10), staleIfError: .seconds(60))
    }
    cache[1] = 1
    clock.advance(by: .seconds(5))
    cache[2] = 2
    cache[3] = 3
    clock.advance(by: .seconds(5))  // 1 is stale now
    #expect(cache.count == 2)
    cache[4] = 4
    cache.waitForRemovalNotifications()
    #expect(log.events.map(\.key) == [1])
    #expect(log.events.map(\.reason) == [.expired])
    #expect([2, 3, 4].allSatisfy { cache[$0] != nil })
    cache._checkInvariants()
  }

  @Test func removeExpiredAlsoDropsStaleEntries() {
    let cache = cache(Freshness(timeToLive: .seconds(1), staleIfError: .seconds(60)))
    cache[1] = 1
    clock.advance(by: .seconds(2))
    _ = cache.count  // makes it stale
    let removed = cache.removeExpired()
    #expect(removed.map(\.key) == [1])
    #expect(removed.first?.remainingTimeToLive == .seconds(-1))
    cache._checkInvariants()
  }

  @Test func shutdownCancelsBackgroundRefreshes() async throws {
    let cache = cache(Freshness(timeToLive: .seconds(60), refreshAfter: .seconds(1)))
    let cancelled = Locked(false)
    _ = try await cache.loadValue(forKey: 1) { _ in 1 }
    clock.advance(by: .seconds(1))
    _ = try await cache.loadValue(forKey: 1) { _ in
      do {
        try await clock.sleep(until: clock.now.advanced(by: .seconds(3_600)))
      } catch {
        cancelled.withLock { $0 = true }
        throw error
      }
      return 2
    }
    #expect(await eventually { clock.sleeperCount == 1 })
    await cache.shutdown()
    #expect(cancelled.current)
    #expect(!cache._isLoading(1))
    #expect(cache[1] == 1)
  }

  @Test func droppingTheCacheCancelsItsRefreshesAndFreesIt() async throws {
    let cancelled = Locked(false)
    weak var weakCache: Cache<Int, Int>?
    do {
      let cache = cache(Freshness(timeToLive: .seconds(60), refreshAfter: .seconds(1)))
      weakCache = cache
      _ = try await cache.loadValue(forKey: 1) { _ in 1 }
      clock.advance(by: .seconds(1))
      _ = try await cache.loadValue(forKey: 1) { _ in
        do {
          try await clock.sleep(until: clock.now.advanced(by: .seconds(3_600)))
        } catch {
          cancelled.withLock { $0 = true }
          throw error
        }
        return 2
      }
      #expect(await eventually { clock.sleeperCount == 1 })
    }
    #expect(weakCache == nil, "the background refresh holds only the storage, not the Cache")
    #expect(await eventually { cancelled.current })
  }
}
