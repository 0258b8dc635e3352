#if Redis
  import Cortado
  import CortadoHybrid
  import NIOCore
  import NIOPosix

  /// The Redis (or Valkey) store for `HybridCache`: a `RemoteCacheStore` over one
  /// ``RedisClient`` connection, with BCAST tracking invalidations and a pub/sub
  /// fallback.
  ///
  /// ```swift
  /// import CortadoHybrid
  /// import CortadoRedis
  ///
  /// let store = try RedisStore(
  ///     configuration: RedisClientConfiguration(host: "redis.internal", port: 6379, password: secret),
  ///     namespace: "myapp:users")
  /// store.start()                        // or `await store.run()` in a service group
  /// let users = try HybridCache<User>(store: store, configuration: .init(namespace: "myapp:users"))
  /// ...
  /// await store.shutdown()
  /// ```
  ///
  /// Give every `HybridCache` instance (every process) its own store: `NOLOOP`,
  /// which keeps an instance's own writes from echoing back, works per connection.
  ///
  /// ## Commands
  ///
  /// | Method | Redis |
  /// |---|---|
  /// | `get(_:)` (one key) | `GET k` + `PTTL k`, pipelined |
  /// | `get(_:)` (several keys) | `MGET k…` + one `PTTL` per key, pipelined (in rounds of at most 256 keys) |
  /// | ``set(_:bytes:timeToLive:)`` | `SET k bytes PX ms` (rounded up) |
  /// | ``setIfNotNewer(_:bytes:timeToLive:createdAtMilliseconds:)`` | one `EVAL` of the compare-and-set script |
  /// | ``setKeepingTimeToLive(_:bytes:otherwise:)`` | one `EVAL`: `PTTL`, then `SET … KEEPTTL` or `SET … PX` |
  /// | ``remove(_:)`` | `UNLINK k…` |
  ///
  /// Every command has the client's deadline (`commandTimeout`). While the store
  /// is not ``state`` `connected`, every call throws ``RedisStoreError/notConnected``
  /// at once.
  ///
  /// ## Invalidations
  ///
  /// The client runs `CLIENT TRACKING ON BCAST PREFIX <namespace>: NOLOOP` on the
  /// connection that carries the commands, in every handshake, before it reports
  /// the connection. The store turns the client's events into
  /// `RemoteCacheEvent`s: tracked keys → `.keys`, `FLUSHDB`/`FLUSHALL` or an
  /// unreadable push → `.all`, a lost connection → `.disconnected`, every
  /// handshake (the first included) → `.reconnected`. It observes the client
  /// synchronously on the client's event loop, so ``state`` and the events never
  /// lag behind the connection and no event is lost between them.
  ///
  /// **Pub/sub fallback.** When the server refuses `CLIENT TRACKING` (an ACL
  /// without `client|tracking`, a server without it) and the client's mode is
  /// `.automatic`, the client subscribes to the fallback channel on the same
  /// connection instead. The store then puts every write in one `MULTI`/`EXEC`
  /// with a `PUBLISH` of the written keys (the compare-and-set publishes from
  /// inside its script, only when it wrote). Pub/sub has no `NOLOOP`, so each
  /// message carries the store's ``instanceID`` and a store ignores its own. In
  /// this mode only writes made through a `RedisStore` are announced: expiry,
  /// eviction, `FLUSHDB` and writes by other clients are not (`HybridCache` still
  /// never keeps a value in memory longer than its remaining freshness in Redis).
  /// All instances sharing a namespace must end up in the same mode.
  public final class RedisStore: RemoteCacheStore {
    /// The client the store sends its commands through. The store does not
    /// own it exclusively: ``start()``, ``run()`` and ``shutdown()`` simply
    /// forward to it.
    public let client: RedisClient

    /// A random 128-bit identifier of this store (32 hex digits), sent in
    /// pub/sub fallback messages so that the store can ignore its own.
    public let instanceID: String

    let instanceBytes: [UInt8]
    /// The pub/sub channel (configured, or the `.automatic` fallback).
    let channel: String?
    let eventBufferLimit: Int
    /// Keys per `MGET` round, so that one round never exceeds the client's
    /// in-flight limit (`MGET` and one `PTTL` per key are separate replies).
    let keysPerRound: Int
    let shared: LockedState<Mirror>

    /// The connection as the store last saw it, and the event subscribers.
    struct Mirror {
      var state: RemoteCacheStoreState = .connecting
      /// The current connection while `state` is `connected`.
      var connection: RedisConnectionInfo?
      var subscribers: [Int: AsyncStream<RemoteCacheEvent>.Continuation] = [:]
      var nextID = 0
      /// The client shut down: no more events.
      var finished = false

      /// The event that sums up the current connection state.
      var stateEvent: RemoteCacheEvent { self.state == .connected ? .reconnected : .disconnected }
    }

    // MARK: Creating a store

    /// Creates a store over `client`, which must be configured to learn about
    /// other clients' writes.
    ///
    /// The client may already be started; the store then picks up its current
    /// connection. Use ``clientConfiguration(_:namespace:)`` to configure a
    /// client for one `HybridCache` namespace, or configure several
    /// non-overlapping tracking prefixes yourself to share one connection
    /// between several caches.
    ///
    /// - Parameters:
    ///   - client: The client. Its invalidation mode must not be `.none`, and
    ///     tracking must use `NOLOOP`.
    ///   - eventBufferLimit: Events buffered per ``invalidations()`` stream
    ///     (at least 16). A consumer that falls further behind loses the oldest
    ///     events and receives `.all` (and the current connection state) instead.
    /// - Throws: ``RedisStoreError/invalidConfiguration(_:)``.
    public init(client: RedisClient, eventBufferLimit: Int = 10_000) throws(RedisStoreError) {
      let invalidation = client.configuration.invalidation
      switch invalidation.mode {
      case .none:
        throw .invalidConfiguration(
          "the client's invalidation mode is .none: a RedisStore needs .automatic, .tracking or .pubSub")
      case .tracking, .automatic:
        guard invalidation.noLoop else {
          throw .invalidConfiguration("tracking without NOLOOP would report the store's own writes")
        }
      case .pubSub:
        break
      }
      guard eventBufferLimit >= 16 else {
        throw .invalidConfiguration("eventBufferLimit must be at least 16 (got \(eventBufferLimit))")
      }
      var generator = SystemRandomNumberGenerator()
      let bytes = (0..<RedisInvalidationMessage.instanceIDSize).map { _ in
        UInt8.random(in: .min ... .max, using: &generator)
      }
      self.client = client
      self.instanceBytes = bytes
      self.instanceID = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
      self.channel = invalidation.channel
      self.eventBufferLimit = eventBufferLimit
      self.keysPerRound = max(1, min(256, client.configuration.maxInFlight / 2 - 1))
      let shared = LockedState(Mirror())
      self.shared = shared
      let channel = invalidation.channel
      client.observe(
        RedisClientObserver(
          event: { event in Self.handle(event, shared: shared, channel: channel, instance: bytes) },
          finished: { Self.finish(shared) }
        ))
    }

    /// Creates a store, and its client, for the `HybridCache` namespace
    /// `namespace`: the client tracks ``trackingPrefix(namespace:)``
    /// (`<namespace>:`) with `NOLOOP`, and falls back to the channel
    /// `<namespace>:__invalidations` when tracking is refused.
    ///
    /// Call ``start()`` (or ``run()``) to connect, and ``shutdown()`` at the end.
    ///
    /// - Parameters:
    ///   - configuration: Where and how to connect; its invalidation settings
    ///     are replaced as described in ``clientConfiguration(_:namespace:)``.
    ///   - namespace: The `HybridCacheConfiguration.namespace` of the cache
    ///     that will use the store.
    ///   - eventLoopGroup: The group whose next loop runs the connection.
    /// - Throws: ``RedisStoreError`` or `RedisClientError.invalidConfiguration`,
    ///   or a NIOSSL error when the TLS configuration cannot be loaded.
    public convenience init(
      configuration: RedisClientConfiguration,
      namespace: String,
      eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
      let client = try RedisClient(
        configuration: try Self.clientConfiguration(configuration, namespace: namespace),
        eventLoopGroup: eventLoopGroup
      )
      try self.init(client: client)
    }

    /// `configuration` with the invalidation settings a store for the
    /// `HybridCache` namespace `namespace` needs.
    ///
    /// The tracking prefix becomes ``trackingPrefix(namespace:)``
    /// (`<namespace>:`), with `NOLOOP`. The mode is kept when it is `.tracking`,
    /// `.pubSub` or `.automatic`, and becomes `.automatic` when it is `.none`
    /// (the default). The pub/sub channel is kept when set, else it becomes
    /// `<namespace>:__invalidations`.
    ///
    /// - Throws: ``RedisStoreError/invalidConfiguration(_:)`` for an empty namespace.
    public static func clientConfiguration(
      _ configuration: RedisClientConfiguration,
      namespace: String
    ) throws(RedisStoreError) -> RedisClientConfiguration {
      guard !namespace.isEmpty else { throw .invalidConfiguration("the namespace must not be empty") }
      let prefix = Self.trackingPrefix(namespace: namespace)
      let current = configuration.invalidation
      var result = configuration
      result.invalidation = RedisInvalidationConfiguration(
        mode: current.mode == .none ? .automatic : current.mode,
        prefixes: [prefix],
        channel: current.channel ?? prefix + "__invalidations",
        noLoop: true
      )
      return result
    }

    /// The prefix a client tracks for the `HybridCache` namespace
    /// `namespace`: the namespace and a colon, so that it covers every key of
    /// the namespace, whatever its format and schema version (the cache's
    /// `HybridCacheConfiguration.namespacePrefix`).
    public static func trackingPrefix(namespace: String) -> String {
      namespace + ":"
    }

    /// The prefixes whose changes ``invalidations()`` reports: the client's
    /// tracking prefixes (one connection may serve several namespaces), or
    /// `[""]` (every key) when it tracks every key.
    ///
    /// In pub/sub mode the store hears only what other stores publish on its
    /// channel; the prefixes are still those the client was configured with
    /// (``clientConfiguration(_:namespace:)`` sets both).
    public var trackedPrefixes: [String]? {
      let prefixes = self.client.configuration.invalidation.prefixes
      return prefixes.isEmpty ? [""] : prefixes
    }

    // MARK: Lifecycle

    /// Starts the client: it connects in the background and reconnects until
    /// shutdown.
    public func start() {
      self.client.start()
    }

    /// Starts the client and runs until the calling task is cancelled, then
    /// shuts it down (the shape of a ServiceLifecycle service).
    public func run() async {
      await self.client.run()
    }

    /// Shuts the client down: calls fail from then on, and every
    /// ``invalidations()`` stream receives `.disconnected` (when it was
    /// connected) and finishes. Idempotent.
    public func shutdown() async {
      await self.client.shutdown()
    }

    /// Waits until the store is connected with invalidations flowing.
    ///
    /// - Returns: The connection (its epoch and the invalidation mode in force).
    /// - Throws: `RedisClientError.connectWaitTimedOut` or `.shutdown`.
    @discardableResult
    public func waitUntilConnected(timeout: Duration) async throws -> RedisConnectionInfo {
      // The client tells its observers (this store) before it completes its
      // waiters, so the store's state is `connected` when this returns,
      // unless the connection was lost again meanwhile.
      try await self.client.waitUntilConnected(timeout: timeout)
    }

    /// How invalidations reach this store on the current connection
    /// (`.tracking` or `.pubSub`), or `nil` while not connected.
    public var activeInvalidation: RedisActiveInvalidation? {
      self.shared.withLock { $0.connection?.invalidation }
    }

    // MARK: RemoteCacheStore

    /// The connection state, read without waiting: `connected` only once the
    /// handshake, including `CLIENT TRACKING` (or the fallback `SUBSCRIBE`), is
    /// done; `connecting` before the first connection; `disconnected` after a
    /// loss (until the reconnect) and after shutdown.
    public var state: RemoteCacheStoreState {
      self.shared.withLock { $0.state }
    }

    /// `GET key` and `PTTL key`, pipelined.
    ///
    /// - Returns: The bytes and the remaining lifetime (`nil` for a key without
    ///   expiry), or `nil` when the key does not exist (also when it expired
    ///   between the two commands).
    /// - Throws: ``RedisStoreError/notConnected`` at once while not connected,
    ///   `RedisClientError` (deadline, lost connection, error reply), or
    ///   ``RedisStoreError/unexpectedReply(_:)`` (for example a key that holds a list).
    public func get(_ key: String) async throws -> RemoteCacheEntry? {
      _ = try self.currentConnection()
      let replies = try await self.client.execute([
        RedisCommand("GET", RedisArgument(key)),
        RedisCommand("PTTL", RedisArgument(key)),
      ])
      guard replies.count == 2 else { throw RedisStoreError.unexpectedReply("GET+PTTL: \(replies.count) replies") }
      return try Self.entry(value: replies[0], ttl: replies[1], command: "GET")
    }

    /// `MGET keys…` and one `PTTL` per key, pipelined: one element per key, in
    /// order, `nil` for a missing key. More than 256 keys are read in several
    /// rounds (each round is consistent in itself).
    ///
    /// - Throws: As `get(_:)` (one key); any failure fails the whole call.
    public func get(_ keys: [String]) async throws -> [RemoteCacheEntry?] {
      guard !keys.isEmpty else { return [] }
      _ = try self.currentConnection()
      var entries: [RemoteCacheEntry?] = []
      entries.reserveCapacity(keys.count)
      var start = 0
      while start < keys.count {
        let round = Array(keys[start..<min(start + self.keysPerRound, keys.count)])
        start += round.count
        var commands = [RedisCommand("MGET", arguments: round.map { RedisArgument($0) })]
        commands += round.map { RedisCommand("PTTL", RedisArgument($0)) }
        let replies = try await self.client.execute(commands)
        guard replies.count == commands.count else {
          throw RedisStoreError.unexpectedReply("MGET+PTTL: \(replies.count) replies for \(commands.count) commands")
        }
        if let message = replies[0].errorMessage { throw RedisClientError.serverError(message) }
        guard let values = replies[0].elements, values.count == round.count else {
          throw RedisStoreError.unexpectedReply("MGET: \(Self.shape(replies[0])) for \(round.count) keys")
        }
        for index in round.indices {
          entries.append(try Self.entry(value: values[index], ttl: replies[index + 1], command: "MGET"))
        }
      }
      return entries
    }

    /// `SET key bytes PX <milliseconds>`, the lifetime rounded up to a whole
    /// millisecond. In pub/sub fallback mode: `MULTI`, the `SET`, `PUBLISH` of
    /// the key, `EXEC`.
    ///
    /// The write is bound to the connection the store saw when the call began:
    /// if the connection changed in between, the call fails instead of running
    /// with the previous connection's invalidation mode.
    public func set(_ key: String, bytes: [UInt8], timeToLive: Duration) async throws {
      let connection = try self.currentConnection()
      let command = RedisClient.setCommand(key, value: bytes, ttlMilliseconds: timeToLive.redisStoreMilliseconds)
      let reply = try await self.write(command, keys: [key], connection: connection)
      try Self.expectOK(reply, "SET")
    }

    /// Stores `bytes` unless the value in Redis is a newer envelope, in one
    /// atomic `EVAL`; returns whether it stored.
    ///
    /// The script reads the stored value; when it is at least 12 bytes long,
    /// starts with the envelope magic `0xC0 0xDA` and its creation time (signed
    /// little-endian, bytes 4–11) is greater than `createdAtMilliseconds`, it
    /// returns 0; otherwise it runs `SET key bytes PX ms` and returns 1. A key
    /// of another type counts as "not an envelope" and is overwritten. In
    /// pub/sub fallback mode the script also publishes the key, only when it
    /// wrote.
    ///
    /// Redis 7.0 reports a write made by a script to every tracking client,
    /// `NOLOOP` notwithstanding, so the writing instance also drops the key
    /// from its own memory (one extra miss; replays are rare).
    public func setIfNotNewer(
      _ key: String,
      bytes: [UInt8],
      timeToLive: Duration,
      createdAtMilliseconds: Int64
    ) async throws -> Bool {
      let connection = try self.currentConnection()
      var arguments: [RedisArgument] = [
        "EVAL", RedisArgument(RedisStoreScript.setIfNotNewer), "1", RedisArgument(key),
        RedisArgument(bytes: bytes), RedisArgument(timeToLive.redisStoreMilliseconds),
        RedisArgument(createdAtMilliseconds),
      ]
      if case .pubSub(let channel) = connection.invalidation {
        arguments += [RedisArgument(channel), RedisArgument(bytes: self.message(keys: [key]))]
      }
      let reply = try await self.client.execute([RedisCommand(arguments)], epoch: connection.epoch)[0]
      if let message = reply.errorMessage { throw RedisClientError.serverError(message) }
      switch reply.withoutAttributes {
      case .integer(1): return true
      case .integer(0): return false
      default: throw RedisStoreError.unexpectedReply("EVAL: \(Self.shape(reply))")
      }
    }

    /// Stores `bytes`, keeping the key's remaining lifetime if it has one
    /// (`SET … KEEPTTL`), otherwise with `timeToLive` (`PX`), in one atomic
    /// `EVAL`; returns the key's lifetime afterwards. A key without expiry
    /// gets `timeToLive`: the store never leaves a key without one. In
    /// pub/sub fallback mode the script also publishes the key.
    ///
    /// Like every script write, Redis 7.0 reports it to every tracking
    /// client, the writer included (its memory drops the key: one extra miss).
    public func setKeepingTimeToLive(_ key: String, bytes: [UInt8], otherwise timeToLive: Duration) async throws
      -> Duration
    {
      let connection = try self.currentConnection()
      var arguments: [RedisArgument] = [
        "EVAL", RedisArgument(RedisStoreScript.setKeepingTimeToLive), "1", RedisArgument(key),
        RedisArgument(bytes: bytes), RedisArgument(timeToLive.redisStoreMilliseconds),
      ]
      if case .pubSub(let channel) = connection.invalidation {
        arguments += [RedisArgument(channel), RedisArgument(bytes: self.message(keys: [key]))]
      }
      let reply = try await self.client.execute([RedisCommand(arguments)], epoch: connection.epoch)[0]
      if let message = reply.errorMessage { throw RedisClientError.serverError(message) }
      guard case .integer(let milliseconds) = reply.withoutAttributes, milliseconds > 0 else {
        throw RedisStoreError.unexpectedReply("EVAL: \(Self.shape(reply))")
      }
      return .milliseconds(milliseconds)
    }

    /// `UNLINK keys…` (absent keys are ignored). In pub/sub fallback mode:
    /// `MULTI`, the `UNLINK`, `PUBLISH` of the keys, `EXEC`.
    public func remove(_ keys: [String]) async throws {
      guard !keys.isEmpty else { return }
      let connection = try self.currentConnection()
      let command = RedisCommand("UNLINK", arguments: keys.map { RedisArgument($0) })
      let reply = try await self.write(command, keys: keys, connection: connection)
      if let message = reply.errorMessage { throw RedisClientError.serverError(message) }
      guard case .integer = reply.withoutAttributes else {
        throw RedisStoreError.unexpectedReply("UNLINK: \(Self.shape(reply))")
      }
    }

    /// A new stream of the store's events, from the moment of the call:
    /// `.keys` (tracked keys changed by another client, or a fallback message
    /// of another instance), `.all` (flush, an unreadable invalidation or
    /// message, events this stream had to drop), `.disconnected`, and
    /// `.reconnected` after every handshake with invalidations on (also the
    /// first one, when it happens after this call). Finishes at shutdown.
    ///
    /// The buffer is bounded (`eventBufferLimit`): a consumer that falls behind
    /// loses the oldest events, and `.all` (or, when a connection event was
    /// lost, the event of the current connection state) follows.
    public func invalidations() -> AsyncStream<RemoteCacheEvent> {
      let (stream, continuation) = AsyncStream.makeStream(
        of: RemoteCacheEvent.self,
        bufferingPolicy: .bufferingNewest(self.eventBufferLimit)
      )
      let id: Int? = self.shared.withLock { mirror in
        guard !mirror.finished else { return nil }
        mirror.nextID += 1
        mirror.subscribers[mirror.nextID] = continuation
        return mirror.nextID
      }
      guard let id else {
        continuation.finish()
        return stream
      }
      let shared = self.shared
      continuation.onTermination = { _ in
        shared.withLock { _ = $0.subscribers.removeValue(forKey: id) }
      }
      return stream
    }

    // MARK: Internals

    /// The current connection, or ``RedisStoreError/notConnected``.
    func currentConnection() throws(RedisStoreError) -> RedisConnectionInfo {
      guard let connection = self.shared.withLock({ $0.state == .connected ? $0.connection : nil }) else {
        throw .notConnected
      }
      return connection
    }

    /// Runs a write on `connection`; in pub/sub mode in one transaction with
    /// the `PUBLISH` of `keys`. Returns the write's own reply.
    func write(_ command: RedisCommand, keys: [String], connection: RedisConnectionInfo) async throws -> RESPValue {
      if case .pubSub(let channel) = connection.invalidation {
        let publish = RedisCommand("PUBLISH", RedisArgument(channel), RedisArgument(bytes: self.message(keys: keys)))
        let results = try await self.client.transaction([command, publish], timeout: nil, epoch: connection.epoch)
        guard results.count == 2 else {
          throw RedisStoreError.unexpectedReply("EXEC: \(results.count) results for 2 commands")
        }
        return results[0]
      }
      return try await self.client.execute([command], epoch: connection.epoch)[0]
    }

    func message(keys: [String]) -> [UInt8] {
      RedisInvalidationMessage.keys(instance: self.instanceBytes, keys: keys).encoded()
    }

    static func entry(value: RESPValue, ttl: RESPValue, command: String) throws -> RemoteCacheEntry? {
      if let message = value.errorMessage { throw RedisClientError.serverError(message) }
      if let message = ttl.errorMessage { throw RedisClientError.serverError(message) }
      let bytes: [UInt8]
      switch value.withoutAttributes {
      case .null, .bulkString(nil):
        return nil
      case .bulkString(.some(let buffer)):
        bytes = Array(buffer.readableBytesView)
      default:
        throw RedisStoreError.unexpectedReply("\(command): \(Self.shape(value))")
      }
      guard case .integer(let milliseconds) = ttl.withoutAttributes else {
        throw RedisStoreError.unexpectedReply("PTTL: \(Self.shape(ttl))")
      }
      switch milliseconds {
      case -2: return nil  // expired (or removed) between the two commands
      case -1: return RemoteCacheEntry(bytes: bytes, timeToLive: nil)
      case 0...: return RemoteCacheEntry(bytes: bytes, timeToLive: .milliseconds(milliseconds))
      default: throw RedisStoreError.unexpectedReply("PTTL: \(milliseconds)")
      }
    }

    static func expectOK(_ reply: RESPValue, _ command: String) throws {
      if let message = reply.errorMessage { throw RedisClientError.serverError(message) }
      guard case .simpleString("OK") = reply.withoutAttributes else {
        throw RedisStoreError.unexpectedReply("\(command): \(Self.shape(reply))")
      }
    }

    /// The kind of a reply, without its content (which may be a cached value).
    static func shape(_ value: RESPValue) -> String {
      switch value.withoutAttributes {
      case .simpleString: return "a simple string"
      case .simpleError, .bulkError: return "an error"
      case .integer(let integer): return "the integer \(integer)"
      case .bulkString(nil), .array(nil), .null: return "null"
      case .bulkString(.some(let buffer)): return "a bulk string of \(buffer.readableBytes) bytes"
      case .array(.some(let values)): return "an array of \(values.count)"
      case .boolean: return "a boolean"
      case .double: return "a double"
      case .bigNumber: return "a big number"
      case .verbatimString: return "a verbatim string"
      case .map(let entries): return "a map of \(entries.count)"
      case .set(let values): return "a set of \(values.count)"
      case .push(let values): return "a push of \(values.count)"
      case .attribute: return "an attribute"
      }
    }

    // MARK: Events (on the client's event loop)

    /// Turns one client event into store events. Runs on the client's loop,
    /// synchronously with the client's own state changes.
    static func handle(_ event: RedisClientEvent, shared: LockedState<Mirror>, channel: String?, instance: [UInt8]) {
      let mapped: RemoteCacheEvent
      switch event {
      case .connected(let info):
        shared.withLock { mirror in
          mirror.state = .connected
          mirror.connection = info
          Self.broadcast(.reconnected, &mirror)
        }
        return
      case .disconnected:
        shared.withLock { mirror in
          mirror.state = .disconnected
          mirror.connection = nil
          Self.broadcast(.disconnected, &mirror)
        }
        return
      case .keys(let keys):
        mapped = .keys(keys)
      case .flushAll, .eventsDropped:
        mapped = .all
      case .message(let messageChannel, let payload):
        guard let channel, messageChannel == channel else { return }
        switch RedisInvalidationMessage.decode(payload) {
        case nil:
          mapped = .all  // unreadable: be conservative
        case .some(let message) where message.instance == instance:
          return  // our own write (pub/sub has no NOLOOP)
        case .keys(_, let keys)?:
          guard !keys.isEmpty else { return }
          mapped = .keys(keys)
        case .all?:
          mapped = .all
        }
      }
      shared.withLock { Self.broadcast(mapped, &$0) }
    }

    /// The client shut down: finish every stream (outside the lock, because a
    /// stream's termination handler takes it).
    static func finish(_ shared: LockedState<Mirror>) {
      let continuations = shared.withLock { mirror -> [AsyncStream<RemoteCacheEvent>.Continuation] in
        mirror.state = .disconnected
        mirror.connection = nil
        mirror.finished = true
        defer { mirror.subscribers.removeAll() }
        return Array(mirror.subscribers.values)
      }
      for continuation in continuations { continuation.finish() }
    }

    /// Yields `event` to every subscriber. Called with the lock held, so every
    /// subscriber sees the events in connection order.
    ///
    /// A full buffer drops its oldest event. The stream must then still say
    /// that something was lost: after a dropped `.keys`/`.all`, an `.all` is
    /// added (unless the event just added is itself `.all` or a connection
    /// event, which bumps the cache's epoch too); after a dropped connection
    /// event, the event of the current state is added (unless the event just
    /// added is a connection event, which is newer).
    static func broadcast(_ event: RemoteCacheEvent, _ mirror: inout Mirror) {
      for (id, continuation) in mirror.subscribers {
        var next: RemoteCacheEvent? = event
        while let current = next {
          next = nil
          switch continuation.yield(current) {
          case .enqueued:
            break
          case .dropped(let lost):
            if lost.isConnectionEvent && !current.isConnectionEvent {
              next = mirror.stateEvent
            } else if !current.isConnectionEvent && current != .all {
              next = .all
            }
          case .terminated:
            mirror.subscribers[id] = nil
          @unknown default:
            break
          }
        }
      }
    }
  }

  extension RemoteCacheEvent {
    /// `.disconnected` or `.reconnected`: both also retire every value in memory.
    var isConnectionEvent: Bool {
      switch self {
      case .disconnected, .reconnected: return true
      case .keys, .all: return false
      }
    }
  }
#endif
