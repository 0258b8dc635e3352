#if Redis
  import NIOCore
  import NIOSSL

  /// What one queued command expects back.
  enum ReplyExpectation: Sendable, Hashable {
    /// One ordinary reply.
    case reply
    /// A SUBSCRIBE-family command: in RESP3 the server confirms each channel with a
    /// push frame (`>3 subscribe <channel> <count>`), not with a reply. An error
    /// reply instead of the pushes ends the wait too.
    case confirmations(Int)
  }

  /// Gathers the replies of one write (a command, a pipeline or a transaction) and
  /// completes its promise exactly once: with all replies, or with the first failure.
  /// Loop-confined.
  final class ReplyCollector {
    private var promise: EventLoopPromise<[RESPValue]>?
    private var values: [RESPValue] = []
    private let expected: Int

    init(promise: EventLoopPromise<[RESPValue]>?, expected: Int) {
      self.promise = promise
      self.expected = expected
      if expected > 1 { self.values.reserveCapacity(expected) }
    }

    func receive(_ value: RESPValue) {
      self.values.append(value)
      if self.values.count == self.expected, let promise = self.promise {
        self.promise = nil
        promise.succeed(self.values)
      }
    }

    func fail(_ error: RedisClientError) {
      if let promise = self.promise {
        self.promise = nil
        promise.fail(error)
      }
    }
  }

  @available(*, unavailable)
  extension ReplyCollector: Sendable {}

  /// The multiplexed, pipelined Redis connection as a NIO channel handler.
  ///
  /// - **Pipelining.** Commands are written as they come, without waiting for earlier
  ///   replies. Writes made in the same event-loop tick share one flush (flush
  ///   coalescing), which is what makes a busy multiplexed connection fast.
  /// - **FIFO matching.** RESP has no request ids: replies come back in command order,
  ///   so each non-push value completes the oldest pending command.
  /// - **Push frames** (`>`) never complete a command. They go to `onPush`
  ///   (invalidations, pub/sub messages), except the SUBSCRIBE-family confirmations,
  ///   which in RESP3 *are* pushes and complete the pending SUBSCRIBE at the head of
  ///   the queue. Pushes may arrive before, between or after replies.
  /// - **Deadlines.** Every pending command has a deadline; one timer is armed for the
  ///   earliest. When a deadline passes, the command fails with
  ///   `RedisClientError.commandTimeout` **and the connection is closed**, failing
  ///   everything else that was pending: a late reply to the timed-out command would
  ///   otherwise be matched to the next command, and no reply could ever be trusted
  ///   again. Closing costs a reconnect, which is cheap next to answering a caller
  ///   with somebody else's value.
  /// - **Health check.** When nothing was pending and nothing arrived during a whole
  ///   interval, a PING is sent with its own deadline. A half-open socket or a stalled
  ///   server is so detected within about 2 × interval + timeout, and closed.
  /// - **Protocol violations** (a decoding error, a reply with no pending command)
  ///   close the connection; nothing the server sends can crash the client.
  ///
  /// All state is confined to the channel's event loop; the client reaches the
  /// handler only from that loop.
  final class RedisChannelHandler: ChannelInboundHandler {
    typealias InboundIn = RESPValue
    typealias OutboundOut = ByteBuffer

    private struct PendingReply {
      let collector: ReplyCollector
      var confirmationsLeft: Int
      var confirmations: [RESPValue]
      let deadline: NIODeadline
      let isHealthCheck: Bool
    }

    private let maxInFlight: Int
    private var context: ChannelHandlerContext?
    private var pending = CircularBuffer<PendingReply>(initialCapacity: 64)
    private var closeReason: RedisDisconnectReason?
    private var didNotifyClose = false
    private var deadlineTimer: Scheduled<Void>?
    private var deadlineTimerAt: NIODeadline?
    private var healthCheck: (interval: TimeAmount, timeout: TimeAmount)?
    private var healthCheckTimer: Scheduled<Void>?
    private var receivedSinceHealthTick = false
    private var flushScheduled = false

    /// Top-level push frames that are not subscription confirmations (attributes removed).
    var onPush: ((RESPValue) -> Void)?
    /// Called once when the channel has closed, with the reason.
    var onClose: ((RedisDisconnectReason) -> Void)?

    init(maxInFlight: Int) {
      self.maxInFlight = maxInFlight
    }

    /// Commands waiting for a reply.
    var inFlightCount: Int { self.pending.count }

    /// True until the connection starts closing.
    var isOpen: Bool {
      guard let context = self.context else { return false }
      return self.closeReason == nil && context.channel.isActive
    }

    // MARK: Sending

    /// Writes `bytes` (one or more encoded commands) and queues one pending reply per
    /// expectation. `promise` (if any) gets all the replies, in order, or the first
    /// failure. Must be called on the event loop.
    func enqueue(
      _ bytes: ByteBuffer,
      expectations: [ReplyExpectation],
      timeout: TimeAmount,
      promise: EventLoopPromise<[RESPValue]>?,
      isHealthCheck: Bool = false,
      ignoreInFlightLimit: Bool = false
    ) {
      guard !expectations.isEmpty else {
        promise?.succeed([])
        return
      }
      let collector = ReplyCollector(promise: promise, expected: expectations.count)
      guard let context = self.context, self.closeReason == nil, context.channel.isActive else {
        collector.fail(
          .connectionClosed(self.closeReason ?? RedisDisconnectReason(.closedByPeer, "connection is closed")))
        return
      }
      guard ignoreInFlightLimit || self.pending.count + expectations.count <= self.maxInFlight else {
        collector.fail(.overloaded(limit: self.maxInFlight))
        return
      }
      let deadline = context.eventLoop.now + timeout
      for expectation in expectations {
        let confirmations: Int
        switch expectation {
        case .reply: confirmations = 0
        case .confirmations(let count): confirmations = max(1, count)
        }
        self.pending.append(
          PendingReply(
            collector: collector,
            confirmationsLeft: confirmations,
            confirmations: [],
            deadline: deadline,
            isHealthCheck: isHealthCheck
          )
        )
      }
      self.armDeadlineTimer(for: deadline)
      // A failed write means the stream is broken: close (which fails the queue).
      // Without this, a command written to a dying channel could wait forever.
      let writePromise = context.eventLoop.makePromise(of: Void.self)
      writePromise.futureResult.assumeIsolated().whenFailure { [weak self] error in
        self?.close(reason: RedisDisconnectReason(.writeFailed, "write failed: \(error)"))
      }
      context.write(Self.wrapOutboundOut(bytes), promise: writePromise)
      self.scheduleFlush(context)
    }

    /// Closes the connection with `reason`; every pending command fails.
    func close(reason: RedisDisconnectReason) {
      guard self.closeReason == nil else { return }
      self.closeReason = reason
      self.failAllPending(now: nil, reason: reason)
      self.context?.close(promise: nil)
    }

    /// Starts idle health checks (after the handshake).
    func startHealthCheck(interval: TimeAmount, timeout: TimeAmount) {
      self.healthCheck = (interval, timeout)
      self.scheduleHealthCheck()
    }

    // MARK: ChannelHandler

    func handlerAdded(context: ChannelHandlerContext) {
      self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
      self.connectionEnded(RedisDisconnectReason(.closedByPeer, "connection closed"))
      self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
      self.connectionEnded(RedisDisconnectReason(.closedByPeer, "connection closed by the server"))
      context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
      let reason: RedisDisconnectReason
      if let error = error as? RESPError {
        reason = RedisDisconnectReason(.protocolError, error.description)
      } else if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
        reason = RedisDisconnectReason(.tlsFailed, "TLS: \(error)")
      } else if String(reflecting: type(of: error)).hasPrefix("NIOSSL.") {
        reason = RedisDisconnectReason(.tlsFailed, "TLS: \(error)")
      } else if error is ByteToMessageDecoderError {
        reason = RedisDisconnectReason(.protocolError, "decoder: \(error)")
      } else {
        reason = RedisDisconnectReason(.closedByPeer, "\(error)")
      }
      self.close(reason: reason)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      guard self.closeReason == nil else { return }
      self.receivedSinceHealthTick = true
      let value = Self.unwrapInboundIn(data).withoutAttributes
      if case .push(let elements) = value {
        self.handlePush(value, elements)
        return
      }
      guard let head = self.pending.first else {
        self.close(reason: RedisDisconnectReason(.protocolError, "reply received with no command pending"))
        return
      }
      // An ordinary reply completes the oldest command. (For a pending SUBSCRIBE
      // this is an error reply that replaces the confirmations.)
      self.pending.removeFirst()
      head.collector.receive(value)
      if self.pending.isEmpty {
        self.deadlineTimer?.cancel()
        self.deadlineTimer = nil
        self.deadlineTimerAt = nil
      }
    }

    // MARK: Internals

    private static let subscriptionKinds: Set<String> = [
      "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe",
    ]

    private func handlePush(_ value: RESPValue, _ elements: [RESPValue]) {
      if let head = self.pending.first, head.confirmationsLeft > 0,
        let kind = elements.first?.string?.lowercased(), Self.subscriptionKinds.contains(kind)
      {
        let index = self.pending.startIndex
        self.pending[index].confirmations.append(value)
        self.pending[index].confirmationsLeft -= 1
        if self.pending[index].confirmationsLeft == 0 {
          let done = self.pending.removeFirst()
          done.collector.receive(.array(done.confirmations))
        }
        return
      }
      self.onPush?(value)
    }

    private func scheduleFlush(_ context: ChannelHandlerContext) {
      guard !self.flushScheduled else { return }
      self.flushScheduled = true
      context.eventLoop.assumeIsolated().execute { [weak self] in
        guard let self else { return }
        self.flushScheduled = false
        self.context?.flush()
      }
    }

    private func armDeadlineTimer(for deadline: NIODeadline) {
      guard let context = self.context else { return }
      if let armed = self.deadlineTimerAt, armed <= deadline { return }
      self.deadlineTimer?.cancel()
      self.deadlineTimerAt = deadline
      self.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
        self?.deadlineTimerFired()
      }
    }

    private func deadlineTimerFired() {
      self.deadlineTimer = nil
      self.deadlineTimerAt = nil
      guard self.closeReason == nil, let context = self.context else { return }
      let now = context.eventLoop.now
      var earliest: NIODeadline?
      var expiredCommand = false
      var expiredHealthCheck = false
      for entry in self.pending {
        if entry.deadline <= now {
          if entry.isHealthCheck { expiredHealthCheck = true } else { expiredCommand = true }
        } else {
          earliest = earliest.map { min($0, entry.deadline) } ?? entry.deadline
        }
      }
      if expiredCommand || expiredHealthCheck {
        let reason =
          expiredCommand
          ? RedisDisconnectReason(.commandTimeout, "a command missed its deadline")
          : RedisDisconnectReason(.healthCheckTimeout, "no PONG within the health-check deadline")
        self.closeReason = reason
        self.failAllPending(now: now, reason: reason)
        context.close(promise: nil)
      } else if let earliest {
        self.armDeadlineTimer(for: earliest)
      }
    }

    /// Fails every pending command. With `now`, those past their deadline fail with
    /// `.commandTimeout`, the others with `.connectionClosed`.
    private func failAllPending(now: NIODeadline?, reason: RedisDisconnectReason) {
      self.deadlineTimer?.cancel()
      self.deadlineTimer = nil
      self.deadlineTimerAt = nil
      self.healthCheckTimer?.cancel()
      self.healthCheckTimer = nil
      // Callbacks of failed promises may re-enter (enqueue fails at once because
      // closeReason is set), so pop one at a time.
      while let entry = self.pending.popFirst() {
        if let now, entry.deadline <= now {
          entry.collector.fail(.commandTimeout)
        } else {
          entry.collector.fail(.connectionClosed(reason))
        }
      }
    }

    private func connectionEnded(_ fallbackReason: RedisDisconnectReason) {
      if self.closeReason == nil { self.closeReason = fallbackReason }
      let reason = self.closeReason ?? fallbackReason
      self.failAllPending(now: nil, reason: reason)
      guard !self.didNotifyClose else { return }
      self.didNotifyClose = true
      let onClose = self.onClose
      // Break the reference cycle with the client.
      self.onClose = nil
      self.onPush = nil
      onClose?(reason)
    }

    private static let pingCommand: ByteBuffer = {
      var buffer = ByteBuffer()
      RESPEncoder.encode(RedisCommand("PING"), into: &buffer)
      return buffer
    }()

    private func scheduleHealthCheck() {
      guard let context = self.context, let healthCheck = self.healthCheck, self.closeReason == nil else { return }
      self.healthCheckTimer = context.eventLoop.assumeIsolated().scheduleTask(in: healthCheck.interval) {
        [weak self] in
        self?.healthCheckTick()
      }
    }

    private func healthCheckTick() {
      guard self.closeReason == nil, let healthCheck = self.healthCheck else { return }
      if self.pending.isEmpty && !self.receivedSinceHealthTick {
        // Idle for a whole interval: prove the peer is alive.
        self.enqueue(
          Self.pingCommand,
          expectations: [.reply],
          timeout: healthCheck.timeout,
          promise: nil,
          isHealthCheck: true,
          ignoreInFlightLimit: true
        )
      }
      self.receivedSinceHealthTick = false
      self.scheduleHealthCheck()
    }
  }

  @available(*, unavailable)
  extension RedisChannelHandler: Sendable {}
#endif
