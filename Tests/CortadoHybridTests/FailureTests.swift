import Cortado
import Foundation
import Testing

@testable import CortadoHybrid
@testable import CortadoHybridTesting

@Suite("HybridCache: failures")
struct FailureTests {
  @Test func storeErrorIsAMissAndTheLoaderRuns() async throws {
    let world = World()
    let (a, store) = try world.instance()
    try await a.setValue("stored", forKey: "k")
    let (b, storeB) = try world.instance()
    storeB.failNextCalls(1)
    let loads = Counter()
    #expect(
      try await b.loadValue(forKey: "k") { _ in
        loads.increment()
        return "loaded"
      } == "loaded")
    #expect(loads.value == 1)
    #expect(b.statistics.remoteErrors == 1)
    #expect(b.statistics.remoteWrites == 1)  // the fill's write went through
    // A plain read with a failing store is a miss, not an error.
    store.failNextCalls(1)
    await a.shutdown()  // retire A's memory so that it asks the store
    #expect(await a.value(forKey: "k") == nil)
  }

  @Test func slowStoreTimesOutToAMiss() async throws {
    let world = World()
    let (a, store) = try world.instance(world.configuration { $0.remoteTimeout = .milliseconds(20) })
    store.latency = .seconds(60)
    let loads = Counter()
    #expect(
      try await a.loadValue(forKey: "k") { _ in
        loads.increment()
        return "loaded"
      } == "loaded")
    #expect(loads.value == 1)
    #expect(a.statistics.remoteErrors == 2)  // the read and the fill's write
    #expect(try await a.setValue("v", forKey: "j") == .queued)
  }

  @Test func disconnectedStoreFailsFast() async throws {
    let world = World()
    let (a, store) = try world.instance()
    store.latency = .seconds(3_600)  // any call that reached it would hang the test
    store.disconnect()
    let loads = Counter()
    #expect(
      try await a.loadValue(forKey: "k") { _ in
        loads.increment()
        return "loaded"
      } == "loaded")
    #expect(await a.value(forKey: "j") == nil)
    #expect(try await a.setValue("v", forKey: "j") == .queued)
    #expect(await a.removeValue(forKey: "x") == .queued)
    #expect(store.callCount == 0)
    #expect(a.statistics.remoteSkips == 5)
    // The fake itself refuses at once too.
    await #expect(throws: InMemoryRemoteStoreError.notConnected) { try await store.get("k") }
    #expect(store.rejectedCallCount == 1)
  }

  @Test func disconnectRetiresMemoryAndFailSafeServesStaleForABoundedTime() async throws {
    let world = World()
    let options = HybridCacheOptions(
      timeToLive: .seconds(10),
      failSafe: .init(maximumStaleness: .seconds(30), throttle: .seconds(5)))
    let (a, store) = try world.instance(world.configuration(timeToLive: .seconds(10), failSafe: options.failSafe))
    let loads = Counter()
    #expect(
      try await a.loadValue(forKey: "k") { _ in
        loads.increment()
        return "v1"
      } == "v1")

    // Disconnect: the epoch moves, memory is no longer fresh, the store is not asked.
    let epoch = a.invalidationEpoch
    store.disconnect()
    await eventually { a.isDegraded }
    #expect(a.invalidationEpoch == epoch + 1)
    #expect(await a.value(forKey: "k") == nil)

    // The loader fails too: the stale value is served...
    #expect(
      try await a.loadValue(forKey: "k") { _ in
        loads.increment()
        throw LoaderFailure()
      } == "v1")
    #expect(loads.value == 2)
    #expect(a.statistics.failSafeFallbacks == 1)
    // ...and reused for the throttle without calling the loader.
    world.clock.advance(by: .seconds(4))
    #expect(
      try await a.loadValue(forKey: "k") { _ in
        loads.increment()
        throw LoaderFailure()
      } == "v1")
    #expect(loads.value == 2)
    // After the throttle the loader is tried again; still inside the window.
    world.clock.advance(by: .seconds(1))
    #expect(
      try await a.loadValue(forKey: "k") { _ in
        loads.increment()
        throw LoaderFailure()
      } == "v1")
    #expect(loads.value == 3)
    // Past fresh (10 s) + stale (30 s): the error is thrown.
    world.clock.advance(by: .seconds(35))
    await #expect(throws: LoaderFailure.self) {
      try await a.loadValue(forKey: "k") { _ in
        loads.increment()
        throw LoaderFailure()
      }
    }
    #expect(loads.value == 4)
  }

  @Test func withoutFailSafeTheLoaderErrorIsThrown() async throws {
    let world = World()
    let (a, store) = try world.instance()
    _ = try await a.loadValue(forKey: "k") { _ in "v1" }
    store.disconnect()
    await eventually { a.isDegraded }
    await #expect(throws: LoaderFailure.self) {
      try await a.loadValue(forKey: "k") { _ in throw LoaderFailure() }
    }
  }

  @Test func degradedFillsLiveBrieflyAndReconnectRetiresThem() async throws {
    let world = World()
    let (a, store) = try world.instance()
    store.disconnect()
    await eventually { a.isDegraded }
    let loads = Counter()
    let loader: @Sendable (String) async throws -> String = { _ in "v\(loads.increment())" }
    #expect(try await a.loadValue(forKey: "k", using: loader) == "v1")
    world.clock.advance(by: .milliseconds(1_999))
    #expect(try await a.loadValue(forKey: "k", using: loader) == "v1")
    world.clock.advance(by: .milliseconds(1))  // the 2 s degraded lifetime is over
    #expect(try await a.loadValue(forKey: "k", using: loader) == "v2")

    let epoch = a.invalidationEpoch
    store.reconnect()
    await eventually { !a.isDegraded }
    #expect(a.invalidationEpoch == epoch + 1)
    // The degraded value is retired: the next read goes to the store (empty) and the loader.
    #expect(try await a.loadValue(forKey: "k", using: loader) == "v3")
    #expect(world.storedValue(a, "k") == "v3")
    // Normal lifetimes again.
    world.clock.advance(by: .seconds(59))
    #expect(try await a.loadValue(forKey: "k", using: loader) == "v3")
  }

  @Test func nothingAHostileStoreSendsCrashesTheCache() async throws {
    let hostile = HostileStore()
    var configuration = HybridCacheConfiguration(namespace: "h")
    configuration.remoteTimeout = .seconds(5)
    let cache = try HybridCache<String>(store: hostile, configuration: configuration)
    for event in [
      RemoteCacheEvent.keys([]),
      .keys(["", "h", "h:", "h:c1.0:", "h:c1.0:\u{0}", String(repeating: "h:c1.0:", count: 1000)]),
      .all, .reconnected, .disconnected, .reconnected, .all,
    ] {
      hostile.continuation.yield(event)
    }
    await eventually { cache.statistics.invalidationEvents == 7 }
    for round in 0..<50 {
      _ = await cache.value(forKey: "k")
      _ = await cache.values(forKeys: ["a", "b", "c"])
      _ = try await cache.loadValue(forKey: "k\(round)") { _ in "loaded" }
      try await cache.setValue("v", forKey: "k")
    }
    let statistics = cache.statistics
    #expect(statistics.remoteErrors >= 50)  // every multi-get had the wrong length
    #expect(statistics.rejectedRemoteValues > 0)
    #expect(statistics.loaderCalls > 0)
  }
}

