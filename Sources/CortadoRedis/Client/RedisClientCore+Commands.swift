#if Redis
  import NIOCore
  import NIOPosix
  import NIOSSL

  // Submitting commands and (un)subscribing, on the current connection.
  extension RedisClientCore {
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

    func changeSubscription(
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
  }
#endif
