#if Redis
  import NIOCore

  /// One RESP3 (or RESP2) protocol value.
  ///
  /// Bulk payloads are kept as `ByteBuffer` slices of the receive buffer (no copy).
  /// Line-based payloads (simple strings, errors, big numbers) are decoded as UTF-8;
  /// invalid UTF-8 is repaired with U+FFFD rather than rejected, so nothing the
  /// server sends can trap.
  public enum RESPValue: Sendable, Equatable {
    /// `+OK\r\n`
    case simpleString(String)
    /// `-ERR message\r\n`
    case simpleError(String)
    /// `:42\r\n`
    case integer(Int64)
    /// `$3\r\nfoo\r\n`; `nil` is the RESP2 null bulk string `$-1\r\n`.
    case bulkString(ByteBuffer?)
    /// `*2\r\n...`; `nil` is the RESP2 null array `*-1\r\n`.
    case array([RESPValue]?)
    /// `_\r\n`
    case null
    /// `#t\r\n` / `#f\r\n`
    case boolean(Bool)
    /// `,1.5\r\n`, `,inf\r\n`, `,-inf\r\n`, `,nan\r\n`
    case double(Double)
    /// `(3492890328409238509324850943850943825024385\r\n`, kept as its decimal text.
    case bigNumber(String)
    /// `!21\r\nSYNTAX invalid syntax\r\n`
    case bulkError(String)
    /// `=15\r\ntxt:Some string\r\n`: a three-character format and the text.
    case verbatimString(format: String, text: ByteBuffer)
    /// `%2\r\n...`: key/value pairs in wire order (keys may repeat on a hostile wire).
    case map([RESPMapEntry])
    /// `~2\r\n...`
    case set([RESPValue])
    /// `|1\r\n...` followed by the value the attributes describe.
    indirect case attribute([RESPMapEntry], RESPValue)
    /// `>2\r\n...`: out-of-band data (invalidations, pub/sub messages). Never a reply.
    case push([RESPValue])
  }

  /// One key/value pair of a RESP3 map or attribute.
  public struct RESPMapEntry: Sendable, Equatable {
    /// The key.
    public var key: RESPValue
    /// The value.
    public var value: RESPValue

    /// A pair of `key` and `value`.
    public init(key: RESPValue, value: RESPValue) {
      self.key = key
      self.value = value
    }
  }

  extension RESPValue {
    /// A bulk string made from UTF-8 text (convenience for tests and fakes).
    public static func bulk(_ string: String) -> RESPValue {
      .bulkString(ByteBuffer(string: string))
    }

    /// A bulk string made from bytes.
    public static func bulk(bytes: [UInt8]) -> RESPValue {
      .bulkString(ByteBuffer(bytes: bytes))
    }

    /// The value with any attribute wrapper removed.
    public var withoutAttributes: RESPValue {
      var value = self
      while case .attribute(_, let inner) = value { value = inner }
      return value
    }

    /// True for `_`, `$-1` and `*-1`.
    public var isNull: Bool {
      switch self.withoutAttributes {
      case .null, .bulkString(nil), .array(nil): return true
      default: return false
      }
    }

    /// The message of an error reply (`-` or `!`), nil for any other value.
    public var errorMessage: String? {
      switch self.withoutAttributes {
      case .simpleError(let message), .bulkError(let message): return message
      default: return nil
      }
    }

    /// The bytes of a bulk, simple or verbatim string; nil otherwise.
    public var bytes: [UInt8]? {
      switch self.withoutAttributes {
      case .bulkString(.some(let buffer)): return Array(buffer.readableBytesView)
      case .simpleString(let string): return Array(string.utf8)
      case .verbatimString(_, let text): return Array(text.readableBytesView)
      default: return nil
      }
    }

    /// The text of a bulk, simple or verbatim string, or the digits of an integer or
    /// big number (lossy UTF-8); nil otherwise.
    public var string: String? {
      switch self.withoutAttributes {
      case .bulkString(.some(let buffer)): return String(decoding: buffer.readableBytesView, as: UTF8.self)
      case .simpleString(let string), .bigNumber(let string): return string
      case .verbatimString(_, let text): return String(decoding: text.readableBytesView, as: UTF8.self)
      case .integer(let value): return String(value)
      default: return nil
      }
    }

    /// The value of an integer reply, or of a string holding a decimal integer.
    public var int64: Int64? {
      switch self.withoutAttributes {
      case .integer(let value): return value
      case .bulkString(.some), .simpleString: return self.string.flatMap { Int64($0) }
      default: return nil
      }
    }

    /// The elements of an array, set or push.
    public var elements: [RESPValue]? {
      switch self.withoutAttributes {
      case .array(.some(let values)), .set(let values), .push(let values): return values
      default: return nil
      }
    }

    /// The entries of a map. A flat array of even length (the RESP2 shape of a
    /// map reply) is read as pairs too.
    public var mapEntries: [RESPMapEntry]? {
      switch self.withoutAttributes {
      case .map(let entries): return entries
      case .array(.some(let values)) where values.count % 2 == 0:
        return stride(from: 0, to: values.count, by: 2).map { RESPMapEntry(key: values[$0], value: values[$0 + 1]) }
      default: return nil
      }
    }

    /// Looks up a map entry by a string key.
    public func mapValue(forKey key: String) -> RESPValue? {
      self.mapEntries?.first(where: { $0.key.string == key })?.value
    }
  }

  extension RESPValue: CustomStringConvertible {
    /// A short human-readable rendering. Aggregates nested deeper than
    /// ``describedDepth`` levels print as `…`: a description is for people, and
    /// describing every level of the deepest reply the decoder accepts would
    /// need more stack than a secondary thread may have.
    public var description: String {
      var text = ""
      self.describe(into: &text, depth: 0)
      return text
    }

    /// The deepest nesting ``description`` spells out.
    public static let describedDepth = 32

    private func describe(into text: inout String, depth: Int) {
      switch self {
      case .simpleString(let s): text += "+\(s)"
      case .simpleError(let s): text += "-\(s)"
      case .integer(let i): text += ":\(i)"
      case .bulkString(nil): text += "$nil"
      case .bulkString(.some(let b)):
        text +=
          b.readableBytes <= 64
          ? "\"\(String(decoding: b.readableBytesView, as: UTF8.self))\""
          : "<\(b.readableBytes) bytes>"
      case .array(nil): text += "*nil"
      case .array(.some(let values)): Self.describe(values, "[", "]", into: &text, depth: depth)
      case .null: text += "null"
      case .boolean(let b): text += b ? "#t" : "#f"
      case .double(let d): text += ",\(d)"
      case .bigNumber(let s): text += "(\(s)"
      case .bulkError(let s): text += "!\(s)"
      case .verbatimString(let format, let text2):
        text += "=\(format):\(String(decoding: text2.readableBytesView, as: UTF8.self))"
      case .map(let entries): Self.describe(entries, "{", "}", into: &text, depth: depth)
      case .set(let values): Self.describe(values, "~[", "]", into: &text, depth: depth)
      case .attribute(let entries, let value):
        Self.describe(entries, "|{", "} ", into: &text, depth: depth)
        if depth >= Self.describedDepth { text += "…" } else { value.describe(into: &text, depth: depth + 1) }
      case .push(let values): Self.describe(values, ">[", "]", into: &text, depth: depth)
      }
    }

    private static func describe(
      _ values: [RESPValue], _ open: String, _ close: String, into text: inout String, depth: Int
    ) {
      text += open
      if depth >= describedDepth {
        if !values.isEmpty { text += "…" }
      } else {
        for (index, value) in values.enumerated() {
          if index > 0 { text += ", " }
          value.describe(into: &text, depth: depth + 1)
        }
      }
      text += close
    }

    private static func describe(
      _ entries: [RESPMapEntry], _ open: String, _ close: String, into text: inout String, depth: Int
    ) {
      text += open
      if depth >= describedDepth {
        if !entries.isEmpty { text += "…" }
      } else {
        for (index, entry) in entries.enumerated() {
          if index > 0 { text += ", " }
          entry.key.describe(into: &text, depth: depth + 1)
          text += ": "
          entry.value.describe(into: &text, depth: depth + 1)
        }
      }
      text += close
    }
  }
#endif
