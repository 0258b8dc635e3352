#if Redis
  import NIOCore
  import NIOPosix
  import NIOSSL

  /// A Redis client on one multiplexed, pipelined RESP3 connection that reconnects
  /// by itself.
  ///
  /// ```swift
  /// let client = try RedisClient(configuration: .init(
  ///     port: 6390, invalidation: .automatic(prefixes: ["app:"], fallbackChannel: "app:__inval")))
  /// client.start()
  /// try await client.waitUntilConnected(timeout: .seconds(2))
  /// try await client.set("app:k", value: Array("v".utf8), ttlMilliseconds: 60_000)
  /// for await event in client.events() { ... }   // .keys, .flushAll, .connected, .disconnected, ...
  /// await client.shutdown()
  /// ```
  ///
  /// - All callers share one connection; concurrent commands are pipelined and
  ///   replies are matched in order. Invalidation pushes travel on the same
  ///   connection, in order with the replies.
  /// - While not connected, commands fail at once with
  ///   `RedisClientError.notConnected` (they never wait for a connect). The connection
  ///   state doubles as a circuit breaker.
  /// - A command that misses its deadline fails with `.commandTimeout`, and the
  ///   connection is closed and re-established (replies could no longer be matched).
  /// - Cancelling the calling task does not withdraw a command that is already sent;
  ///   the caller waits at most for the command's deadline.
  /// - `shutdown()` must be called (or `run()` used) to stop the reconnect loop.
  public final class RedisClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: RedisClientConfiguration
    /// The loop that runs this client's connection and state machine.
    public let eventLoop: any EventLoop
    private let core: NIOLoopBoundBox<RedisClientCore>

    /// Creates a client. It does nothing until `start()` or `run()`.
    ///
    /// - Throws: `RedisClientError.invalidConfiguration`, or a NIOSSL error when the
    ///   TLS configuration cannot be loaded.
    public init(
      configuration: RedisClientConfiguration,
      eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
      try configuration.validate()
      let sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0.configuration) }
      let eventLoop = eventLoopGroup.next()
      self.configuration = configuration
      self.eventLoop = eventLoop
      self.core = NIOLoopBoundBox.makeBoxSendingValue(
        RedisClientCore(configuration: configuration, sslContext: sslContext, eventLoop: eventLoop),
        eventLoop: eventLoop
      )
    }

    private static func onLoop(
      _ core: NIOLoopBoundBox<RedisClientCore>,
      _ eventLoop: any EventLoop,
      _ body: @escaping @Sendable (RedisClientCore) -> Void
    ) {
      if eventLoop.inEventLoop {
        body(core.value)
      } else {
        eventLoop.execute { body(core.value) }
      }
    }

    private func onLoop(_ body: @escaping @Sendable (RedisClientCore) -> Void) {
      Self.onLoop(self.core, self.eventLoop, body)
    }

    // MARK: Lifecycle

    /// Starts connecting (in the background) and keeps reconnecting until shutdown.
    public func start() {
      self.onLoop { $0.start() }
    }

    /// Closes the connection, stops reconnecting, fails pending commands with
    /// `.shutdown` and finishes all streams. Idempotent.
    public func shutdown() async {
      let promise = self.eventLoop.makePromise(of: Void.self)
      self.onLoop { $0.shutdown(promise: promise) }
      try? await promise.futureResult.get()
    }

    /// Starts the client and runs until the calling task is cancelled, then shuts down
    /// (the shape of a ServiceLifecycle service).
    public func run() async {
      self.start()
      let finished = self.eventLoop.makePromise(of: Void.self)
      self.onLoop { $0.whenShutDown(finished) }
      let core = self.core
      let eventLoop = self.eventLoop
      await withTaskCancellationHandler {
        try? await finished.futureResult.get()
      } onCancel: {
        Self.onLoop(core, eventLoop) { $0.shutdown(promise: nil) }
      }
    }

    /// Closes the current connection as if it had been lost (the client reconnects).
    public func closeConnection() {
      self.onLoop { $0.closeConnection() }
    }

    // MARK: State and events

    /// The current connection state.
    public var state: RedisConnectionState {
      get async {
        let core = self.core
        return (try? await self.eventLoop.submit { core.value.state }.get()) ?? .shutdown
      }
    }

    /// The current state, then every change. Finishes at shutdown.
    public func stateUpdates() -> AsyncStream<RedisConnectionState> {
      let (stream, continuation) = AsyncStream.makeStream(
        of: RedisConnectionState.self,
        bufferingPolicy: .bufferingNewest(64)
      )
      let core = self.core
      let eventLoop = self.eventLoop
      self.onLoop { client in
        guard let id = client.addStateSubscriber(continuation) else { return }
        continuation.onTermination = { _ in Self.onLoop(core, eventLoop) { $0.removeStateSubscriber(id) } }
      }
      return stream
    }

    /// A new stream of connection and invalidation events (each call gets its own
    /// stream; every stream sees every event from its creation on). Finishes at
    /// shutdown. A stream that falls `eventBufferLimit` events behind gets
    /// `.eventsDropped` instead of the events it missed.
    public func events() -> AsyncStream<RedisClientEvent> {
      let (stream, continuation) = AsyncStream.makeStream(
        of: RedisClientEvent.self,
        bufferingPolicy: .bufferingOldest(self.configuration.eventBufferLimit)
      )
      let core = self.core
      let eventLoop = self.eventLoop
      self.onLoop { client in
        guard let id = client.addEventSubscriber(continuation) else { return }
        continuation.onTermination = { _ in Self.onLoop(core, eventLoop) { $0.removeEventSubscriber(id) } }
      }
      return stream
    }

    /// Waits until the client is connected (handshake and tracking done).
    @discardableResult
    public func waitUntilConnected(timeout: Duration) async throws -> RedisConnectionInfo {
      let promise = self.eventLoop.makePromise(of: RedisConnectionInfo.self)
      let amount = TimeAmount(timeout)
      self.onLoop { $0.waitUntilConnected(timeout: amount, promise: promise) }
      return try await promise.futureResult.get()
    }

    // MARK: Sending

    /// Sends raw commands as one write and returns their replies in order (error
    /// replies stay values). Internal: no command filtering.
    /// With `epoch`, the commands run only on the connection of that epoch (else
    /// `.notConnected`): see `RedisClientCore.submit`.
    func execute(
      _ commands: [RedisCommand],
      expectations: [ReplyExpectation]? = nil,
      timeout: Duration? = nil,
      epoch: UInt64? = nil
    ) async throws -> [RESPValue] {
      let bytes = RedisClientCore.encode(commands)
      let expectations = expectations ?? Array(repeating: .reply, count: commands.count)
      let promise = self.eventLoop.makePromise(of: [RESPValue].self)
      let amount = TimeAmount(timeout ?? self.configuration.commandTimeout)
      self.onLoop { $0.submit(bytes, expectations: expectations, timeout: amount, epoch: epoch, promise: promise) }
      return try await promise.futureResult.get()
    }

    /// Registers a synchronous observer of every event (see
    /// `RedisClientCore.addObserver`). It stays registered until shutdown.
    func observe(_ observer: RedisClientObserver) {
      self.onLoop { $0.addObserver(observer) }
    }

    /// Sends one command and returns its reply; an error reply is thrown as
    /// `RedisClientError.serverError`.
    ///
    /// Commands that would break the shared connection are refused with
    /// `.unsupportedCommand`: `MULTI`/`EXEC`/`DISCARD`/`WATCH`/`UNWATCH` (use
    /// `transaction(_:)`: on a multiplexed connection a bare MULTI would capture other
    /// callers' commands), the SUBSCRIBE family (use `subscribe(_:)`), and connection
    /// state (`HELLO`, `AUTH`, `SELECT`, `RESET`, `QUIT`, `MONITOR`, `SYNC`, `PSYNC`,
    /// `CLIENT REPLY`, `CLIENT TRACKING`), which the client manages and restores on
    /// every reconnect. Blocking commands work but are bound by the deadline.
    public func send(_ command: RedisCommand, timeout: Duration? = nil) async throws -> RESPValue {
      try Self.checkAllowed(command)
      return try Self.throwingError(try await self.execute([command], timeout: timeout)[0])
    }

    /// `send(RedisCommand(arguments))`.
    public func send(_ arguments: RedisArgument..., timeout: Duration? = nil) async throws -> RESPValue {
      try await self.send(RedisCommand(arguments), timeout: timeout)
    }

    /// Sends the commands in one write (pipelined) and returns their replies in order.
    /// Error replies are returned as values so one failing command does not hide the
    /// others. Commands are filtered as in `send(_:)`.
    public func pipeline(_ commands: [RedisCommand], timeout: Duration? = nil) async throws -> [RESPValue] {
      guard !commands.isEmpty else { return [] }
      for command in commands { try Self.checkAllowed(command) }
      return try await self.execute(commands, timeout: timeout)
    }

    /// Runs the commands in one `MULTI`/`EXEC` and returns `EXEC`'s replies (error
    /// replies of single commands stay values). MULTI, the commands and EXEC are
    /// written together, so no other caller's command can land inside.
    ///
    /// - Throws: `.serverError` when the transaction was refused (`EXECABORT`, e.g. a
    ///   queued command had a syntax error), `.transactionAborted` when EXEC returned null.
    public func transaction(_ commands: [RedisCommand], timeout: Duration? = nil) async throws -> [RESPValue] {
      try await self.transaction(commands, timeout: timeout, epoch: nil)
    }

    /// `transaction(_:timeout:)`, optionally bound to the connection of `epoch`.
    func transaction(_ commands: [RedisCommand], timeout: Duration?, epoch: UInt64?) async throws -> [RESPValue] {
      for command in commands { try Self.checkAllowed(command) }
      let all = [RedisCommand("MULTI")] + commands + [RedisCommand("EXEC")]
      let replies = try await self.execute(all, timeout: timeout, epoch: epoch)
      if let message = replies[0].errorMessage { throw RedisClientError.serverError(message) }
      guard let exec = replies.last else { throw RedisClientError.unexpectedReply("no EXEC reply") }
      if let message = exec.errorMessage {
        // EXECABORT: report the first queued command's own error too.
        let queued = replies.dropFirst().dropLast().compactMap(\.errorMessage).first
        throw RedisClientError.serverError(queued.map { "\(message) (\($0))" } ?? message)
      }
      if exec.isNull { throw RedisClientError.transactionAborted }
      guard let results = exec.elements else { throw RedisClientError.unexpectedReply("EXEC: \(exec)") }
      return results
    }

    /// Subscribes this connection to `channels` (RESP3 allows commands and
    /// subscriptions on one connection). Messages arrive as `.message` events.
    /// Subscriptions are restored after every reconnect.
    public func subscribe(_ channels: [String], timeout: Duration? = nil) async throws {
      let promise = self.eventLoop.makePromise(of: Void.self)
      let amount = TimeAmount(timeout ?? self.configuration.commandTimeout)
      self.onLoop { $0.subscribe(channels, timeout: amount, promise: promise) }
      try await promise.futureResult.get()
    }

    /// Unsubscribes from `channels` (waiting for the server to confirm, up to
    /// `timeout` or the command deadline).
    public func unsubscribe(_ channels: [String], timeout: Duration? = nil) async throws {
      let promise = self.eventLoop.makePromise(of: Void.self)
      let amount = TimeAmount(timeout ?? self.configuration.commandTimeout)
      self.onLoop { $0.unsubscribe(channels, timeout: amount, promise: promise) }
      try await promise.futureResult.get()
    }

    static func throwingError(_ value: RESPValue) throws -> RESPValue {
      if let message = value.errorMessage { throw RedisClientError.serverError(message) }
      return value
    }

    private static let refusedCommands: [String: String] = [
      "MULTI": "use transaction(_:)", "EXEC": "use transaction(_:)", "DISCARD": "use transaction(_:)",
      "WATCH": "WATCH cannot work on a shared connection", "UNWATCH": "WATCH cannot work on a shared connection",
      "SUBSCRIBE": "use subscribe(_:)", "UNSUBSCRIBE": "use unsubscribe(_:)",
      "PSUBSCRIBE": "pattern subscriptions are not supported",
      "PUNSUBSCRIBE": "pattern subscriptions are not supported",
      "SSUBSCRIBE": "sharded subscriptions are not supported",
      "SUNSUBSCRIBE": "sharded subscriptions are not supported",
      "HELLO": "the client negotiates RESP3 itself", "AUTH": "configure username/password",
      "SELECT": "configure database", "RESET": "the client manages connection state",
      "QUIT": "use shutdown()", "MONITOR": "MONITOR takes over the connection",
      "SYNC": "replication commands take over the connection", "PSYNC": "replication commands take over the connection",
    ]

    static func checkAllowed(_ command: RedisCommand) throws(RedisClientError) {
      let name = command.name
      guard !name.isEmpty else { throw .unsupportedCommand("empty command") }
      if let why = Self.refusedCommands[name] { throw .unsupportedCommand("\(name): \(why)") }
      if name == "CLIENT" {
        let sub = command.subcommand
        if sub == "REPLY" || sub == "TRACKING" {
          throw .unsupportedCommand("CLIENT \(sub): the client manages it")
        }
      }
    }
  }
#endif
