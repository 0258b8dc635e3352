import Cortado
import CortadoHybrid

/// A fake shared server for ``InMemoryRemoteStore`` connections (a test
/// double, in its own product so that no production binary carries it): the data,
/// with lifetimes, and the invalidations it sends.
///
/// It behaves like Redis with BCAST tracking and `NOLOOP`: a write or
/// removal through one connection invalidates the key on every *other*
/// connected connection; expiry, ``flush()`` and the `external` writes below
/// notify every connected connection. A disconnected connection receives
/// nothing: its invalidations are lost, as with a real server.
///
/// ```swift
/// let clock = ManualClock()
/// let server = InMemoryRemoteServer(clock: clock)
/// let a = try HybridCache<User>(store: server.makeStore(), configuration: .init(namespace: "users"))
/// let b = try HybridCache<User>(store: server.makeStore(), configuration: .init(namespace: "users"))
/// ```
public final class InMemoryRemoteServer: Sendable {
  struct Item: Sendable {
    var bytes: [UInt8]
    /// The server clock's reading (nanoseconds) at which the key expires.
    var expiresAt: Int64?
  }

  struct Connection: Sendable {
    var state: RemoteCacheStoreState = .connected
    var failuresLeft = 0
    var latency: Duration = .zero
    var callCount = 0
    var rejectedCallCount = 0
    var subscribers: [UInt64: AsyncStream<RemoteCacheEvent>.Continuation] = [:]
  }

  struct State: Sendable {
    var items: [String: Item] = [:]
    var connections: [UInt64: Connection] = [:]
    var nextID: UInt64 = 0
  }

  let state = LockedState(State())
  let clock: CacheClock

  /// Creates an empty server whose lifetimes are measured by `clock` (for
  /// example a `ManualClock`).
  public init(clock: some Clock<Duration>) {
    self.clock = CacheClock(clock)
  }

  /// Creates an empty server on `ContinuousClock`.
  public convenience init() {
    self.init(clock: ContinuousClock())
  }

  /// A new connection to this server (one per simulated application instance).
  public func makeStore() -> InMemoryRemoteStore {
    let id = state.withLock { state -> UInt64 in
      state.nextID += 1
      state.connections[state.nextID] = Connection()
      return state.nextID
    }
    return InMemoryRemoteStore(server: self, id: id)
  }

  // MARK: Inspecting and manipulating the data

  /// The keys currently stored (expired keys excluded), sorted.
  public var keys: [String] {
    let time = clock.now()
    return state.withLock { state in
      state.items.filter { $0.value.expiresAt.map { $0 > time } ?? true }.keys.sorted()
    }
  }

  /// The entry under `key` as a store read would see it, without expiring it
  /// or counting a call.
  public func entry(forKey key: String) -> RemoteCacheEntry? {
    let time = clock.now()
    return state.withLock { state in
      guard let item = state.items[key] else { return nil }
      return Self.entry(item, at: time)
    }
  }

  /// Writes `bytes` as another client would (for example `redis-cli SET`):
  /// every connected connection is notified.
  public func externalSet(_ key: String, bytes: [UInt8], timeToLive: Duration?) {
    let time = clock.now()
    state.withLock { state in
      state.items[key] = Item(bytes: bytes, expiresAt: timeToLive.map { _saturatingAdd(time, $0._nanosecondsClamped) })
      Self.broadcast(&state, .keys([key]), except: nil)
    }
  }

  /// Deletes every key (`FLUSHDB`); every connected connection gets
  /// `RemoteCacheEvent.all`.
  public func flush() {
    state.withLock { state in
      state.items.removeAll()
      Self.broadcast(&state, .all, except: nil)
    }
  }

  /// Expires every key whose lifetime is over and notifies every connected
  /// connection (Redis's active expiry). Keys also expire when accessed.
  public func expireDueKeys() {
    let time = clock.now()
    state.withLock { state in
      let due = state.items.filter { $0.value.expiresAt.map { $0 <= time } ?? false }.keys.sorted()
      for key in due { state.items[key] = nil }
      if !due.isEmpty { Self.broadcast(&state, .keys(due), except: nil) }
    }
  }

  // MARK: Internals (called with the lock held)

  static func entry(_ item: Item, at time: Int64) -> RemoteCacheEntry? {
    guard let expiresAt = item.expiresAt else { return RemoteCacheEntry(bytes: item.bytes, timeToLive: nil) }
    guard expiresAt > time else { return nil }
    // Whole milliseconds, like PTTL.
    let remaining = (expiresAt - time) / 1_000_000
    guard remaining > 0 else { return nil }
    return RemoteCacheEntry(bytes: item.bytes, timeToLive: .milliseconds(remaining))
  }

  /// Sends `event` to every connected connection except `origin`.
  ///
  /// Yielding under the lock keeps each subscriber's events in server order;
  /// `yield` never calls back into the server.
  static func broadcast(_ state: inout State, _ event: RemoteCacheEvent, except origin: UInt64?) {
    for (id, connection) in state.connections where id != origin && connection.state == .connected {
      for continuation in connection.subscribers.values { continuation.yield(event) }
    }
  }

