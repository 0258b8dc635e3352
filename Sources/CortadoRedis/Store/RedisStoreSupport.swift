#if Redis

  /// Errors thrown by ``RedisStore`` itself. Errors of the connection (timeouts,
  /// lost connections, server errors) are thrown as `RedisClientError`.
  public enum RedisStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The store is not connected with invalidations flowing: the call failed at
    /// once, without being sent.
    case notConnected
    /// The server answered with a reply of a shape the store does not expect
    /// (the description names the command and the shape, never keys or values).
    case unexpectedReply(String)
    /// The client or the store cannot be used as configured.
    case invalidConfiguration(String)

    /// A readable description, for logs.
    public var description: String {
      switch self {
      case .notConnected: return "RedisStore: not connected"
      case .unexpectedReply(let what): return "RedisStore: unexpected reply: \(what)"
      case .invalidConfiguration(let why): return "RedisStore: invalid configuration: \(why)"
      }
    }
  }

  // MARK: - The pub/sub fallback message

  /// The message a ``RedisStore`` publishes in pub/sub fallback mode, in the same
  /// `MULTI`/`EXEC` as the write it announces.
  ///
  /// Layout (binary; varints are unsigned LEB128):
  ///
  /// | Offset | Size | Field |
  /// |---|---|---|
  /// | 0 | 2 | magic `"CI"` (`0x43 0x49`) |
  /// | 2 | 1 | version (1) |
  /// | 3 | 1 | operation: 1 = keys changed, 2 = everything changed |
  /// | 4 | 16 | instance id of the writer (a receiver ignores its own messages) |
  /// | 20 | varint | key count (operation 1) |
  /// | | varint + n | per key: length, UTF-8 bytes |
  ///
  /// No values and no timestamps travel in the message: a receiver only drops
  /// the keys and reads Redis again when it needs them.
  package enum RedisInvalidationMessage: Equatable {
    case keys(instance: [UInt8], keys: [String])
    case all(instance: [UInt8])

    static let magic: [UInt8] = [0x43, 0x49]
    static let version: UInt8 = 1
    static let instanceIDSize = 16
    /// Keys per message at most when decoding (a hostile count cannot reserve memory).
    static let maximumKeys = 1 << 20

    var instance: [UInt8] {
      switch self {
      case .keys(let instance, _), .all(let instance): return instance
      }
    }

    package func encoded() -> [UInt8] {
      var bytes = Self.magic
      bytes.append(Self.version)
      switch self {
      case .keys(let instance, let keys):
        bytes.append(1)
        bytes.append(contentsOf: instance)
        Self.appendVarint(UInt64(keys.count), to: &bytes)
        for key in keys {
          let utf8 = Array(key.utf8)
          Self.appendVarint(UInt64(utf8.count), to: &bytes)
          bytes.append(contentsOf: utf8)
        }
      case .all(let instance):
        bytes.append(2)
        bytes.append(contentsOf: instance)
      }
      return bytes
    }

    /// The message in `bytes`, or nil when they are not a readable message of
    /// this version. Never traps.
    package static func decode(_ bytes: [UInt8]) -> RedisInvalidationMessage? {
      let header = 4 + instanceIDSize
      guard bytes.count >= header, bytes[0] == magic[0], bytes[1] == magic[1], bytes[2] == version else { return nil }
      let instance = Array(bytes[4..<header])
      var offset = header
      switch bytes[3] {
      case 1:
        guard let count = readVarint(bytes, &offset), count <= UInt64(maximumKeys) else { return nil }
        var keys: [String] = []
        keys.reserveCapacity(Int(min(count, 1024)))
        for _ in 0..<count {
          guard let length = readVarint(bytes, &offset), length <= UInt64(bytes.count - offset) else { return nil }
          let end = offset + Int(length)
          let slice = bytes[offset..<end]
          let key = String(decoding: slice, as: UTF8.self)
          // Invalid UTF-8 cannot come from a writer of this library.
          guard key.utf8.elementsEqual(slice) else { return nil }
          keys.append(key)
          offset = end
        }
        guard offset == bytes.count else { return nil }
        return .keys(instance: instance, keys: keys)
      case 2:
        guard offset == bytes.count else { return nil }
        return .all(instance: instance)
      default:
        return nil
      }
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
      var value = value
      while value >= 0x80 {
        bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
        value >>= 7
      }
      bytes.append(UInt8(value))
    }

    static func readVarint(_ bytes: [UInt8], _ offset: inout Int) -> UInt64? {
      var result: UInt64 = 0
      var shift: UInt64 = 0
      while offset < bytes.count {
        let byte = bytes[offset]
        offset += 1
        if shift == 63 && byte > 1 { return nil }
        result |= UInt64(byte & 0x7F) << shift
        if byte & 0x80 == 0 { return result }
        shift += 7
        if shift > 63 { return nil }
      }
      return nil
    }
  }

  // MARK: - The compare-and-set script

  enum RedisStoreScript {
    /// `setIfNotNewer`: writes unless the stored value is an envelope (magic
    /// `0xC0 0xDA`, at least 12 bytes) whose creation time (signed little-endian
    /// 64-bit at byte offset 4; Lua is 1-based, hence 5) is greater than ARGV[3].
    ///
    /// `redis.pcall`: a key holding another type (a list, say) is "not an
    /// envelope", so it is overwritten like any other non-envelope value instead
    /// of failing the replay forever. In pub/sub mode ARGV[4] and ARGV[5] are the
    /// channel and the message, published only when the script wrote.
    ///
    /// `struct.unpack('<i8', …)` was checked on Redis 7.0.15, including negative
    /// times; Lua numbers are doubles, exact for millisecond timestamps.
    static let setIfNotNewer = """
      local old = redis.pcall('GET', KEYS[1])
      if type(old) == 'string' and #old >= 12 and string.byte(old, 1) == 0xC0 and string.byte(old, 2) == 0xDA then
        if struct.unpack('<i8', old, 5) > tonumber(ARGV[3]) then return 0 end
      end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      if ARGV[4] then redis.call('PUBLISH', ARGV[4], ARGV[5]) end
      return 1
      """

    /// `setKeepingTimeToLive`: `SET … KEEPTTL` when the key has a lifetime
    /// (`PTTL` > 0), otherwise `SET … PX ARGV[2]`, so that a key never ends
    /// up without expiry (`PTTL` is -1 for a key without one, -2 for none).
    /// Returns the key's lifetime in milliseconds afterwards. In pub/sub mode
    /// ARGV[3] and ARGV[4] are the channel and the message.
    static let setKeepingTimeToLive = """
      local remaining = redis.call('PTTL', KEYS[1])
      if remaining > 0 then
        redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
      else
        remaining = tonumber(ARGV[2])
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      end
      if ARGV[3] then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
      return remaining
      """
  }

  // MARK: - Time

  extension Duration {
    /// Whole milliseconds for `PX`, rounded up, at least 1, at most 10^15 (about
    /// 31,000 years; Redis refuses expiry times that overflow when added to now).
    var redisStoreMilliseconds: Int64 {
      let (seconds, attoseconds) = self.components
      let cap: Int64 = 1_000_000_000_000_000
      if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 1 }
      if seconds >= cap / 1_000 { return cap }
      let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
      var milliseconds = seconds * 1_000 + attoseconds / attosecondsPerMillisecond
      if attoseconds % attosecondsPerMillisecond != 0 { milliseconds += 1 }
      return max(1, min(milliseconds, cap))
    }
  }
#endif
