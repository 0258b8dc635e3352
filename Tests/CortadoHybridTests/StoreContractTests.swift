import CortadoHybrid
import CortadoHybridTesting
import Testing

/// The store contract against the in-memory store; `CortadoRedisTests` runs
/// the same checks against `RedisStore` on a real `redis-server`.
@Suite("RemoteCacheStore contract: the in-memory store")
struct StoreContractTests {
  @Test func theInMemoryStoreKeepsTheContract() async throws {
    let server = InMemoryRemoteServer()
    let subject = RemoteCacheStoreContract.Subject(
      writer: server.makeStore(), observer: server.makeStore(), keyPrefix: "contract:")
    try await RemoteCacheStoreContract.check(subject)
  }

  /// The checks can fail: a store that reports its own writes back is caught.
  @Test func aStoreThatEchoesItsOwnWritesIsCaught() async throws {
    let server = InMemoryRemoteServer()
    let writer = server.makeStore()
    let echoing = EchoingStore(base: writer)
    let subject = RemoteCacheStoreContract.Subject(
      writer: echoing, observer: server.makeStore(), keyPrefix: "contract:")
    let error = await #expect(throws: RemoteCacheStoreContractViolation.self) {
      try await RemoteCacheStoreContract.check(subject)
    }
    #expect(error?.requirement == "invalidations")
  }

  /// A store that "keeps" the lifetime by replacing it is caught; one that
  /// declines (the protocol's default) keeps the contract.
  @Test func aStoreThatReplacesTheLifetimeIsCaught() async throws {
    let server = InMemoryRemoteServer()
    let subject = RemoteCacheStoreContract.Subject(
      writer: ReplacingStore(base: server.makeStore()), observer: server.makeStore(), keyPrefix: "contract:")
    let error = await #expect(throws: RemoteCacheStoreContractViolation.self) {
      try await RemoteCacheStoreContract.check(subject)
    }
    #expect(error?.requirement == "setKeepingTimeToLive")
    let declining = RemoteCacheStoreContract.Subject(
      writer: NarrowStore(base: server.makeStore(), prefixes: nil), observer: server.makeStore(), keyPrefix: "contract:"
    )
    try await RemoteCacheStoreContract.check(declining)
  }

  @Test func aStoreThatDoesNotCoverThePrefixIsCaught() async throws {
    let server = InMemoryRemoteServer()
    let narrow = NarrowStore(base: server.makeStore())
    let subject = RemoteCacheStoreContract.Subject(writer: narrow, observer: server.makeStore(), keyPrefix: "contract:")
    let error = await #expect(throws: RemoteCacheStoreContractViolation.self) {
      try await RemoteCacheStoreContract.check(subject)
    }
    #expect(error?.requirement == "trackedPrefixes")
  }

  /// The namespace contract: a cache refuses a store that does not report
  /// invalidations for its keys, and names both sides.
  @Test func aCacheRefusesAStoreThatDoesNotCoverItsNamespace() throws {
    let store = NarrowStore(base: InMemoryRemoteServer().makeStore())
    let error = #expect(throws: HybridCacheConfigurationError.self) {
      _ = try HybridCache<String>(store: store, configuration: HybridCacheConfiguration(namespace: "users"))
    }
    #expect(error?.field == "namespace")
    #expect(error?.message.contains("\"other:\"") == true)
    #expect(error?.message.contains("\"users:\"") == true)
    // Covered: the exact prefix, a shorter one, or a store that cannot say.
    for prefixes in [["users:"], ["us"], ["other:", ""]] as [[String]] {
      let covered = NarrowStore(base: InMemoryRemoteServer().makeStore(), prefixes: prefixes)
      _ = try HybridCache<String>(store: covered, configuration: HybridCacheConfiguration(namespace: "users"))
    }
    _ = try HybridCache<String>(
      store: NarrowStore(base: InMemoryRemoteServer().makeStore(), prefixes: nil),
      configuration: HybridCacheConfiguration(namespace: "users"))
    // "users:" does not cover "users2:".
    let sibling = NarrowStore(base: InMemoryRemoteServer().makeStore(), prefixes: ["users:"])
    #expect(throws: HybridCacheConfigurationError.self) {
      _ = try HybridCache<String>(store: sibling, configuration: HybridCacheConfiguration(namespace: "users2"))
    }
  }
}

