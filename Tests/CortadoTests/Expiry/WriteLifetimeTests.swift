import Testing

@_spi(Testing) @testable import Cortado

/// `setValue(_:forKey:lifetime:)` (keep-remaining) and `Freshness.jitter`.
@Suite("Write lifetimes: keep-remaining and jitter")
struct WriteLifetimeTests {
  let clock = ManualClock()

  @Test func keepRemainingKeepsALiveEntrysDeadlines() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(10), clock: clock)
    cache["a"] = 1
    clock.advance(by: .seconds(7))
    let result = cache.setValue(2, forKey: "a", lifetime: .keepRemaining(otherwise: .timeToLive(.seconds(100))))
    #expect(result.previousValue == 1)
    #expect(cache.entry(forKey: "a")?.remainingTimeToLive == .seconds(3))
    clock.advance(by: .seconds(3))
    #expect(cache["a"] == nil)
  }

  @Test func keepRemainingGivesANewKeyTheFallback() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(10), clock: clock)
    #expect(cache.setValue(1, forKey: "a", lifetime: .keepRemaining(otherwise: .never)) == .inserted)
    clock.advance(by: .seconds(1_000))
    #expect(cache["a"] == 1, "Hummingbird's set(expires: nil) on a new key: no expiry")
    cache.setValue(2, forKey: "b", lifetime: .keepRemaining(otherwise: .timeToLive(.seconds(5))))
    clock.advance(by: .seconds(5))
    #expect(cache["b"] == nil)
  }

  @Test func keepRemainingOnAnExpiredEntryUsesTheFallback() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(10), clock: clock)
    cache["a"] = 1
    clock.advance(by: .seconds(10))
    #expect(cache.setValue(2, forKey: "a", lifetime: .keepRemaining(otherwise: .timeToLive(.seconds(4)))) == .inserted)
    #expect(cache.entry(forKey: "a")?.remainingTimeToLive == .seconds(4))
  }

  @Test func anInvalidFallbackIsRejectedEvenForALiveKey() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(10), clock: clock)
    cache["a"] = 1
    let result = cache.setValue(2, forKey: "a", lifetime: .keepRemaining(otherwise: Freshness(refreshAfter: .zero)))
    #expect(result == .rejected(reason: .invalidFreshness(.refreshAfter), previous: 1))
    #expect(cache["a"] == nil, "the old value is not left in place")
  }

  @Test func keepRemainingWorksInACacheWithoutLifetimes() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, clock: clock)
    cache.setValue(1, forKey: "a", lifetime: .keepRemaining(otherwise: .timeToLive(.seconds(5))))
    cache.setValue(2, forKey: "a", lifetime: .keepRemaining(otherwise: .never))
    clock.advance(by: .seconds(5))
    #expect(cache["a"] == nil, "the first write's lifetime is kept")
  }

  @Test func theOtherLifetimesMatchTheirOverloads() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(10), clock: clock)
    cache.setValue(1, forKey: "default", lifetime: .cacheDefault)
    cache.setValue(1, forKey: "ttl", lifetime: .timeToLive(.seconds(3)))
    cache.setValue(1, forKey: "freshness", lifetime: .freshness(.timeToLive(.seconds(20))))
    #expect(cache.entry(forKey: "default")?.remainingTimeToLive == .seconds(10))
    #expect(cache.entry(forKey: "ttl")?.remainingTimeToLive == .seconds(3))
    #expect(cache.entry(forKey: "freshness")?.remainingTimeToLive == .seconds(20))
    let invalid = cache.setValue(1, forKey: "bad", lifetime: .freshness(Freshness(jitter: .seconds(-1))))
    #expect(invalid == .rejected(reason: .invalidFreshness(.jitter), previous: nil))
  }

  // MARK: Jitter

  func jittered(seed: UInt64 = 7) -> Cache<Int, Int> {
    makeCache(Int.self, Int.self, maximumCount: 1_000, policy: .random(seed: seed), clock: clock, stripes: 2) {
      $0.freshness = Freshness(timeToLive: .seconds(10), jitter: .seconds(5))
    }
  }

  func survivors(_ cache: Cache<Int, Int>) -> Set<Int> { Set((0..<200).filter { cache.contains($0) }) }

  @Test func jitterSpreadsExpiryOverTheWindow() {
    let cache = jittered()
    for key in 0..<200 { cache[key] = key }
    clock.advance(by: .seconds(10) - .nanoseconds(1))
    #expect(survivors(cache).count == 200, "nobody expires before the time to live")
    clock.advance(by: .nanoseconds(1) + .milliseconds(2_500))
    let halfway = survivors(cache).count
    #expect(halfway > 40 && halfway < 160, "about half are left halfway through the window (got \(halfway))")
    clock.advance(by: .milliseconds(2_500))
    #expect(survivors(cache).isEmpty, "everybody expires before the time to live plus the jitter")
  }

  @Test func jitterIsReproducibleFromTheSeed() {
    func run(seed: UInt64) -> Set<Int> {
      let clock = ManualClock()
      let cache = makeCache(Int.self, Int.self, maximumCount: 1_000, policy: .random(seed: seed), clock: clock) {
        $0.freshness = Freshness(timeToLive: .seconds(10), jitter: .seconds(5))
      }
      for key in 0..<200 { cache[key] = key }
      clock.advance(by: .milliseconds(12_500))
      return Set((0..<200).filter { cache.contains($0) })
    }
    #expect(run(seed: 1) == run(seed: 1))
    #expect(run(seed: 1) != run(seed: 2))
  }

  @Test func anExplicitTimeToLiveIsExact() {
    let cache = jittered()
    for key in 0..<50 { cache.setValue(key, forKey: key, timeToLive: .seconds(10)) }
    clock.advance(by: .seconds(10))
    #expect(survivors(cache).isEmpty)
  }

  @Test func jitterAppliesToRefreshAfter() async throws {
    let cache = makeCache(Int.self, Int.self, maximumCount: 1_000, clock: clock) {
      $0.freshness = Freshness(timeToLive: .seconds(100), refreshAfter: .seconds(10), jitter: .seconds(10))
    }
    for key in 0..<100 { cache[key] = key }
    clock.advance(by: .seconds(15))
    let calls = LockedState(0)
    for key in 0..<100 {
      _ = try await cache.loadValue(forKey: key) { key in
        calls.withLock { $0 += 1 }
        return key
      }
    }
    #expect(await eventually { (0..<100).allSatisfy { !cache._isLoading($0) } })
    let refreshed = calls.withLock { $0 }
    #expect(refreshed > 20 && refreshed < 80, "about half are due halfway through the window (got \(refreshed))")
  }

  @Test func negativeJitterIsAConfigurationError() {
    var configuration = Cache<Int, Int>.Configuration(maximumCount: 10)
    configuration.freshness = Freshness(timeToLive: .seconds(1), jitter: .seconds(-1))
    #expect(throws: CacheConfigurationError.self) { try Cache(configuration: configuration) }
    do {
      _ = try Cache(configuration: configuration)
    } catch {
      #expect(error.field == .jitter)
      #expect(error.description.contains("jitter"))
    }
  }
}
