import Testing

@_spi(Testing) @testable import Cortado

/// Loaders that say how their value is cached (`CacheLoadResult`): with their
/// own freshness, or not at all.
@Suite("Loader results")
struct LoadResultTests {
  let clock = ManualClock()

  func cache(_ freshness: Freshness = .timeToLive(.seconds(60))) -> Cache<Int, Int> {
    makeCache(Int.self, Int.self, maximumCount: 100, clock: clock, stripes: 2) { $0.freshness = freshness }
  }

  @Test func aLoaderChoosesTheLifetimeOfItsValue() async throws {
    let cache = cache()
    let value = try await cache.loadValue(forKey: 1) { key -> CacheLoadResult<Int> in
      .cached(key * 10, freshness: .timeToLive(.seconds(5)))
    }
    #expect(value == 10)
    #expect(cache.entry(forKey: 1)?.remainingTimeToLive == .seconds(5))
    clock.advance(by: .seconds(5))
    #expect(cache[1] == nil)
  }

  @Test func aPlainCachedResultGetsTheCachesLifetime() async throws {
    let cache = cache()
    _ = try await cache.loadValue(forKey: 1) { key -> CacheLoadResult<Int> in .cached(key) }
    #expect(cache.entry(forKey: 1)?.remainingTimeToLive == .seconds(60))
  }

  @Test func anUncachedResultReachesTheCallerAndIsNotStored() async throws {
    let cache = cache()
    let calls = Locked(0)
    for _ in 0..<3 {
      let value = try await cache.loadValue(forKey: 1) { _ -> CacheLoadResult<Int> in
        calls.withLock { $0 += 1 }
        return .uncached(7)
      }
      #expect(value == 7)
    }
    #expect(cache.count == 0)
    #expect(calls.current == 3, "nothing was stored, so every call loads")
  }

  @Test func everyWaitingCallerGetsAnUncachedValue() async throws {
    let cache = cache()
    let gate = Gate()
    let calls = Locked(0)
    let loader: @Sendable (Int) async throws -> CacheLoadResult<Int> = { _ in
      calls.withLock { $0 += 1 }
      await gate.wait()
      return .uncached(9)
    }
    let first = Task { try await cache.loadValue(forKey: 1, using: loader) }
    #expect(await eventually { cache._isLoading(1) })
    let second = Task { try await cache.loadValue(forKey: 1, using: loader) }
    #expect(await eventually { cache._waiters(forKey: 1) == 2 })
    gate.open()
    #expect(try await first.value == 9)
    #expect(try await second.value == 9)
    #expect(calls.current == 1, "one load for both callers")
    #expect(cache.count == 0)
  }

  @Test func anInvalidFreshnessReturnsTheValueWithoutStoringIt() async throws {
    let cache = cache()
    let value = try await cache.loadValue(forKey: 1) { _ -> CacheLoadResult<Int> in
      .cached(3, freshness: Freshness(timeToLive: .seconds(1), jitter: .seconds(-1)))
    }
    #expect(value == 3)
    #expect(cache.count == 0)
  }

  @Test func anUncachedRefreshKeepsTheCurrentValue() async throws {
    let cache = cache(Freshness(timeToLive: .seconds(60), refreshAfter: .seconds(10)))
    _ = try await cache.loadValue(forKey: 1) { _ -> CacheLoadResult<Int> in .cached(1) }
    clock.advance(by: .seconds(10))
    let refreshed = Locked(0)
    let value = try await cache.loadValue(forKey: 1) { _ -> CacheLoadResult<Int> in
      refreshed.withLock { $0 += 1 }
      return .uncached(2)
    }
    #expect(value == 1, "a due refresh serves the current value")
    #expect(await eventually { refreshed.current == 1 && !cache._isLoading(1) })
    #expect(cache[1] == 1, "the uncached refresh stored nothing")
  }

  @Test func aBatchLoaderDecidesPerKey() async throws {
    let cache = cache()
    let values = try await cache.loadValues(forKeys: [1, 2, 3, 4]) { keys -> [Int: CacheLoadResult<Int>] in
      #expect(keys.sorted() == [1, 2, 3, 4])
      return [
        1: .cached(10),
        2: .cached(20, freshness: .timeToLive(.seconds(2))),
        3: .uncached(30),
      ]
    }
    #expect(values == [1: 10, 2: 20, 3: 30], "a key the loader left out is absent")
    #expect(cache.entry(forKey: 1)?.remainingTimeToLive == .seconds(60))
    #expect(cache.entry(forKey: 2)?.remainingTimeToLive == .seconds(2))
    #expect(cache[3] == nil)
    #expect(cache[4] == nil)
  }
}
