import Cortado
import Foundation
import Testing

@testable import CortadoHybrid

@Suite("HybridCache: reads, writes, invalidation")
struct HybridCacheTests {
  @Test func memoryHitStoreHitAndLoaderFill() async throws {
    let world = World()
    let (a, storeA) = try world.instance()
    let (b, storeB) = try world.instance()
    let loads = Counter()
    let loader: @Sendable (String) async throws -> String = { key in
      loads.increment()
      return "value of \(key)"
    }

    // Miss everywhere: the loader runs and the value reaches the store.
    #expect(try await a.loadValue(forKey: "k", using: loader) == "value of k")
    #expect(loads.value == 1)
    #expect(world.storedValue(a, "k") == "value of k")
    #expect(world.server.entry(forKey: a.storageKey(forKey: "k"))?.timeToLive == .seconds(60))

    // Memory hit: the store is not asked.
    let calls = storeA.callCount
    #expect(try await a.loadValue(forKey: "k", using: loader) == "value of k")
    #expect(storeA.callCount == calls)
    #expect(a.statistics.localHits == 1)

    // Another instance: a store hit, no loader call, then a memory hit.
    #expect(try await b.loadValue(forKey: "k", using: loader) == "value of k")
    #expect(loads.value == 1)
    #expect(b.statistics.remoteHits == 1)
    let callsB = storeB.callCount
    #expect(await b.value(forKey: "k") == "value of k")
    #expect(storeB.callCount == callsB)

    // A plain read never loads.
    #expect(await b.value(forKey: "absent") == nil)
    #expect(loads.value == 1)
  }

  @Test func anotherInstancesWriteInvalidatesMemory() async throws {
    let world = World()
    let (a, storeA) = try world.instance()
    let (b, _) = try world.instance()
    try await a.setValue("v1", forKey: "k")
    await eventually { b.statistics.invalidatedKeys == 1 }
    #expect(await b.value(forKey: "k") == "v1")

    #expect(try await a.setValue("v2", forKey: "k") == .stored)
    await eventually { b.statistics.invalidatedKeys == 2 }
    #expect(await b.value(forKey: "k") == "v2")

    // No echo: A's own writes never invalidate A, which still reads from memory.
    #expect(a.statistics.invalidationEvents == 0)
    let calls = storeA.callCount
    #expect(await a.value(forKey: "k") == "v2")
    #expect(storeA.callCount == calls)

    // A removal reaches B the same way.
    #expect(await a.removeValue(forKey: "k") == .stored)
    await eventually { b.statistics.invalidatedKeys == 3 }
    #expect(await b.value(forKey: "k") == nil)
    #expect(await a.value(forKey: "k") == nil)
  }

  @Test func externalWritesAndExpiryInvalidate() async throws {
    let world = World()
    let (a, _) = try world.instance()
    try await a.setValue("mine", forKey: "k")
    world.server.externalSet(
      a.storageKey(forKey: "k"), bytes: envelopeBytes("theirs", key: "k"), timeToLive: .seconds(30))
    await eventually { a.statistics.invalidatedKeys == 1 }
    #expect(await a.value(forKey: "k") == "theirs")

    // Keys of other namespaces are ignored.
    world.server.externalSet("other:k", bytes: [1, 2, 3], timeToLive: nil)
    await eventually { a.statistics.invalidationEvents == 2 }
    #expect(a.statistics.invalidatedKeys == 1)

    // Expiry on the server invalidates too.
    world.clock.advance(by: .seconds(31))
    world.server.expireDueKeys()
    await eventually { a.statistics.invalidatedKeys == 2 }
  }

