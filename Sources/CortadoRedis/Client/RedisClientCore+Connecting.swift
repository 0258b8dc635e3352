#if Redis
  import NIOCore
  import NIOPosix
  import NIOSSL

  // Connecting, reconnecting with backoff, and losing the connection.
  extension RedisClientCore {
    // MARK: Connecting

    func connect() {
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

    func tlsServerName() -> String? {
      guard let tls = self.configuration.tls else { return nil }
      if let name = tls.serverName { return name }
      let host = self.configuration.host
      // An IP literal cannot go into SNI; NIOSSL then checks the peer IP against
      // the certificate's IP SANs.
      return (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    func connectCompleted(generation: Int, result: Result<any Channel, any Error>) {
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

    static func handshakeReason(_ error: any Error) -> RedisDisconnectReason {
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

    func connected(handler: RedisChannelHandler, outcome: HandshakeOutcome) {
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
    func attemptFailed(_ reason: RedisDisconnectReason) {
      self.channel = nil
      self.handler = nil
      self.lastReason = reason
      self.scheduleReconnect(reason)
    }

    /// An established connection was lost.
    func connectionClosed(generation: Int, reason: RedisDisconnectReason) {
      guard generation == self.generation, self.state.isConnected else { return }
      self.channel = nil
      self.handler = nil
      self.lastReason = reason
      // Invalidations may have been lost from this moment on.
      self.emit(.disconnected(reason))
      self.attempts = 0
      self.scheduleReconnect(reason)
    }

    func scheduleReconnect(_ reason: RedisDisconnectReason) {
      if case .shutdown = self.state { return }
      self.setState(.disconnected(reason))
      let delay = self.configuration.reconnectBackoff.delay(attempt: max(0, self.attempts - 1), using: &self.random)
      self.reconnectTask = self.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { [self] in
        self.reconnectTask = nil
        if case .disconnected = self.state { self.connect() }
      }
    }
  }
#endif
