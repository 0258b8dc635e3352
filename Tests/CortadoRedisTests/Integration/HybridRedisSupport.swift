#if Redis
  import CortadoHybrid
  import CortadoRedis
  import Foundation
  import Testing

  /// The value the `HybridCache` tests store: the key it belongs to (so a reply
  /// matched to the wrong request shows) and a version.
  struct Stamp: Codable, Sendable, Hashable {
    var key: String
    var version: Int
  }

  /// A value behind a lock, shared with tasks.
  final class Guarded<State>: @unchecked Sendable {
    private let lock = NSLock()
    private var state: State

    init(_ state: State) { self.state = state }

    func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
      self.lock.lock()
      defer { self.lock.unlock() }
      return try body(&self.state)
    }
  }

  /// A store wrapper that knows which invalidations its `HybridCache` has
  /// **finished handling**.
  ///
  /// The cache consumes its events with `for await event in events { handle(event) }`:
  /// it asks for event n + 1 only once `handle(n)` has returned. The stream handed
  /// to the cache here is pull-based (`AsyncStream(unfolding:)`), so the moment the
  /// cache asks for the next event, the previous one has been handled, and is
  /// counted. Everything else is forwarded to the `RedisStore` unchanged.
  final class ObservedStore: RemoteCacheStore {
    struct Handled: Sendable {
      /// Handled `.keys` events naming each (full) key.
      var keys: [String: Int] = [:]
      var all = 0
      var disconnected = 0
      var reconnected = 0
      /// Delivered to the cache, not yet known to be handled.
      var pending: RemoteCacheEvent?

      mutating func finishPending() {
        guard let event = self.pending else { return }
        self.pending = nil
        switch event {
        case .keys(let keys): for key in keys { self.keys[key, default: 0] += 1 }
        case .all: self.all += 1
        case .disconnected: self.disconnected += 1
        case .reconnected: self.reconnected += 1
        }
      }
    }

    let base: RedisStore
    let handled = Guarded(Handled())

    init(_ base: RedisStore) { self.base = base }

    var state: RemoteCacheStoreState { self.base.state }
    var trackedPrefixes: [String]? { self.base.trackedPrefixes }
    func get(_ key: String) async throws -> RemoteCacheEntry? { try await self.base.get(key) }
    func get(_ keys: [String]) async throws -> [RemoteCacheEntry?] { try await self.base.get(keys) }
    func set(_ key: String, bytes: [UInt8], timeToLive: Duration) async throws {
      try await self.base.set(key, bytes: bytes, timeToLive: timeToLive)
    }
    func setIfNotNewer(_ key: String, bytes: [UInt8], timeToLive: Duration, createdAtMilliseconds: Int64) async throws
      -> Bool
    {
      try await self.base.setIfNotNewer(
        key, bytes: bytes, timeToLive: timeToLive, createdAtMilliseconds: createdAtMilliseconds)
    }
    func remove(_ keys: [String]) async throws { try await self.base.remove(keys) }

    func invalidations() -> AsyncStream<RemoteCacheEvent> {
      let source = EventSource(self.base.invalidations())
      let handled = self.handled
      return AsyncStream(unfolding: {
        handled.withLock { $0.finishPending() }
        let event = await source.next()
        handled.withLock { $0.pending = event }
        return event
      })
    }

    /// Handled invalidations naming the full store key `key`.
    func handledCount(_ key: String) -> Int { self.handled.withLock { $0.keys[key, default: 0] } }
    var handledAll: Int { self.handled.withLock { $0.all } }
    var handledDisconnects: Int { self.handled.withLock { $0.disconnected } }
    var handledReconnects: Int { self.handled.withLock { $0.reconnected } }
  }

  /// Owns the iterator of a store's event stream for `ObservedStore`.
  actor EventSource {
    private let iterator: AsyncStream<RemoteCacheEvent>.Iterator

    init(_ stream: AsyncStream<RemoteCacheEvent>) { self.iterator = stream.makeAsyncIterator() }

    func next() async -> RemoteCacheEvent? {
      // The iterator is a handle on the stream's storage; only one task (the
      // cache's consumer) ever calls this.
      var iterator = self.iterator
      return await iterator.next(isolation: self)
    }
  }

  /// One simulated machine: its own `RedisClient` (one connection), `RedisStore`
  /// and `HybridCache`.
  struct HybridInstance: Sendable {
    let name: String
    let store: RedisStore
    let observed: ObservedStore
    let cache: HybridCache<Stamp>

    func storageKey(_ key: String) -> String { self.cache.storageKey(forKey: key) }
    /// Handled invalidations of the user key `key`.
    func handled(_ key: String) -> Int { self.observed.handledCount(self.storageKey(key)) }
    var statistics: HybridCacheStatistics { self.cache.statistics }
  }

  /// Makes an instance on `server` whose client the registry shuts down at the end.
  /// With `connect`, waits until the cache has handled the first `.reconnected`.
  func makeInstance(
    _ name: String,
    server: RedisTestServer,
    clients: ClientRegistry,
    namespace: String = "hy",
    connect: Bool = true,
    configure: (inout RedisClientConfiguration) throws -> Void = { _ in },
    cache configureCache: (inout HybridCacheConfiguration) -> Void = { _ in }
  ) async throws -> HybridInstance {
    var configuration = server.configuration()
    configuration.clientName = name
    try configure(&configuration)
    let client = try await clients.make(
      try RedisStore.clientConfiguration(configuration, namespace: namespace), start: false)
    let store = try RedisStore(client: client)
    let observed = ObservedStore(store)
    var cacheConfiguration = HybridCacheConfiguration(namespace: namespace)
    cacheConfiguration.defaultOptions = HybridCacheOptions(timeToLive: .seconds(600))
    configureCache(&cacheConfiguration)
    let cache = try HybridCache<Stamp>(store: observed, configuration: cacheConfiguration)
    let instance = HybridInstance(name: name, store: store, observed: observed, cache: cache)
    store.start()
    if connect {
      try await store.waitUntilConnected(timeout: .seconds(10))
      let ready = await eventually { observed.handledReconnects >= 1 && !cache.isDegraded }
      guard ready else {
        throw HarnessError("\(name): the cache did not handle .reconnected")
      }
    }
    return instance
  }

  /// Polls `condition` every 5 ms until it holds or `timeout` passes; returns whether it held.
  func eventually(_ timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    var patience = Patience(timeout)
    while !patience.isExhausted {
      if try await condition() { return true }
      try? await Task.sleep(for: .milliseconds(5))
    }
    return try await condition()
  }

  struct LoaderDown: Error {}

  /// Milliseconds with two decimals, for latency reports.
  func milliseconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    return String(format: "%.2f ms", Double(seconds) * 1e3 + Double(attoseconds) / 1e15)
  }
#endif
