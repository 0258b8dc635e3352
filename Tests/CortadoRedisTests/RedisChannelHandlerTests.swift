#if Redis
  import NIOCore
  import NIOEmbedded
  import Testing
  @testable import CortadoRedis

  /// The connection handler on an `EmbeddedChannel`: no server, virtual time.
  @Suite("Redis channel handler")
  struct RedisChannelHandlerTests {
    final class Harness {
      let channel = EmbeddedChannel()
      let handler: RedisChannelHandler
      var pushes: [RESPValue] = []
      var closeReasons: [RedisDisconnectReason] = []

      init(maxInFlight: Int = 64, limits: RESPDecoder.Limits = .init()) throws {
        self.handler = RedisChannelHandler(maxInFlight: maxInFlight)
        try self.channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPMessageDecoder(limits: limits)))
        try self.channel.pipeline.syncOperations.addHandler(self.handler)
        try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        self.handler.onPush = { [weak self] in self?.pushes.append($0) }
        self.handler.onClose = { [weak self] in self?.closeReasons.append($0) }
      }

      deinit {
        // Closing fails whatever is still pending, so no promise is leaked
        // (NIO traps on an unfulfilled promise in debug builds).
        self.handler.onPush = nil
        self.handler.onClose = nil
        _ = try? self.channel.finish()
      }

      var loop: EmbeddedEventLoop { self.channel.embeddedEventLoop }

      /// Sends commands; returns a box that fills with the outcome.
      func send(_ commands: [RedisCommand], expectations: [ReplyExpectation]? = nil, timeout: TimeAmount = .seconds(1))
        -> Outcome
      {
        let outcome = Outcome()
        let promise = self.loop.makePromise(of: [RESPValue].self)
        promise.futureResult.assumeIsolated().whenComplete { outcome.result = $0 }
        self.handler.enqueue(
          RedisClientCore.encode(commands),
          expectations: expectations ?? Array(repeating: .reply, count: commands.count),
          timeout: timeout,
          promise: promise
        )
        self.loop.run()  // runs the coalesced flush
        return outcome
      }

      func written() throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let buffer = try self.channel.readOutbound(as: ByteBuffer.self) {
          bytes += Array(buffer.readableBytesView)
        }
        return bytes
      }

      func receive(_ text: String) throws {
        try self.channel.writeInbound(ByteBuffer(string: text))
      }
    }

    final class Outcome {
      var result: Result<[RESPValue], any Error>?
      var values: [RESPValue]? { try? self.result?.get() }
      var error: RedisClientError? {
        guard case .failure(let error) = self.result else { return nil }
        return error as? RedisClientError
      }
    }

    @Test("replies are matched in order; pushes before, between and after them never take a reply")
    func fifoWithPushes() throws {
      let h = try Harness()
      let a = h.send([RedisCommand("SET", "k", "v")])
      let b = h.send([RedisCommand("INCR", "n")])
      let c = h.send([RedisCommand("GET", "k"), RedisCommand("GET", "missing")])
      #expect(
        try h.written() == encoded(RedisCommand("SET", "k", "v")) + encoded(RedisCommand("INCR", "n"))
          + encoded(RedisCommand("GET", "k")) + encoded(RedisCommand("GET", "missing")))
      let invalidate = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nt:a\r\n"
      try h.receive(invalidate + "+OK\r\n" + invalidate + ":1\r\n$1\r\nv\r\n" + invalidate + "$-1\r\n" + invalidate)
      #expect(a.values == [.simpleString("OK")])
      #expect(b.values == [.integer(1)])
      #expect(c.values == [.bulk("v"), .bulkString(nil)])
      #expect(h.pushes.count == 4)
      #expect(h.handler.inFlightCount == 0)
      #expect(h.closeReasons.isEmpty)
    }

    @Test("SUBSCRIBE completes on its push confirmations; other pushes still go to the handler")
    func subscribeConfirmations() throws {
      let h = try Harness()
      let sub = h.send([RedisCommand("SUBSCRIBE", "a", "b")], expectations: [.confirmations(2)])
      let get = h.send([RedisCommand("GET", "k")])
      try h.receive(">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n")
      #expect(sub.result == nil)
      try h.receive(">2\r\n$10\r\ninvalidate\r\n_\r\n>3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n")
      #expect(sub.values?.count == 1)
      #expect(sub.values?.first?.elements?.count == 2)
      try h.receive(">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n$-1\r\n")
      #expect(get.values == [.bulkString(nil)])
      #expect(h.pushes.count == 2)
    }

    @Test("an error reply ends a pending SUBSCRIBE")
    func subscribeRefused() throws {
      let h = try Harness()
      let sub = h.send([RedisCommand("SUBSCRIBE", "a")], expectations: [.confirmations(1)])
      try h.receive("-NOPERM no permissions\r\n")
      #expect(sub.values == [.simpleError("NOPERM no permissions")])
    }

    @Test("a missed deadline fails the command with a timeout and closes the connection")
    func commandTimeout() throws {
      let h = try Harness()
      let slow = h.send([RedisCommand("GET", "k")], timeout: .milliseconds(100))
      let later = h.send([RedisCommand("GET", "j")], timeout: .seconds(5))
      h.loop.advanceTime(by: .milliseconds(99))
      #expect(slow.result == nil)
      h.loop.advanceTime(by: .milliseconds(2))
      #expect(slow.error == .commandTimeout)
      guard case .connectionClosed(let reason)? = later.error else {
        Issue.record("expected connectionClosed, got \(String(describing: later.result))")
        return
      }
      #expect(reason.kind == .commandTimeout)
      #expect(!h.channel.isActive)
      #expect(h.closeReasons.map(\.kind) == [.commandTimeout])
      // A late reply to the timed-out command is never delivered to anyone.
      let after = h.send([RedisCommand("PING")])
      guard case .connectionClosed? = after.error else {
        Issue.record("a closed connection must refuse commands")
        return
      }
    }

    @Test("replies within the deadline keep the connection open")
    func deadlineRearms() throws {
      let h = try Harness()
      let first = h.send([RedisCommand("PING")], timeout: .milliseconds(100))
      h.loop.advanceTime(by: .milliseconds(50))
      let second = h.send([RedisCommand("PING")], timeout: .milliseconds(100))
      try h.receive("+PONG\r\n")
      h.loop.advanceTime(by: .milliseconds(60))  // past the first deadline, not the second
      #expect(first.values == [.simpleString("PONG")])
      #expect(second.result == nil)
      #expect(h.channel.isActive)
      try h.receive("+PONG\r\n")
      h.loop.advanceTime(by: .seconds(1))
      #expect(second.values == [.simpleString("PONG")])
      #expect(h.channel.isActive)
    }

    @Test("a reply with no command pending is a protocol error")
    func unexpectedReply() throws {
      let h = try Harness()
      try h.receive("+OK\r\n")
      #expect(!h.channel.isActive)
      #expect(h.closeReasons.map(\.kind) == [.protocolError])
    }

    @Test("malformed bytes close the connection and fail what is pending")
    func malformedBytes() throws {
      let h = try Harness(limits: .init(maxBulkLength: 8))
      let get = h.send([RedisCommand("GET", "k")])
      // The decoder's error reaches errorCaught; EmbeddedChannel may also rethrow it.
      _ = try? h.receive("$1000\r\n")
      guard case .connectionClosed(let reason)? = get.error else {
        Issue.record("expected connectionClosed, got \(String(describing: get.result))")
        return
      }
      #expect(reason.kind == .protocolError)
      #expect(!h.channel.isActive)
    }

    @Test("attributes are stripped from replies")
    func attributes() throws {
      let h = try Harness()
      let get = h.send([RedisCommand("GET", "k")])
      try h.receive("|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n")
      #expect(get.values == [.bulk("v")])
    }

    @Test("beyond maxInFlight commands fail fast with overloaded")
    func overloaded() throws {
      let h = try Harness(maxInFlight: 2)
      _ = h.send([RedisCommand("PING")])
      let two = h.send([RedisCommand("PING"), RedisCommand("PING")])
      #expect(two.error == .overloaded(limit: 2))
      _ = h.send([RedisCommand("PING")])
      #expect(h.handler.inFlightCount == 2)
    }

    @Test("an idle connection is health-checked with PING, and closed when PONG does not come")
    func healthCheck() throws {
      let h = try Harness()
      h.handler.startHealthCheck(interval: .seconds(1), timeout: .milliseconds(300))
      _ = try h.written()
      h.loop.advanceTime(by: .seconds(1))
      #expect(try h.written() == encoded(RedisCommand("PING")))
      try h.receive("+PONG\r\n")
      #expect(h.channel.isActive)
      // Traffic in the last interval: no PING.
      h.loop.advanceTime(by: .seconds(1))
      #expect(try h.written().isEmpty)
      // Idle again: PING, and no answer (a half-open socket).
      h.loop.advanceTime(by: .seconds(1))
      #expect(try h.written() == encoded(RedisCommand("PING")))
      h.loop.advanceTime(by: .milliseconds(301))
      #expect(!h.channel.isActive)
      #expect(h.closeReasons.map(\.kind) == [.healthCheckTimeout])
    }

    @Test("random bytes from the server never crash the handler, and every command completes")
    func fuzz() throws {
      var generator = SeededGenerator(seed: 31)
      let fragments = goldenCases.map { wire($0.wire) } + [wire("+OK\r\n"), wire(":1\r\n"), wire("$-1\r\n")]
      for _ in 0..<300 {
        let h = try Harness(limits: .init(maxBulkLength: 64, maxAggregateLength: 16, maxDepth: 8, maxLineLength: 64))
        let outcomes = (0..<3).map { _ in h.send([RedisCommand("GET", "k")]) }
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 1...6, using: &generator) {
          if Bool.random(using: &generator) {
            bytes += fragments.randomElement(using: &generator)!
          } else {
            bytes += (0..<Int.random(in: 1...12, using: &generator)).map { _ in
              UInt8.random(in: 0...255, using: &generator)
            }
          }
        }
        for chunk in randomChunks(bytes, using: &generator) where h.channel.isActive {
          let slice = Array(bytes.prefix(chunk))
          bytes.removeFirst(min(chunk, bytes.count))
          _ = try? h.channel.writeInbound(ByteBuffer(bytes: slice))
        }
        _ = try? h.channel.close().wait()
        #expect(outcomes.allSatisfy { $0.result != nil }, "every pending command completed")
      }
    }

    @Test("a closed peer fails everything pending")
    func peerClosed() throws {
      let h = try Harness()
      let get = h.send([RedisCommand("GET", "k")])
      h.channel.pipeline.fireChannelInactive()
      guard case .connectionClosed(let reason)? = get.error else {
        Issue.record("expected connectionClosed")
        return
      }
      #expect(reason.kind == .closedByPeer)
      #expect(h.closeReasons.count == 1)
    }
  }
#endif
