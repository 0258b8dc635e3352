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
    let configuration: RedisClientConfiguration
    let sslContext: NIOSSLContext?
    let eventLoop: any EventLoop

    var state: RedisConnectionState = .idle
    var handler: RedisChannelHandler?
    var channel: (any Channel)?
    /// Incremented for every connection attempt and at shutdown; callbacks of older
    /// attempts compare it and stand down.
    var generation = 0
    /// Consecutive attempts since the last successful connection.
    var attempts = 0
    var epoch: UInt64 = 0
    var lastReason: RedisDisconnectReason?
    var reconnectTask: Scheduled<Void>?
    var random = SystemRandomNumberGenerator()

    struct EventSubscriber {
      let continuation: AsyncStream<RedisClientEvent>.Continuation
      var droppedSome = false
    }

    var eventSubscribers: [Int: EventSubscriber] = [:]
    /// Synchronous observers (`RedisStore`): called on the loop, in order, with no
    /// buffer in between, so a mirror of the state can never lag or drop.
    var observers: [Int: RedisClientObserver] = [:]
    var stateSubscribers: [Int: AsyncStream<RedisConnectionState>.Continuation] = [:]
    var connectWaiters: [Int: EventLoopPromise<RedisConnectionInfo>] = [:]
    var shutdownWaiters: [EventLoopPromise<Void>] = []
    var nextID = 0
    /// Channels subscribed through `RedisClient.subscribe`, restored on reconnect.
    var userChannels: [String] = []

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

  }
#endif
