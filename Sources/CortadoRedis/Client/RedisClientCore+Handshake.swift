#if Redis
  import NIOCore
  import NIOPosix
  import NIOSSL

  // The handshake on a new connection: HELLO 3, AUTH, SELECT, CLIENT SETNAME,
  // tracking or the pub/sub fallback, and restoring subscriptions.
  extension RedisClientCore {
    // MARK: Handshake

    struct HandshakeFailure: Error {
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
    func handshake(_ handler: RedisChannelHandler) -> EventLoopFuture<HandshakeOutcome> {
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

    static func unique(_ channels: [String]) -> [String] {
      var seen = Set<String>()
      return channels.filter { seen.insert($0).inserted }
    }

    static func parseHello(_ reply: RESPValue) throws -> HandshakeOutcome {
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
  }
#endif
