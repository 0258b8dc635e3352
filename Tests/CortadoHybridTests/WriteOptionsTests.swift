import Cortado
import Foundation
import Testing

@testable import CortadoHybrid
@testable import CortadoHybridTesting

/// `HybridCacheOptions.jitter` and `.keepsRemainingLifetime`.
@Suite("HybridCache: jitter and keep-remaining writes")
struct WriteOptionsTests {
  @Test func jitterSpreadsTheStoresLifetimes() async throws {
    let world = World()
    let (cache, _) = try world.instance()
    let options = HybridCacheOptions(timeToLive: .seconds(10), jitter: .seconds(5))
    var lifetimes: [Duration] = []
    for index in 0..<50 {
      try await cache.setValue("v", forKey: "k\(index)", options: options)
      lifetimes.append(try #require(world.server.entry(forKey: cache.storageKey(forKey: "k\(index)"))?.timeToLive))
    }
    #expect(lifetimes.allSatisfy { $0 >= .seconds(10) && $0 <= .seconds(15) })
    #expect(Set(lifetimes).count > 25, "the lifetimes are spread, not equal")
    #expect(lifetimes.contains { $0 < .milliseconds(12_500) } && lifetimes.contains { $0 > .milliseconds(12_500) })
    // Memory keeps the plain lifetime: jitter is for the store.
    world.clock.advance(by: .seconds(10))
    #expect(cache.statistics.localHits == 0)
  }

  @Test func negativeJitterIsRejected() async throws {
    let world = World()
    let (cache, _) = try world.instance()
    await #expect(throws: HybridCacheConfigurationError.self) {
      try await cache.setValue(
        "v", forKey: "k", options: HybridCacheOptions(timeToLive: .seconds(1), jitter: .seconds(-1)))
    }
  }

  @Test func aWriteKeepsTheRemainingLifetimeOfALiveKey() async throws {
    let world = World()
    let (cache, _) = try world.instance()
    let (other, _) = try world.instance()
    try await cache.setValue("old", forKey: "k", options: HybridCacheOptions(timeToLive: .seconds(60)))
    world.clock.advance(by: .seconds(40))
    let keep = HybridCacheOptions(timeToLive: .seconds(600), keepsRemainingLifetime: true)
    #expect(try await cache.setValue("new", forKey: "k", options: keep) == .stored)
    let entry = try #require(world.server.entry(forKey: cache.storageKey(forKey: "k")))
    #expect(entry.timeToLive == .seconds(20), "the store kept what was left")
    #expect(world.storedValue(cache, "k") == "new")
    #expect(await other.value(forKey: "k") == "new")
    #expect(await cache.value(forKey: "k") == "new")
    world.clock.advance(by: .seconds(20))
    #expect(await cache.value(forKey: "k") == nil, "memory does not outlive the kept lifetime")
    #expect(await other.value(forKey: "k") == nil)
  }

  @Test func aNewKeyGetsTheFallbackLifetime() async throws {
    let world = World()
    let (cache, _) = try world.instance()
    let keep = HybridCacheOptions(timeToLive: .seconds(30), keepsRemainingLifetime: true)
    try await cache.setValue("v", forKey: "k", options: keep)
    #expect(world.server.entry(forKey: cache.storageKey(forKey: "k"))?.timeToLive == .seconds(30))
  }

  @Test func aKeyWithoutExpiryGetsOne() async throws {
    let world = World()
    let (cache, _) = try world.instance()
    let storageKey = cache.storageKey(forKey: "k")
    world.server.externalSet(storageKey, bytes: envelopeBytes("external", key: "k"), timeToLive: nil)
    let keep = HybridCacheOptions(timeToLive: .seconds(30), keepsRemainingLifetime: true)
    try await cache.setValue("v", forKey: "k", options: keep)
    #expect(world.server.entry(forKey: storageKey)?.timeToLive == .seconds(30), "never a key without expiry")
  }

  @Test func aStoreThatCannotKeepLifetimesSaysSo() async throws {
    let world = World()
    // A store written before `setKeepingTimeToLive` existed (it relies on the
    // protocol's default implementation).
    let store = NarrowStore(base: world.server.makeStore(), prefixes: nil)
    let cache = try HybridCache<String>(store: store, configuration: world.configuration())
    try await cache.setValue("old", forKey: "k")
    let keep = HybridCacheOptions(timeToLive: .seconds(30), keepsRemainingLifetime: true)
    await #expect(throws: HybridCacheError.self) { try await cache.setValue("new", forKey: "k", options: keep) }
    #expect(world.storedValue(cache, "k") == "old", "nothing was written")
    #expect(await cache.value(forKey: "k") == "old", "memory dropped the key; the store still answers")
  }
}