  /// Removes `key` if it has expired, notifying every connected connection.
  static func expireIfDue(_ state: inout State, _ key: String, at time: Int64) {
    if let expiresAt = state.items[key]?.expiresAt, expiresAt <= time + 999_999 {
      // Less than a millisecond left counts as expired, as PTTL would say 0.
      state.items[key] = nil
      broadcast(&state, .keys([key]), except: nil)
    }
  }
}

/// One connection to an ``InMemoryRemoteServer``: a `RemoteCacheStore` for
/// unit tests, with fault injection.
///
/// ```swift
/// let store = InMemoryRemoteStore()          // with its own server
/// store.failNextCalls(2)                     // the next two calls throw
/// store.latency = .milliseconds(300)         // a slow server
/// store.disconnect()                         // calls fail fast; `.disconnected` is sent
/// store.reconnect()                          // `.reconnected` is sent
/// store.server.flush()                       // `.all` to every connection
/// ```
public final class InMemoryRemoteStore: RemoteCacheStore {
  /// The server this connection talks to.
  public let server: InMemoryRemoteServer
  let id: UInt64

  init(server: InMemoryRemoteServer, id: UInt64) {
    self.server = server
    self.id = id
  }

  /// A connection to a new server of its own, on `ContinuousClock`.
  public convenience init() {
    let server = InMemoryRemoteServer()
    let connection = server.makeStore()
    self.init(server: server, id: connection.id)
  }

  private func withConnection<R>(_ body: (inout InMemoryRemoteServer.Connection) -> R) -> R {
    server.state.withLock { state in
      body(&state.connections[id, default: InMemoryRemoteServer.Connection()])
    }
  }

  // MARK: Fault injection

  /// Makes the next `count` calls throw ``InMemoryRemoteStoreError/injectedFailure``.
  public func failNextCalls(_ count: Int) {
    withConnection { $0.failuresLeft = max(count, 0) }
  }

  /// A delay added to every call while connected (cancellable). Default zero.
  public var latency: Duration {
    get { withConnection { $0.latency } }
    set { withConnection { $0.latency = newValue } }
  }

  /// Loses the connection: the state becomes `disconnected`, subscribers get
  /// `RemoteCacheEvent.disconnected`, calls throw
  /// ``InMemoryRemoteStoreError/notConnected`` at once, and invalidations
  /// sent meanwhile are lost.
  public func disconnect() {
    setState(.disconnected, event: .disconnected)
  }

  /// Puts the connection in the `connecting` state (calls fail at once).
  public func beginConnecting() {
    setState(.connecting, event: nil)
  }

  /// Restores the connection ("tracking" included): the state becomes
  /// `connected` and subscribers get `RemoteCacheEvent.reconnected`.
  public func reconnect() {
    setState(.connected, event: .reconnected)
  }

  private func setState(_ newState: RemoteCacheStoreState, event: RemoteCacheEvent?) {
    withConnection { connection in
      let changed = connection.state != newState
      connection.state = newState
      if changed, let event {
        for continuation in connection.subscribers.values { continuation.yield(event) }
      }
    }
  }

  /// Delivers `event` to this connection's subscribers as if the server had
  /// sent it (for example keys of another namespace, or garbage).
  public func simulateEvent(_ event: RemoteCacheEvent) {
    withConnection { connection in
      for continuation in connection.subscribers.values { continuation.yield(event) }
    }
  }

  /// Calls that reached the connection while it was connected (including
  /// those that failed by injection).
  public var callCount: Int { withConnection { $0.callCount } }

  /// Calls refused at once because the connection was not connected.
  public var rejectedCallCount: Int { withConnection { $0.rejectedCallCount } }

  // MARK: RemoteCacheStore

  /// The connection state.
  public var state: RemoteCacheStoreState { withConnection { $0.state } }

  /// Every key: the server reports every change to every other connection.
  public var trackedPrefixes: [String]? { [""] }

  /// Reads one key and its remaining lifetime.
  public func get(_ key: String) async throws -> RemoteCacheEntry? {
    try await perform { state, time in
      InMemoryRemoteServer.expireIfDue(&state, key, at: time)
      return state.items[key].flatMap { InMemoryRemoteServer.entry($0, at: time) }
    }
  }

  /// Reads several keys at once.
  public func get(_ keys: [String]) async throws -> [RemoteCacheEntry?] {
    try await perform { state, time in
      keys.map { key in
        InMemoryRemoteServer.expireIfDue(&state, key, at: time)
        return state.items[key].flatMap { InMemoryRemoteServer.entry($0, at: time) }
      }
    }
  }

  /// Stores `bytes`; other connections are notified.
  public func set(_ key: String, bytes: [UInt8], timeToLive: Duration) async throws {
    try await perform { state, time in
      let milliseconds = max(timeToLive._millisecondsRoundedUp, 1)
      state.items[key] = InMemoryRemoteServer.Item(
        bytes: bytes, expiresAt: _saturatingAdd(time, _nanoseconds(milliseconds: UInt64(milliseconds))))
      InMemoryRemoteServer.broadcast(&state, .keys([key]), except: id)
    }
  }