/// A store whose every answer is wrong: random bytes, absurd lifetimes,
/// multi-gets of the wrong length.
final class HostileStore: RemoteCacheStore {
  let stream: AsyncStream<RemoteCacheEvent>
  let continuation: AsyncStream<RemoteCacheEvent>.Continuation
  private let generator = LockedState(SeededGenerator(seed: 7))

  init() {
    (stream, continuation) = AsyncStream.makeStream(of: RemoteCacheEvent.self)
  }

  var state: RemoteCacheStoreState { .connected }

  private func randomEntry() -> RemoteCacheEntry? {
    generator.withLock { generator in
      let lifetimes: [Duration?] = [nil, .zero, .milliseconds(-5), .seconds(Int64.max), .nanoseconds(1), .seconds(1)]
      let kind = Int.random(in: 0..<4, using: &generator)
      var bytes: [UInt8]
      switch kind {
      case 0: return nil
      case 1: bytes = envelopeBytes("ok", key: "k", freshFor: .max, staleFor: .max)
      default:
        bytes = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator)
        }
      }
      if kind == 3, bytes.count > 3 {
        bytes[0] = 0xC0
        bytes[1] = 0xDA
        bytes[2] = 1
      }
      return RemoteCacheEntry(bytes: bytes, timeToLive: lifetimes.randomElement(using: &generator)!)
    }
  }

  func get(_ key: String) async throws -> RemoteCacheEntry? { randomEntry() }
  func get(_ keys: [String]) async throws -> [RemoteCacheEntry?] {
    (0..<(keys.count + 1)).map { _ in randomEntry() }
  }
  func set(_ key: String, bytes: [UInt8], timeToLive: Duration) async throws {}
  func setIfNotNewer(_ key: String, bytes: [UInt8], timeToLive: Duration, createdAtMilliseconds: Int64) async throws
    -> Bool
  { true }
  func remove(_ keys: [String]) async throws {}
  func invalidations() -> AsyncStream<RemoteCacheEvent> { stream }
}