/// Forwards everything to `base`, and reports `prefixes` as tracked.
struct NarrowStore: RemoteCacheStore {
  let base: InMemoryRemoteStore
  var prefixes: [String]? = ["other:"]

  var state: RemoteCacheStoreState { base.state }
  var trackedPrefixes: [String]? { prefixes }
  func get(_ key: String) async throws -> RemoteCacheEntry? { try await base.get(key) }
  func get(_ keys: [String]) async throws -> [RemoteCacheEntry?] { try await base.get(keys) }
  func set(_ key: String, bytes: [UInt8], timeToLive: Duration) async throws {
    try await base.set(key, bytes: bytes, timeToLive: timeToLive)
  }
  func setIfNotNewer(_ key: String, bytes: [UInt8], timeToLive: Duration, createdAtMilliseconds: Int64) async throws
    -> Bool
  {
    try await base.setIfNotNewer(
      key, bytes: bytes, timeToLive: timeToLive, createdAtMilliseconds: createdAtMilliseconds)
  }
  func remove(_ keys: [String]) async throws { try await base.remove(keys) }
  func invalidations() -> AsyncStream<RemoteCacheEvent> { base.invalidations() }
}

/// A broken store: it tells its own subscribers of its own writes.
struct EchoingStore: RemoteCacheStore {
  let base: InMemoryRemoteStore

  var state: RemoteCacheStoreState { base.state }
  var trackedPrefixes: [String]? { base.trackedPrefixes }
  func get(_ key: String) async throws -> RemoteCacheEntry? { try await base.get(key) }
  func get(_ keys: [String]) async throws -> [RemoteCacheEntry?] { try await base.get(keys) }
  func set(_ key: String, bytes: [UInt8], timeToLive: Duration) async throws {
    try await base.set(key, bytes: bytes, timeToLive: timeToLive)
    base.simulateEvent(.keys([key]))
  }
  func setIfNotNewer(_ key: String, bytes: [UInt8], timeToLive: Duration, createdAtMilliseconds: Int64) async throws
    -> Bool
  {
    try await base.setIfNotNewer(
      key, bytes: bytes, timeToLive: timeToLive, createdAtMilliseconds: createdAtMilliseconds)
  }
  func remove(_ keys: [String]) async throws { try await base.remove(keys) }
  func invalidations() -> AsyncStream<RemoteCacheEvent> { base.invalidations() }
}

/// Implements `setKeepingTimeToLive` wrongly: a plain write with the fallback.
struct ReplacingStore: RemoteCacheStore {
  let base: InMemoryRemoteStore
  var state: RemoteCacheStoreState { base.state }
  func get(_ key: String) async throws -> RemoteCacheEntry? { try await base.get(key) }
  func get(_ keys: [String]) async throws -> [RemoteCacheEntry?] { try await base.get(keys) }
  func set(_ key: String, bytes: [UInt8], timeToLive: Duration) async throws {
    try await base.set(key, bytes: bytes, timeToLive: timeToLive)
  }
  func setIfNotNewer(_ key: String, bytes: [UInt8], timeToLive: Duration, createdAtMilliseconds: Int64) async throws
    -> Bool
  {
    try await base.setIfNotNewer(
      key, bytes: bytes, timeToLive: timeToLive, createdAtMilliseconds: createdAtMilliseconds)
  }
  func setKeepingTimeToLive(_ key: String, bytes: [UInt8], otherwise timeToLive: Duration) async throws -> Duration {
    try await base.set(key, bytes: bytes, timeToLive: timeToLive)
    return timeToLive
  }
  func remove(_ keys: [String]) async throws { try await base.remove(keys) }
  func invalidations() -> AsyncStream<RemoteCacheEvent> { base.invalidations() }
}