  /// Stores `bytes`, keeping the key's remaining lifetime if it has one,
  /// else with `timeToLive`: the contract (and the Lua script) of
  /// `RemoteCacheStore.setKeepingTimeToLive`.
  public func setKeepingTimeToLive(_ key: String, bytes: [UInt8], otherwise timeToLive: Duration) async throws
    -> Duration
  {
    try await perform { state, time in
      InMemoryRemoteServer.expireIfDue(&state, key, at: time)
      if let expiresAt = state.items[key]?.expiresAt {
        state.items[key]!.bytes = bytes
        InMemoryRemoteServer.broadcast(&state, .keys([key]), except: id)
        return .nanoseconds(expiresAt - time)
      }
      let milliseconds = max(timeToLive._millisecondsRoundedUp, 1)
      state.items[key] = InMemoryRemoteServer.Item(
        bytes: bytes, expiresAt: _saturatingAdd(time, _nanoseconds(milliseconds: UInt64(milliseconds))))
      InMemoryRemoteServer.broadcast(&state, .keys([key]), except: id)
      return .milliseconds(milliseconds)
    }
  }

  /// Stores `bytes` unless the stored envelope is newer: exactly the
  /// contract (and the Lua script) of
  /// `RemoteCacheStore.setIfNotNewer`.
  public func setIfNotNewer(_ key: String, bytes: [UInt8], timeToLive: Duration, createdAtMilliseconds: Int64)
    async throws -> Bool
  {
    try await perform { state, time in
      InMemoryRemoteServer.expireIfDue(&state, key, at: time)
      if let stored = state.items[key]?.bytes, let storedCreatedAt = Self.createdAt(of: stored),
        storedCreatedAt > createdAtMilliseconds
      {
        return false
      }
      let milliseconds = max(timeToLive._millisecondsRoundedUp, 1)
      state.items[key] = InMemoryRemoteServer.Item(
        bytes: bytes, expiresAt: _saturatingAdd(time, _nanoseconds(milliseconds: UInt64(milliseconds))))
      InMemoryRemoteServer.broadcast(&state, .keys([key]), except: id)
      return true
    }
  }

  /// Removes `keys`; other connections are notified of those that existed.
  public func remove(_ keys: [String]) async throws {
    try await perform { state, _ in
      let removed = keys.filter { state.items.removeValue(forKey: $0) != nil }
      if !removed.isEmpty { InMemoryRemoteServer.broadcast(&state, .keys(removed), except: id) }
    }
  }

  /// A new stream of this connection's events.
  public func invalidations() -> AsyncStream<RemoteCacheEvent> {
    let (stream, continuation) = AsyncStream.makeStream(
      of: RemoteCacheEvent.self, bufferingPolicy: .bufferingNewest(10_000))
    let subscription = server.state.withLock { state -> UInt64 in
      state.nextID += 1
      state.connections[id, default: InMemoryRemoteServer.Connection()].subscribers[state.nextID] = continuation
      return state.nextID
    }
    continuation.onTermination = { [server, id] _ in
      server.state.withLock { state in
        _ = state.connections[id]?.subscribers.removeValue(forKey: subscription)
      }
    }
    return stream
  }

  /// The creation time in an envelope's fixed header, as the Lua script reads it.
  static func createdAt(of bytes: [UInt8]) -> Int64? {
    guard bytes.count >= HybridEnvelope.headerSize,
      bytes[0] == HybridEnvelope.magic[0], bytes[1] == HybridEnvelope.magic[1]
    else { return nil }
    var value: UInt64 = 0
    for index in 0..<8 {
      value |= UInt64(bytes[HybridEnvelope.createdAtOffset + index]) << (8 * UInt64(index))
    }
    return Int64(bitPattern: value)
  }

  /// Fails fast when not connected, else waits the latency, consumes an
  /// injected failure, and runs `body` on the server's state.
  private func perform<R: Sendable>(_ body: @Sendable (inout InMemoryRemoteServer.State, Int64) -> R) async throws -> R
  {
    let admitted: Duration? = withConnection { connection in
      guard connection.state == .connected else {
        connection.rejectedCallCount += 1
        return nil
      }
      connection.callCount += 1
      return connection.latency
    }
    guard let latency = admitted else { throw InMemoryRemoteStoreError.notConnected }
    if latency > .zero { try await Task.sleep(for: latency) }
    let time = server.clock.now()
    let result: Result<R, InMemoryRemoteStoreError> = server.state.withLock { state in
      guard state.connections[id]?.state == .connected else { return .failure(.notConnected) }
      if let left = state.connections[id]?.failuresLeft, left > 0 {
        state.connections[id]?.failuresLeft = left - 1
        return .failure(.injectedFailure)
      }
      return .success(body(&state, time))
    }
    return try result.get()
  }
}

/// Errors of ``InMemoryRemoteStore``.
public enum InMemoryRemoteStoreError: Error, Sendable, Hashable {
  /// The connection is not connected: the call failed at once.
  case notConnected
  /// A failure injected with ``InMemoryRemoteStore/failNextCalls(_:)``.
  case injectedFailure
}