  @Test func flushDropsEveryMemoryEntry() async throws {
    let world = World()
    let (a, _) = try world.instance()
    let (b, _) = try world.instance()
    for key in ["x", "y"] {
      try await a.setValue("a-\(key)", forKey: key)
      #expect(await b.value(forKey: key) == "a-\(key)")
    }
    let epochs = (a.invalidationEpoch, b.invalidationEpoch)
    world.server.flush()
    await eventually { a.invalidationEpoch == epochs.0 + 1 && b.invalidationEpoch == epochs.1 + 1 }
    for cache in [a, b] {
      #expect(await cache.value(forKey: "x") == nil)
      #expect(await cache.value(forKey: "y") == nil)
    }
    let loads = Counter()
    #expect(
      try await b.loadValue(forKey: "x") { _ in
        loads.increment()
        return "reloaded"
      } == "reloaded")
    #expect(loads.value == 1)
  }

  @Test func singleFlightStampede() async throws {
    let world = World()
    let (a, _) = try world.instance()
    let gate = Gate()
    let loads = Counter()
    let results = try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<50 {
        group.addTask {
          try await a.loadValue(forKey: "hot") { _ in
            loads.increment()
            await gate.wait()
            return "hot value"
          }
        }
      }
      await eventually { loads.value == 1 }
      for _ in 0..<100 { await Task.yield() }
      await gate.open()
      var results: [String] = []
      for try await result in group { results.append(result) }
      return results
    }
    #expect(results.count == 50 && results.allSatisfy { $0 == "hot value" })
    #expect(loads.value == 1)
    #expect(a.statistics.loaderCalls == 1)
  }

  @Test func perCallOptions() async throws {
    let world = World()
    let (a, _) = try world.instance()
    let (b, _) = try world.instance()
    let loads = Counter()
    let options = HybridCacheOptions(timeToLive: .seconds(60), localTimeToLive: .seconds(1))
    _ = try await a.loadValue(forKey: "k", options: options) { _ in
      loads.increment()
      return "v"
    }
    #expect(world.server.entry(forKey: a.storageKey(forKey: "k"))?.timeToLive == .seconds(60))

    // Past the memory lifetime the store answers, not the loader.
    world.clock.advance(by: .seconds(1))
    #expect(
      try await a.loadValue(forKey: "k", options: options) { _ in
        loads.increment()
        return "new"
      } == "v")
    #expect(loads.value == 1)
    #expect(a.statistics.remoteHits == 1)

    // With fail-safe the store keeps the value through the stale window.
    try await b.setValue(
      "w", forKey: "j",
      options: HybridCacheOptions(
        timeToLive: .seconds(10), failSafe: .init(maximumStaleness: .seconds(30))))
    #expect(world.server.entry(forKey: b.storageKey(forKey: "j"))?.timeToLive == .seconds(40))
    let envelope = try HybridEnvelope.decode(world.server.entry(forKey: b.storageKey(forKey: "j"))!.bytes).get()
    #expect(envelope.freshForMilliseconds == 10_000 && envelope.staleForMilliseconds == 30_000)

    // Invalid options are refused.
    await #expect(throws: HybridCacheConfigurationError.self) {
      try await a.setValue("x", forKey: "k", options: HybridCacheOptions(timeToLive: .zero))
    }
  }

  @Test func freshnessComesFromTheServersRemainingLifetime() async throws {
    let world = World()
    // Memory runs on its own clock: only the server's decides freshness.
    let memoryClock = ManualClock()
    let configuration = world.configuration { $0.setClock(memoryClock) }
    let (writer, _) = try world.instance(configuration)
    let options = HybridCacheOptions(timeToLive: .seconds(10), failSafe: .init(maximumStaleness: .seconds(60)))
    try await writer.setValue("v", forKey: "k", options: options)

    // 65 s of 70 s left, more than the 60 s stale window: fresh.
    world.clock.advance(by: .seconds(5))
    let (reader, readerStore) = try world.instance(configuration)
    #expect(await reader.value(forKey: "k") == "v")
    #expect(reader.statistics.remoteHits == 1)
    // Memory keeps it only for the 5 s of freshness the server had left.
    memoryClock.advance(by: .milliseconds(4_999))
    let calls = readerStore.callCount
    #expect(await reader.value(forKey: "k") == "v")
    #expect(readerStore.callCount == calls)
    memoryClock.advance(by: .milliseconds(1))
    #expect(await reader.value(forKey: "k") == "v")
    #expect(readerStore.callCount == calls + 1)

    // 59 s left: stale. A plain read misses; a load calls the loader.
    world.clock.advance(by: .seconds(6))
    let (late, _) = try world.instance(configuration)
    #expect(await late.value(forKey: "k") == nil)
    #expect(late.statistics.remoteStaleHits == 1)
    #expect(try await late.loadValue(forKey: "k", options: options) { _ in "reloaded" } == "reloaded")

    // The stale value serves as fail-safe fallback when the loader fails.
    world.clock.advance(by: .seconds(11))
    let (failing, _) = try world.instance(configuration)
    #expect(try await failing.loadValue(forKey: "k", options: options) { _ in throw LoaderFailure() } == "reloaded")
    #expect(failing.statistics.failSafeFallbacks == 1)
  }

  /// The store sends no invalidation for an instance's own writes, so a
  /// read that reaches the store before the instance's write does must not
  /// put the older value back in memory: after the write returns, the
  /// instance reads its own write.
  @Test(arguments: [false, true])
  func aReadRacingTheInstancesOwnWriteDoesNotCacheTheOlderValue(removing: Bool) async throws {
    let world = World()
    let store = HeldWritesStore(world.server.makeStore())
    let a = try HybridCache<String>(store: store, configuration: world.configuration())
    world.server.externalSet(a.storageKey(forKey: "k"), bytes: envelopeBytes("old", key: "k"), timeToLive: .seconds(60))
    await eventually { a.statistics.invalidatedKeys == 1 }

    // The write updates memory at once but its store call is held. With a
    // one-nanosecond memory lifetime, the next read misses memory and reads
    // the store, which still has the old value.
    let write = Task {
      if removing {
        _ = await a.removeValue(forKey: "k")
      } else {
        _ = try await a.setValue(
          "new", forKey: "k", options: HybridCacheOptions(timeToLive: .seconds(60), localTimeToLive: .nanoseconds(1)))
      }
    }
    await eventually { store.heldWrites.value == 1 }
    world.clock.advance(by: .nanoseconds(1))
    #expect(await a.value(forKey: "k") == "old")  // concurrent with the write: either answer is fine

    await store.gate.open()
    try await write.value
    #expect(await a.value(forKey: "k") == (removing ? nil : "new"))
  }

  @Test func fillOverlappingAnInvalidationIsNotCached() async throws {
    let world = World()
    let (a, storeA) = try world.instance()
    let gate = Gate()
    let started = Counter()
    let load = Task {
      try await a.loadValue(forKey: "k") { _ in
        started.increment()
        await gate.wait()
        return "loaded"
      }
    }
    await eventually { started.value == 1 }
    world.server.externalSet(
      a.storageKey(forKey: "k"), bytes: envelopeBytes("external", key: "k"), timeToLive: .seconds(60))
    await eventually { a.statistics.invalidatedKeys == 1 }
    await gate.open()
    #expect(try await load.value == "loaded")

    // The loaded value went to the caller but not into memory: the next read asks the store.
    let calls = storeA.callCount
    _ = await a.value(forKey: "k")
    #expect(storeA.callCount == calls + 1)
    #expect(a.statistics.localHits == 0)
  }

  @Test func multiKeyRead() async throws {
    let world = World()
    let (a, _) = try world.instance()
    let (b, storeB) = try world.instance()
    try await a.setValue("1", forKey: "one")
    try await a.setValue("2", forKey: "two")
    #expect(await b.value(forKey: "one") == "1")
    let calls = storeB.callCount
    let values = await b.values(forKeys: ["one", "two", "three", "two"])
    #expect(values == ["one": "1", "two": "2"])
    #expect(storeB.callCount == calls + 1)  // "one" from memory, the rest in one call
    #expect(b.statistics.remoteMisses == 1)
  }

  @Test func longKeysAreHashedAndVerified() async throws {
    let world = World()
    let (a, _) = try world.instance()
    let (b, _) = try world.instance()
    let long = String(repeating: "k", count: 2_000)
    try await a.setValue("long value", forKey: long)
    let storageKey = a.storageKey(forKey: long)
    #expect(storageKey.hasPrefix("test:c1.0:~h:") && storageKey.utf8.count < 64)
    await eventually { b.statistics.invalidatedKeys == 1 }
    #expect(await b.value(forKey: long) == "long value")

    // Another key's value under the same hashed key (a collision) is a miss, and stays.
    let other = String(repeating: "k", count: 1_999) + "z"
    let foreign = envelopeBytes("other value", key: other)
    world.server.externalSet(storageKey, bytes: foreign, timeToLive: .seconds(60))
    await eventually { b.statistics.invalidatedKeys == 2 }
    #expect(await b.value(forKey: long) == nil)
    #expect(b.statistics.rejectedRemoteValues == 1)
    #expect(world.server.entry(forKey: storageKey)?.bytes == foreign)
  }

  @Test func unusableStoredValuesAreMissesAndAreNotDeleted() async throws {
    let world = World()
    let (a, store) = try world.instance()
    let key = a.storageKey(forKey: "k")
    var foreignVersion = envelopeBytes("v", key: "k")
    foreignVersion[2] = 9
    let cases: [(String, [UInt8])] = [
      ("garbage", Array("not an envelope at all".utf8)),
      ("empty", []),
      ("foreign format version", foreignVersion),
      ("another key", envelopeBytes("v", key: "other")),
      ("another codec", envelopeBytes("v", key: "k", codec: 5)),
      ("another schema", envelopeBytes("v", key: "k", schema: 3)),
      (
        "undecodable payload",
        HybridEnvelope(
          codecIdentifier: 1, createdAtMilliseconds: 0, freshForMilliseconds: 60_000, staleForMilliseconds: 0,
          schemaVersion: 0, key: "k", payload: Array("{oops".utf8)
        ).encoded()
      ),
    ]
    for (index, (name, bytes)) in cases.enumerated() {
      world.server.externalSet(key, bytes: bytes, timeToLive: .seconds(60))
      #expect(await a.value(forKey: "k") == nil, "\(name)")
      #expect(a.statistics.rejectedRemoteValues == index + 1, "\(name)")
      #expect(world.server.entry(forKey: key)?.bytes == bytes, "\(name) must not be deleted")
    }
    // Nothing but reads reached the store.
    #expect(a.statistics.remoteWrites == 0)
    #expect(store.callCount == cases.count)
  }

  @Test func oversizedValuesStayInMemory() async throws {
    let world = World()
    let (a, _) = try world.instance(world.configuration { $0.maximumValueBytes = 100 })
    try await a.setValue("small", forKey: "k")
    #expect(world.storedValue(a, "k") == "small")
    let big = String(repeating: "x", count: 200)
    #expect(try await a.setValue(big, forKey: "k") == .localOnly)
    #expect(world.server.entry(forKey: a.storageKey(forKey: "k")) == nil)  // the older value is gone
    #expect(await a.value(forKey: "k") == big)
    #expect(a.statistics.oversizedValues == 1)
  }

  @Test func encodingFailureIsThrown() async throws {
    struct Unencodable: Codable, Sendable {
      init() {}
      init(from decoder: any Decoder) throws {}
      func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(0, .init(codingPath: [], debugDescription: "no"))
      }
    }
    let world = World()
    let cache = try HybridCache<Unencodable>(store: world.server.makeStore(), configuration: world.configuration())
    await #expect {
      try await cache.setValue(Unencodable(), forKey: "k")
    } throws: { error in
      guard case HybridCacheError.encodingFailed(let key, _) = error else { return false }
      return key == "k"
    }
  }

  @Test func shutdownStopsListening() async throws {
    let world = World()
    let (a, _) = try world.instance()
    try await a.setValue("v", forKey: "k")
    await a.shutdown()
    #expect(a.isDegraded)
    #expect(await a.value(forKey: "k") == "v")  // from the store: memory was retired
  }
}

@Suite("HybridCache: lifecycle")
struct LifecycleTests {
  @Test func cacheIsReleasedWhenUnreferenced() async throws {
    let world = World()
    let store = world.server.makeStore()
    weak var weakCache: HybridCache<String>?
    do {
      let cache = try HybridCache<String>(store: store, configuration: world.configuration())
      weakCache = cache
      _ = try await cache.loadValue(forKey: "k") { _ in "v" }
      store.simulateEvent(.all)
      await eventually { cache.statistics.invalidationEvents == 1 }
    }
    #expect(weakCache == nil)
  }

  @Test func startsDegradedUntilTheStoreConnects() async throws {
    let world = World()
    let store = world.server.makeStore()
    store.beginConnecting()
    let cache = try HybridCache<String>(store: store, configuration: world.configuration())
    #expect(cache.isDegraded)
    store.reconnect()
    await eventually { !cache.isDegraded }
  }
}
