#if Redis
  import NIOCore
  import NIOPosix
  import NIOSSL

  /// The client's state machine. Confined to the client's event loop (the same loop
  /// that runs its channels), so it needs no locks: `RedisClient` reaches it through
  /// a `NIOLoopBoundBox`, which checks the loop at run time.
  ///
  /// States: idle → connecting → (handshake) → connected → (lost) → disconnected
  /// (backoff scheduled) → connecting → ... ; shutdown is terminal.
  final class RedisClientCore {
    private let configuration: RedisClientConfiguration
    private let sslContext: NIOSSLContext?
    private let eventLoop: any EventLoop

    private(set) var state: RedisConnectionState = .idle
    private var handler: RedisChannelHandler?
    private var channel: (any Channel)?
    /// Incremented for every connection attempt and at shutdown; callbacks of older
    /// attempts compare it and stand down.
    private var generation = 0
    /// Consecutive attempts since the last successful connection.
    private var attempts = 0
    private var epoch: UInt64 = 0
    private var lastReason: RedisDisconnectReason?
    private var reconnectTask: Scheduled<Void>?
    private var random = SystemRandomNumberGenerator()

    private struct EventSubscriber {
      let continuation: AsyncStream<RedisClientEvent>.Continuation
      var droppedSome = false
    }

    private var eventSubscribers: [Int: EventSubscriber] = [:]
    /// Synchronous observers (`RedisStore`): called on the loop, in order, with no
    /// buffer in between, so a mirror of the state can never lag or drop.
    private var observers: [Int: RedisClientObserver] = [:]
    private var stateSubscribers: [Int: AsyncStream<RedisConnectionState>.Continuation] = [:]
    private var connectWaiters: [Int: EventLoopPromise<RedisConnectionInfo>] = [:]
    private var shutdownWaiters: [EventLoopPromise<Void>] = []
    private var nextID = 0
    /// Channels subscribed through `RedisClient.subscribe`, restored on reconnect.
    private var userChannels: [String] = []

    init(configuration: RedisClientConfiguration, sslContext: NIOSSLContext?, eventLoop: any EventLoop) {
      self.configuration = configuration
      self.sslContext = sslContext
      self.eventLoop = eventLoop
    }

    // MARK: Lifecycle

    func start() {
      guard case .idle = self.state else { return }
      self.connect()
    }

    func shutdown(promise: EventLoopPromise<Void>?) {
      if case .shutdown = self.state {
        if let promise {
          if self.channel == nil { promise.succeed() } else { self.shutdownWaiters.append(promise) }
        }
        return
      }
      let reason = RedisDisconnectReason(.shutdown, "client shut down")
      let wasConnected = self.state.isConnected
      self.generation += 1
      self.reconnectTask?.cancel()
      self.reconnectTask = nil
      self.setState(.shutdown)
      for (_, waiter) in self.connectWaiters { waiter.fail(RedisClientError.shutdown) }
      self.connectWaiters.removeAll()
      if wasConnected { self.emit(.disconnected(reason)) }
      for (_, subscriber) in self.eventSubscribers { subscriber.continuation.finish() }
      self.eventSubscribers.removeAll()
      let observers = self.observers
      self.observers.removeAll()
      for (_, observer) in observers { observer.finished() }
      for (_, continuation) in self.stateSubscribers { continuation.finish() }
      self.stateSubscribers.removeAll()
      if let promise { self.shutdownWaiters.append(promise) }
      if let channel = self.channel {
        self.handler?.close(reason: reason)
        channel.closeFuture.assumeIsolated().whenComplete { [self] _ in
          self.channel = nil
          self.handler = nil
          let waiters = self.shutdownWaiters
          self.shutdownWaiters.removeAll()
          for waiter in waiters { waiter.succeed() }
        }
      } else {
        let waiters = self.shutdownWaiters
        self.shutdownWaiters.removeAll()
        for waiter in waiters { waiter.succeed() }
      }
    }

    /// Closes the current connection as if it had been lost; the client reconnects.
    func closeConnection() {
      guard self.state.isConnected else { return }
      self.handler?.close(reason: RedisDisconnectReason(.closedByClient, "closed by closeConnection()"))
    }

    // MARK: Connecting

    private func connect() {
      self.generation += 1
      let generation = self.generation
      self.attempts += 1
      self.setState(.connecting(attempt: self.attempts))

      let sslContext = self.sslContext
      let serverName = self.tlsServerName()
      let limits = self.configuration.decoderLimits
      let maxInFlight = self.configuration.maxInFlight
      let bootstrap = ClientBootstrap(group: self.eventLoop)
        .connectTimeout(TimeAmount(self.configuration.connectTimeout))
        .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
        .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            if let sslContext {
              try pipeline.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
            }
            try pipeline.addHandler(ByteToMessageHandler(RESPMessageDecoder(limits: limits)))
            try pipeline.addHandler(RedisChannelHandler(maxInFlight: maxInFlight))
          }
        }
      bootstrap.connect(host: self.configuration.host, port: self.configuration.port)
        .assumeIsolated()
        .whenComplete { [self] result in
          self.connectCompleted(generation: generation, result: result)
        }
    }

    private func tlsServerName() -> String? {
      guard let tls = self.configuration.tls else { return nil }
      if let name = tls.serverName { return name }
      let host = self.configuration.host
      // An IP literal cannot go into SNI; NIOSSL then checks the peer IP against
      // the certificate's IP SANs.
      return (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    private func connectCompleted(generation: Int, result: Result<any Channel, any Error>) {
      guard generation == self.generation else {
        if case .success(let channel) = result { channel.close(promise: nil) }
        return
      }
      let channel: any Channel
      switch result {
      case .failure(let error):
        self.attemptFailed(RedisDisconnectReason(.connectFailed, "\(error)"))
        return
      case .success(let connected):
        channel = connected
      }
      let handler: RedisChannelHandler
      do {
        handler = try channel.pipeline.syncOperations.handler(type: RedisChannelHandler.self)
      } catch {
        channel.close(promise: nil)
        self.attemptFailed(RedisDisconnectReason(.connectFailed, "pipeline: \(error)"))
        return
      }
      self.channel = channel
      self.handler = handler
      handler.onPush = { [self] value in
        // Pushes during the handshake are delivered too: they are in order with
        // everything else on this connection.
        guard generation == self.generation else { return }
        self.handlePush(value)
      }
      handler.onClose = { [self] reason in
        self.connectionClosed(generation: generation, reason: reason)
      }
      self.handshake(handler).assumeIsolated().whenComplete { [self] result in
        guard generation == self.generation else { return }
        switch result {
        case .success(let outcome):
          guard handler.isOpen else {
            self.attemptFailed(RedisDisconnectReason(.closedByPeer, "closed during the handshake"))
            return
          }
          self.connected(handler: handler, outcome: outcome)
        case .failure(let error):
          let reason = Self.handshakeReason(error)
          handler.close(reason: reason)
          self.attemptFailed(reason)
        }
      }
    }

    private static func handshakeReason(_ error: any Error) -> RedisDisconnectReason {
      switch error {
      case let failure as HandshakeFailure:
        return failure.reason
      case RedisClientError.connectionClosed(let reason):
        return reason
      case RedisClientError.commandTimeout:
        return RedisDisconnectReason(.handshakeFailed, "handshake timed out")
      default:
        return RedisDisconnectReason(.handshakeFailed, "\(error)")
      }
    }

    private func connected(handler: RedisChannelHandler, outcome: HandshakeOutcome) {
      self.attempts = 0
      self.epoch += 1
      self.lastReason = nil
      let info = RedisConnectionInfo(
        epoch: self.epoch,
        clientID: outcome.clientID,
        serverVersion: outcome.serverVersion,
        invalidation: outcome.invalidation
      )
      self.setState(.connected(info))
      self.emit(.connected(info))
      let waiters = self.connectWaiters
      self.connectWaiters.removeAll()
      for (_, waiter) in waiters { waiter.succeed(info) }
      if let interval = self.configuration.healthCheckInterval {
        handler.startHealthCheck(
          interval: TimeAmount(interval),
          timeout: TimeAmount(self.configuration.healthCheckTimeout ?? self.configuration.commandTimeout)
        )
      }
    }

    /// A connection attempt (TCP, TLS or handshake) failed: back off and retry.
    private func attemptFailed(_ reason: RedisDisconnectReason) {
      self.channel = nil
      self.handler = nil
      self.lastReason = reason
      self.scheduleReconnect(reason)
    }

    /// An established connection was lost.
    private func connectionClosed(generation: Int, reason: RedisDisconnectReason) {
      guard generation == self.generation, self.state.isConnected else { return }
      self.channel = nil
      self.handler = nil
      self.lastReason = reason
      // Invalidations may have been lost from this moment on.
      self.emit(.disconnected(reason))
      self.attempts = 0
      self.scheduleReconnect(reason)
    }

    private func scheduleReconnect(_ reason: RedisDisconnectReason) {
      if case .shutdown = self.state { return }
      self.setState(.disconnected(reason))
      let delay = self.configuration.reconnectBackoff.delay(attempt: max(0, self.attempts - 1), using: &self.random)
      self.reconnectTask = self.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { [self] in
        self.reconnectTask = nil
        if case .disconnected = self.state { self.connect() }
      }
    }

    // MARK: Handshake

    private struct HandshakeFailure: Error {
      var reason: RedisDisconnectReason
    }

    struct HandshakeOutcome: Sendable {
      var clientID: Int64?
      var serverVersion: String?
      var invalidation: RedisActiveInvalidation
    }

    /// `HELLO 3 [AUTH user pass] [SETNAME name]`, `SELECT db`, then
    /// `CLIENT TRACKING ON BCAST PREFIX ... NOLOOP`, pipelined in one write; then,
    /// for pub/sub (configured, or as the fallback when tracking was refused) and
    /// for channels subscribed by the user, `SUBSCRIBE`. The client reports
    /// `connected` only after all of it succeeded, so no command (and no L1 fill)
    /// runs on a connection whose invalidations are not flowing yet.
    private func handshake(_ handler: RedisChannelHandler) -> EventLoopFuture<HandshakeOutcome> {
      let configuration = self.configuration
      var hello = RedisCommand("HELLO", "3")
      if let password = configuration.password {
        hello.arguments += ["AUTH", RedisArgument(configuration.username ?? "default"), RedisArgument(password)]
      }
      if let name = configuration.clientName {
        hello.arguments += ["SETNAME", RedisArgument(name)]
      }
      var commands = [hello]
      if configuration.database != 0 {
        commands.append(RedisCommand("SELECT", RedisArgument(configuration.database)))
      }
      let invalidation = configuration.invalidation
      let wantsTracking = invalidation.mode == .tracking || invalidation.mode == .automatic
      if wantsTracking {
        var tracking = RedisCommand("CLIENT", "TRACKING", "ON", "BCAST")
        for prefix in invalidation.prefixes { tracking.arguments += ["PREFIX", RedisArgument(prefix)] }
        if invalidation.noLoop { tracking.arguments.append("NOLOOP") }
        commands.append(tracking)
      }
      let timeout = TimeAmount(configuration.connectTimeout)
      let promise = self.eventLoop.makePromise(of: [RESPValue].self)
      handler.enqueue(
        Self.encode(commands),
        expectations: Array(repeating: .reply, count: commands.count),
        timeout: timeout,
        promise: promise,
        ignoreInFlightLimit: true
      )
      let userChannels = self.userChannels
      return promise.futureResult.assumeIsolated().flatMapThrowing { replies -> (HandshakeOutcome, [String]) in
        guard replies.count == commands.count else {
          throw HandshakeFailure(reason: RedisDisconnectReason(.handshakeFailed, "missing handshake replies"))
        }
        var outcome = try Self.parseHello(replies[0])
        var index = 1
        if configuration.database != 0 {
          if let message = replies[index].errorMessage {
            throw HandshakeFailure(reason: RedisDisconnectReason(.handshakeFailed, "SELECT: \(message)"))
          }
          index += 1
        }
        var channels = userChannels
        switch invalidation.mode {
        case .none:
          outcome.invalidation = .none
        case .pubSub:
          outcome.invalidation = .pubSub(channel: invalidation.channel ?? "")
          channels.insert(invalidation.channel ?? "", at: 0)
        case .tracking, .automatic:
          if let message = replies[index].errorMessage {
            guard invalidation.mode == .automatic, let channel = invalidation.channel else {
              throw HandshakeFailure(
                reason: RedisDisconnectReason(.trackingRefused, "CLIENT TRACKING: \(message)")
              )
            }
            // Older server, or an ACL without client|tracking: fall back.
            outcome.invalidation = .pubSub(channel: channel)
            channels.insert(channel, at: 0)
          } else {
            outcome.invalidation = .tracking(prefixes: invalidation.prefixes)
          }
        }
        return (outcome, Self.unique(channels))
      }.flatMap { [self] (outcome: HandshakeOutcome, channels: [String]) -> EventLoopFuture<HandshakeOutcome> in
        guard !channels.isEmpty else { return self.eventLoop.makeSucceededFuture(outcome) }
        let subscribe = RedisCommand("SUBSCRIBE", arguments: channels.map { RedisArgument($0) })
        let promise = self.eventLoop.makePromise(of: [RESPValue].self)
        handler.enqueue(
          Self.encode([subscribe]),
          expectations: [.confirmations(channels.count)],
          timeout: timeout,
          promise: promise,
          ignoreInFlightLimit: true
        )
        return promise.futureResult.flatMapThrowing { replies in
          if let message = replies.first?.errorMessage {
            throw HandshakeFailure(reason: RedisDisconnectReason(.handshakeFailed, "SUBSCRIBE: \(message)"))
          }
          return outcome
        }
      }.nonisolated()
    }

    private static func unique(_ channels: [String]) -> [String] {
      var seen = Set<String>()
      return channels.filter { seen.insert($0).inserted }
    }

    private static func parseHello(_ reply: RESPValue) throws -> HandshakeOutcome {
      if let message = reply.errorMessage {
        let code = message.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        switch code {
        case "WRONGPASS", "NOAUTH", "NOPERM":
          throw HandshakeFailure(reason: RedisDisconnectReason(.authenticationFailed, message))
        case "NOPROTO":
          throw HandshakeFailure(
            reason: RedisDisconnectReason(.handshakeFailed, "server does not speak RESP3 (Redis 6+ needed): \(message)")
          )
        default:
          throw HandshakeFailure(reason: RedisDisconnectReason(.handshakeFailed, "HELLO: \(message)"))
        }
      }
      guard reply.mapEntries != nil else {
        throw HandshakeFailure(reason: RedisDisconnectReason(.handshakeFailed, "unexpected HELLO reply"))
      }
      if let proto = reply.mapValue(forKey: "proto")?.int64, proto != 3 {
        throw HandshakeFailure(reason: RedisDisconnectReason(.handshakeFailed, "server chose protocol \(proto)"))
      }
      return HandshakeOutcome(
        clientID: reply.mapValue(forKey: "id")?.int64,
        serverVersion: reply.mapValue(forKey: "version")?.string,
        invalidation: .none
      )
    }

    static func encode(_ commands: [RedisCommand]) -> ByteBuffer {
      var buffer = ByteBufferAllocator().buffer(capacity: commands.reduce(0) { $0 + $1.encodedSizeEstimate })
      for command in commands { RESPEncoder.encode(command, into: &buffer) }
      return buffer
    }

    // MARK: Commands

    /// Sends `bytes` on the current connection. With `epoch`, only on the
    /// connection of that epoch: a caller that chose its commands for one connection
    /// (for example: publish, or not, depending on the invalidation mode) must not
    /// have them run on the next one; it gets `.notConnected` instead.
    func submit(
      _ bytes: ByteBuffer,
      expectations: [ReplyExpectation],
      timeout: TimeAmount,
      epoch: UInt64? = nil,
      promise: EventLoopPromise<[RESPValue]>
    ) {
      switch self.state {
      case .shutdown:
        promise.fail(RedisClientError.shutdown)
      case .connected(let info):
        guard let handler = self.handler, epoch == nil || epoch == info.epoch else {
          promise.fail(RedisClientError.notConnected(self.lastReason))
          return
        }
        handler.enqueue(bytes, expectations: expectations, timeout: timeout, promise: promise)
      case .idle, .connecting, .disconnected:
        // Fail fast: never queue behind a connect.
        promise.fail(RedisClientError.notConnected(self.lastReason))
      }
    }

    func subscribe(_ channels: [String], timeout: TimeAmount, promise: EventLoopPromise<Void>) {
      self.changeSubscription("SUBSCRIBE", channels, timeout: timeout, promise: promise) { [self] in
        self.userChannels = Self.unique(self.userChannels + channels)
      }
    }

    func unsubscribe(_ channels: [String], timeout: TimeAmount, promise: EventLoopPromise<Void>) {
      let removed = Set(channels)
      self.changeSubscription("UNSUBSCRIBE", channels, timeout: timeout, promise: promise) { [self] in
        self.userChannels.removeAll { removed.contains($0) }
      }
    }

    private func changeSubscription(
      _ name: String,
      _ channels: [String],
      timeout: TimeAmount,
      promise: EventLoopPromise<Void>,
      onSuccess: @escaping () -> Void
    ) {
      guard !channels.isEmpty else {
        promise.succeed()
        return
      }
      let replies = self.eventLoop.makePromise(of: [RESPValue].self)
      replies.futureResult.assumeIsolated().whenComplete { result in
        switch result {
        case .success(let values):
          if let message = values.first?.errorMessage {
            promise.fail(RedisClientError.serverError(message))
          } else {
            onSuccess()
            promise.succeed()
          }
        case .failure(let error):
          promise.fail(error)
        }
      }
      self.submit(
        Self.encode([RedisCommand(name, arguments: channels.map { RedisArgument($0) })]),
        expectations: [.confirmations(channels.count)],
        timeout: timeout,
        promise: replies
      )
    }

    // MARK: Pushes and events

    private func handlePush(_ value: RESPValue) {
      if let event = Self.event(forPush: value) { self.emit(event) }
    }

    /// The event a push frame stands for, or nil for pushes this client ignores.
    /// Total over any input: a malformed `invalidate` becomes `.flushAll`
    /// (conservative), anything else unreadable is ignored.
    static func event(forPush value: RESPValue) -> RedisClientEvent? {
      guard let elements = value.elements, let kind = elements.first?.string?.lowercased() else { return nil }
      switch kind {
      case "invalidate":
        // `>2 invalidate [keys]`, or `>2 invalidate _` after FLUSHDB/FLUSHALL.
        guard elements.count >= 2, !elements[1].isNull, let keys = elements[1].elements else {
          return .flushAll
        }
        var names: [String] = []
        names.reserveCapacity(keys.count)
        for key in keys {
          switch key.withoutAttributes {
          case .bulkString(.some), .simpleString, .verbatimString:
            guard let name = key.string else { return .flushAll }
            names.append(name)
          default:
            // Something we cannot read: be conservative.
            return .flushAll
          }
        }
        return names.isEmpty ? nil : .keys(names)
      case "message", "smessage":
        guard elements.count >= 3, let channel = elements[1].string, let payload = elements[2].bytes else { return nil }
        return .message(channel: channel, payload: payload)
      case "pmessage":
        guard elements.count >= 4, let channel = elements[2].string, let payload = elements[3].bytes else { return nil }
        return .message(channel: channel, payload: payload)
      default:
        // Other pushes (e.g. tracking-redir-broken) do not concern this client.
        return nil
      }
    }

    private func emit(_ event: RedisClientEvent) {
      for (_, observer) in self.observers { observer.event(event) }
      for (id, var subscriber) in self.eventSubscribers {
        if subscriber.droppedSome {
          switch subscriber.continuation.yield(.eventsDropped) {
          case .enqueued:
            subscriber.droppedSome = false
          case .dropped:
            continue
          case .terminated:
            self.eventSubscribers[id] = nil
            continue
          @unknown default:
            continue
          }
        }
        switch subscriber.continuation.yield(event) {
        case .enqueued:
          break
        case .dropped:
          subscriber.droppedSome = true
        case .terminated:
          self.eventSubscribers[id] = nil
          continue
        @unknown default:
          break
        }
        self.eventSubscribers[id] = subscriber
      }
    }

    private func setState(_ state: RedisConnectionState) {
      self.state = state
      for (_, continuation) in self.stateSubscribers { continuation.yield(state) }
    }

    func addEventSubscriber(_ continuation: AsyncStream<RedisClientEvent>.Continuation) -> Int? {
      if case .shutdown = self.state {
        continuation.finish()
        return nil
      }
      self.nextID += 1
      self.eventSubscribers[self.nextID] = EventSubscriber(continuation: continuation)
      return self.nextID
    }

    func removeEventSubscriber(_ id: Int) {
      self.eventSubscribers[id] = nil
    }

    /// Adds a synchronous observer. When a connection is up, the observer is told
    /// at once with `.connected(info)`, so it cannot miss the connection that is
    /// already there. After shutdown it is only told `finished`.
    func addObserver(_ observer: RedisClientObserver) {
      if case .shutdown = self.state {
        observer.finished()
        return
      }
      self.nextID += 1
      self.observers[self.nextID] = observer
      if case .connected(let info) = self.state { observer.event(.connected(info)) }
    }

    func addStateSubscriber(_ continuation: AsyncStream<RedisConnectionState>.Continuation) -> Int? {
      continuation.yield(self.state)
      if case .shutdown = self.state {
        continuation.finish()
        return nil
      }
      self.nextID += 1
      self.stateSubscribers[self.nextID] = continuation
      return self.nextID
    }

    func removeStateSubscriber(_ id: Int) {
      self.stateSubscribers[id] = nil
    }

    func waitUntilConnected(timeout: TimeAmount, promise: EventLoopPromise<RedisConnectionInfo>) {
      switch self.state {
      case .connected(let info):
        promise.succeed(info)
        return
      case .shutdown:
        promise.fail(RedisClientError.shutdown)
        return
      case .idle, .connecting, .disconnected:
        break
      }
      self.nextID += 1
      let id = self.nextID
      self.connectWaiters[id] = promise
      self.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
        if let waiter = self.connectWaiters.removeValue(forKey: id) {
          waiter.fail(RedisClientError.connectWaitTimedOut(self.lastReason))
        }
      }
    }

    func whenShutDown(_ promise: EventLoopPromise<Void>) {
      if case .shutdown = self.state, self.channel == nil {
        promise.succeed()
      } else {
        self.shutdownWaiters.append(promise)
      }
    }
  }

  @available(*, unavailable)
  extension RedisClientCore: Sendable {}

  /// A synchronous event observer of a client (see `RedisClientCore.addObserver`).
  /// Both closures run on the client's event loop and must return quickly (take a
  /// lock, yield to a stream); they must not call back into the client synchronously.
  struct RedisClientObserver: Sendable {
    /// Every event, in connection order, as it happens.
    var event: @Sendable (RedisClientEvent) -> Void
    /// The client shut down; no event follows.
    var finished: @Sendable () -> Void
  }
#endif
