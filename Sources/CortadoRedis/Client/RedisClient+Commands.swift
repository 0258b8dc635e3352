#if Redis
  import NIOCore

  /// A value read together with its remaining time to live.
  public struct RedisEntry: Sendable, Hashable {
    /// The value, as stored (binary-safe).
    public var value: [UInt8]
    /// Milliseconds left (`PTTL`), or nil when the key has no expiry.
    public var ttlMilliseconds: Int64?
  }

  /// The condition of `SET`.
  public enum RedisSetCondition: Sendable, Hashable {
    /// Unconditionally (plain `SET`).
    case always
    /// `NX`: only if the key does not exist.
    case ifNotExists
    /// `XX`: only if the key exists.
    case ifExists
  }

  extension RedisClient {
    /// `GET key`: the value, or nil when the key does not exist.
    public func get(_ key: String, timeout: Duration? = nil) async throws -> [UInt8]? {
      let reply = try Self.throwingError(
        try await self.execute([RedisCommand("GET", RedisArgument(key))], timeout: timeout)[0])
      return try Self.optionalBytes(reply, "GET")
    }

    /// `GET key` and `PTTL key`, pipelined in one write: the value and its remaining
    /// TTL, or nil when the key does not exist. Not atomic; a write landing between
    /// the two is announced by an invalidation push on the same connection.
    public func getWithTTL(_ key: String, timeout: Duration? = nil) async throws -> RedisEntry? {
      let replies = try await self.execute(
        [RedisCommand("GET", RedisArgument(key)), RedisCommand("PTTL", RedisArgument(key))],
        timeout: timeout
      )
      guard let value = try Self.optionalBytes(try Self.throwingError(replies[0]), "GET") else { return nil }
      guard let ttl = try Self.throwingError(replies[1]).int64 else {
        throw RedisClientError.unexpectedReply("PTTL: \(replies[1])")
      }
      if ttl == -2 { return nil }  // expired between GET and PTTL
      return RedisEntry(value: value, ttlMilliseconds: ttl >= 0 ? ttl : nil)
    }

    /// `MGET keys...`: one optional value per key, in order.
    public func mget(_ keys: [String], timeout: Duration? = nil) async throws -> [[UInt8]?] {
      guard !keys.isEmpty else { return [] }
      let reply = try Self.throwingError(
        try await self.execute([RedisCommand("MGET", arguments: keys.map { RedisArgument($0) })], timeout: timeout)[0]
      )
      guard let elements = reply.elements, elements.count == keys.count else {
        throw RedisClientError.unexpectedReply("MGET: \(reply)")
      }
      return try elements.map { try Self.optionalBytes($0, "MGET") }
    }

    /// `SET key value [PX ttl] [NX|XX]`. Returns false when the condition was not met.
    @discardableResult
    public func set(
      _ key: String,
      value: [UInt8],
      ttlMilliseconds: Int64? = nil,
      condition: RedisSetCondition = .always,
      timeout: Duration? = nil
    ) async throws -> Bool {
      let reply = try Self.throwingError(
        try await self.execute(
          [Self.setCommand(key, value: value, ttlMilliseconds: ttlMilliseconds, condition: condition)], timeout: timeout
        )[0]
      )
      return !reply.isNull
    }

    /// The `SET` command as `set` sends it (for `transaction` and `pipeline`).
    public static func setCommand(
      _ key: String,
      value: [UInt8],
      ttlMilliseconds: Int64? = nil,
      condition: RedisSetCondition = .always
    ) -> RedisCommand {
      var command = RedisCommand("SET", RedisArgument(key), RedisArgument(bytes: value))
      if let ttlMilliseconds { command.arguments += ["PX", RedisArgument(max(1, ttlMilliseconds))] }
      switch condition {
      case .always: break
      case .ifNotExists: command.arguments.append("NX")
      case .ifExists: command.arguments.append("XX")
      }
      return command
    }

    /// `PTTL key`: milliseconds left, -1 when the key has no expiry, -2 when it does not exist.
    public func pttl(_ key: String, timeout: Duration? = nil) async throws -> Int64 {
      let reply = try Self.throwingError(
        try await self.execute([RedisCommand("PTTL", RedisArgument(key))], timeout: timeout)[0])
      guard let ttl = reply.int64 else { throw RedisClientError.unexpectedReply("PTTL: \(reply)") }
      return ttl
    }

    /// `DEL keys...`: the number of keys removed.
    @discardableResult
    public func del(_ keys: [String], timeout: Duration? = nil) async throws -> Int {
      try await self.integerCommand("DEL", keys, timeout: timeout)
    }

    /// `UNLINK keys...` (DEL with the memory freed in the background).
    @discardableResult
    public func unlink(_ keys: [String], timeout: Duration? = nil) async throws -> Int {
      try await self.integerCommand("UNLINK", keys, timeout: timeout)
    }

    /// `PING`.
    public func ping(timeout: Duration? = nil) async throws {
      let reply = try Self.throwingError(try await self.execute([RedisCommand("PING")], timeout: timeout)[0])
      guard reply.string == "PONG" else { throw RedisClientError.unexpectedReply("PING: \(reply)") }
    }

    /// `PUBLISH channel message`: the number of subscribers that received it.
    @discardableResult
    public func publish(channel: String, message: [UInt8], timeout: Duration? = nil) async throws -> Int {
      let reply = try Self.throwingError(
        try await self.execute(
          [RedisCommand("PUBLISH", RedisArgument(channel), RedisArgument(bytes: message))],
          timeout: timeout
        )[0]
      )
      guard let count = reply.int64 else { throw RedisClientError.unexpectedReply("PUBLISH: \(reply)") }
      return Int(count)
    }

    private func integerCommand(_ name: String, _ keys: [String], timeout: Duration?) async throws -> Int {
      guard !keys.isEmpty else { return 0 }
      let reply = try Self.throwingError(
        try await self.execute([RedisCommand(name, arguments: keys.map { RedisArgument($0) })], timeout: timeout)[0]
      )
      guard let count = reply.int64 else { throw RedisClientError.unexpectedReply("\(name): \(reply)") }
      return Int(count)
    }

    private static func optionalBytes(_ reply: RESPValue, _ command: String) throws -> [UInt8]? {
      if reply.isNull { return nil }
      guard case .bulkString(.some(let buffer)) = reply.withoutAttributes else {
        if let bytes = reply.bytes { return bytes }
        throw RedisClientError.unexpectedReply("\(command): \(reply)")
      }
      return Array(buffer.readableBytesView)
    }
  }
#endif
