#if Redis
  import NIOCore

  /// One argument of a Redis command: raw bytes (keys and values are binary-safe).
  public struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    CustomStringConvertible
  {
    /// The argument as sent.
    public var bytes: [UInt8]

    /// An argument of raw bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }
    /// A string argument, as UTF-8.
    public init(_ string: String) { self.bytes = Array(string.utf8) }
    /// An integer argument, in decimal (as Redis expects numbers).
    public init<I: BinaryInteger>(_ integer: I) { self.bytes = Array(String(integer).utf8) }
    /// A string literal argument, as UTF-8.
    public init(stringLiteral value: String) { self.init(value) }
    /// An integer literal argument, in decimal.
    public init(integerLiteral value: Int) { self.init(value) }

    public var description: String { String(decoding: self.bytes, as: UTF8.self) }
  }

  /// A Redis command: its name and arguments, sent as a RESP array of bulk strings.
  public struct RedisCommand: Sendable, Hashable, CustomStringConvertible {
    /// The command name followed by its arguments.
    public var arguments: [RedisArgument]

    /// A command from its full argument list, name first.
    public init(_ arguments: [RedisArgument]) { self.arguments = arguments }

    /// The command `name` with `arguments`.
    public init(_ name: String, _ arguments: RedisArgument...) {
      self.arguments = [RedisArgument(name)] + arguments
    }

    /// The command `name` with `arguments`.
    public init(_ name: String, arguments: [RedisArgument]) {
      self.arguments = [RedisArgument(name)] + arguments
    }

    /// The command name in upper case ("" for an empty command).
    public var name: String { Self.upper(self.arguments.first) }

    /// The second word in upper case (for `CLIENT TRACKING`, `CLIENT REPLY`, ...).
    var subcommand: String { Self.upper(self.arguments.dropFirst().first) }

    private static func upper(_ argument: RedisArgument?) -> String {
      guard let argument else { return "" }
      return String(decoding: argument.bytes.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
    }

    /// Only the command name: arguments may be keys, values or passwords.
    public var description: String { self.name }

    /// Bytes of the encoded command, for sizing buffers.
    var encodedSizeEstimate: Int {
      self.arguments.reduce(16) { $0 + $1.bytes.count + 16 }
    }
  }

  /// Encodes commands (and, for tests and fakes, any `RESPValue`) into RESP bytes.
  public enum RESPEncoder {
    /// Writes `command` as `*<n>\r\n` followed by one `$<len>\r\n<bytes>\r\n` per argument.
    public static func encode(_ command: RedisCommand, into buffer: inout ByteBuffer) {
      Self.writeHeader(UInt8(ascii: "*"), command.arguments.count, into: &buffer)
      for argument in command.arguments {
        Self.writeHeader(UInt8(ascii: "$"), argument.bytes.count, into: &buffer)
        buffer.writeBytes(argument.bytes)
        buffer.writeStaticString("\r\n")
      }
    }

    /// Writes any RESP3 value in its canonical wire form.
    public static func encode(_ value: RESPValue, into buffer: inout ByteBuffer) {
      switch value {
      case .simpleString(let string):
        buffer.writeInteger(UInt8(ascii: "+"))
        buffer.writeString(string)
        buffer.writeStaticString("\r\n")
      case .simpleError(let string):
        buffer.writeInteger(UInt8(ascii: "-"))
        buffer.writeString(string)
        buffer.writeStaticString("\r\n")
      case .integer(let integer):
        buffer.writeInteger(UInt8(ascii: ":"))
        buffer.writeString(String(integer))
        buffer.writeStaticString("\r\n")
      case .bulkString(nil):
        buffer.writeStaticString("$-1\r\n")
      case .bulkString(.some(let bytes)):
        Self.writeHeader(UInt8(ascii: "$"), bytes.readableBytes, into: &buffer)
        buffer.writeImmutableBuffer(bytes)
        buffer.writeStaticString("\r\n")
      case .array(nil):
        buffer.writeStaticString("*-1\r\n")
      case .array(.some(let values)):
        Self.writeHeader(UInt8(ascii: "*"), values.count, into: &buffer)
        for element in values { Self.encode(element, into: &buffer) }
      case .null:
        buffer.writeStaticString("_\r\n")
      case .boolean(let flag):
        buffer.writeStaticString(flag ? "#t\r\n" : "#f\r\n")
      case .double(let double):
        buffer.writeInteger(UInt8(ascii: ","))
        if double.isNaN {
          buffer.writeStaticString("nan")
        } else if double.isInfinite {
          buffer.writeStaticString(double < 0 ? "-inf" : "inf")
        } else {
          buffer.writeString("\(double)")
        }
        buffer.writeStaticString("\r\n")
      case .bigNumber(let digits):
        buffer.writeInteger(UInt8(ascii: "("))
        buffer.writeString(digits)
        buffer.writeStaticString("\r\n")
      case .bulkError(let message):
        Self.writeHeader(UInt8(ascii: "!"), message.utf8.count, into: &buffer)
        buffer.writeString(message)
        buffer.writeStaticString("\r\n")
      case .verbatimString(let format, let text):
        let formatBytes =
          Array(format.utf8.prefix(3)) + Array(repeating: UInt8(ascii: " "), count: max(0, 3 - format.utf8.count))
        Self.writeHeader(UInt8(ascii: "="), 4 + text.readableBytes, into: &buffer)
        buffer.writeBytes(formatBytes)
        buffer.writeInteger(UInt8(ascii: ":"))
        buffer.writeImmutableBuffer(text)
        buffer.writeStaticString("\r\n")
      case .map(let entries):
        Self.writeHeader(UInt8(ascii: "%"), entries.count, into: &buffer)
        for entry in entries {
          Self.encode(entry.key, into: &buffer)
          Self.encode(entry.value, into: &buffer)
        }
      case .set(let values):
        Self.writeHeader(UInt8(ascii: "~"), values.count, into: &buffer)
        for element in values { Self.encode(element, into: &buffer) }
      case .attribute(let entries, let inner):
        Self.writeHeader(UInt8(ascii: "|"), entries.count, into: &buffer)
        for entry in entries {
          Self.encode(entry.key, into: &buffer)
          Self.encode(entry.value, into: &buffer)
        }
        Self.encode(inner, into: &buffer)
      case .push(let values):
        Self.writeHeader(UInt8(ascii: ">"), values.count, into: &buffer)
        for element in values { Self.encode(element, into: &buffer) }
      }
    }

    private static func writeHeader(_ type: UInt8, _ count: Int, into buffer: inout ByteBuffer) {
      buffer.writeInteger(type)
      buffer.writeString(String(count))
      buffer.writeStaticString("\r\n")
    }
  }
#endif
