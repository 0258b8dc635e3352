#if Redis
  import NIOCore

  /// An incremental RESP3 decoder (it also accepts the RESP2 subset, including the
  /// RESP2 nulls `$-1` and `*-1`).
  ///
  /// `decode(_:)` returns the next complete top-level value, or `nil` when more bytes
  /// are needed. It is *resumable*: scalars are only consumed once they are complete,
  /// and the elements of a partly received aggregate are kept in an explicit stack
  /// (not on the call stack), so a large aggregate arriving in many reads is parsed
  /// once, not re-parsed from its start on every read, and deep nesting cannot
  /// overflow the call stack.
  ///
  /// Malformed or oversized input throws a precise ``RESPError``; nothing traps on
  /// input (no force unwraps, no `fatalError`, checked arithmetic on lengths). After
  /// an error the decoder keeps failing with the same error: the stream is unusable
  /// and its connection must be closed.
  ///
  /// A push frame found inside an array, set or map is returned on its own, as the
  /// next top-level value, and not counted as an element: pushes are out-of-band,
  /// and Redis before 7.2 may write one into the middle of a reply (see
  /// `decodeValue`). The interrupted reply is returned once it is complete.
  ///
  /// Not supported (Redis never sends them): RESP3 streamed strings and aggregates
  /// (`$?`, `*?` …), which fail with ``RESPError/streamedValuesUnsupported``.
  public struct RESPDecoder: Sendable {
    /// Bounds on what one reply may announce. All are checked *before* memory is
    /// reserved, so a hostile length header cannot make the client allocate.
    public struct Limits: Sendable, Hashable {
      /// Largest bulk string / bulk error / verbatim string, in bytes.
      public var maxBulkLength: Int
      /// Most elements in one array, set or push; most pairs in one map or attribute.
      public var maxAggregateLength: Int
      /// Deepest nesting of aggregates (a flat array has depth 1).
      public var maxDepth: Int
      /// Longest line of a line-based value (simple string, error, number, header).
      public var maxLineLength: Int

      /// Limits with the given bounds. Each is clamped to a safe range: values
      /// below a sane minimum are raised to it, and values above the largest
      /// safe one (``largestBulkLength``, ``largestAggregateLength``,
      /// ``largestDepth``, ``largestLineLength``) are lowered to it, so that
      /// "no limit" (`.max`) is a valid choice that can never crash the client.
      public init(
        maxBulkLength: Int = 64 * 1024 * 1024,
        maxAggregateLength: Int = 1024 * 1024,
        maxDepth: Int = 64,
        maxLineLength: Int = 64 * 1024
      ) {
        self.maxBulkLength = min(max(0, maxBulkLength), Self.largestBulkLength)
        self.maxAggregateLength = min(max(0, maxAggregateLength), Self.largestAggregateLength)
        self.maxDepth = min(max(1, maxDepth), Self.largestDepth)
        self.maxLineLength = min(max(32, maxLineLength), Self.largestLineLength)
      }

      /// The largest bulk length a decoder accepts (4 GiB): Redis itself
      /// caps a bulk string at 512 MiB by default, and the reply's total
      /// length (header, payload, CRLF) must never overflow.
      public static let largestBulkLength = 1 << 32

      /// The most elements one aggregate may announce (2^32): a map's
      /// element count (twice its pairs) must never overflow.
      public static let largestAggregateLength = 1 << 32

      /// The deepest nesting a decoder accepts (512). Decoding is iterative,
      /// but *releasing* a decoded value, comparing it or describing it
      /// recurses once per level: 512 levels stay well within a 512 KiB
      /// thread stack (the smallest a platform gives a secondary thread), as
      /// a test checks. Redis replies nest a handful of levels.
      public static let largestDepth = 512

      /// The longest line a decoder accepts (1 GiB): the scan for its CRLF
      /// adds two to the limit, which must never overflow.
      public static let largestLineLength = 1 << 30
    }

    /// The limits this decoder enforces.
    public let limits: Limits
    private var stack: [Frame] = []
    private var failure: RESPError?

    /// A decoder that rejects input beyond `limits`.
    public init(limits: Limits = Limits()) {
      self.limits = limits
    }

    /// True when no aggregate is partly decoded.
    public var isAtValueBoundary: Bool { self.stack.isEmpty }

    /// Decodes the next complete top-level value from `buffer`, consuming its bytes.
    /// Returns `nil` when `buffer` ends before the value does; call again with the
    /// same (grown) buffer. Bytes of completed nested elements may already have been
    /// consumed in that case; they are remembered by the decoder.
    public mutating func decode(_ buffer: inout ByteBuffer) throws(RESPError) -> RESPValue? {
      if let failure = self.failure { throw failure }
      do {
        return try self.decodeValue(&buffer)
      } catch {
        self.failure = error
        self.stack.removeAll()
        throw error
      }
    }

    // MARK: - Internals

    private enum Kind: Sendable {
      case array, set, push, map, attribute
      /// The value after an attribute; it gets wrapped in `.attribute`.
      case attributed([RESPMapEntry])
    }

    private struct Frame: Sendable {
      var kind: Kind
      var remaining: Int
      var elements: [RESPValue]
    }

    private enum Token {
      case value(RESPValue)
      case aggregate(Kind, count: Int)
    }

    private mutating func decodeValue(_ buffer: inout ByteBuffer) throws(RESPError) -> RESPValue? {
      while true {
        guard let token = try self.nextToken(&buffer) else { return nil }
        var completed: RESPValue
        switch token {
        case .value(let value):
          completed = value
        case .aggregate(let kind, let count):
          guard self.stack.count < self.limits.maxDepth else {
            throw .nestingTooDeep(limit: self.limits.maxDepth)
          }
          let elementCount: Int
          switch kind {
          case .map, .attribute: elementCount = count * 2  // count <= maxAggregateLength: no overflow
          default: elementCount = count
          }
          if elementCount == 0 {
            if case .attribute = kind {
              self.stack.append(Frame(kind: .attributed([]), remaining: 1, elements: []))
              continue
            }
            completed = Self.makeAggregate(kind, [])
          } else {
            var elements: [RESPValue] = []
            // Reserve only a bounded amount up front: the count is untrusted.
            elements.reserveCapacity(min(elementCount, 1024))
            self.stack.append(Frame(kind: kind, remaining: elementCount, elements: elements))
            continue
          }
        }
        // Fold the completed value into the enclosing aggregates.
        while !self.stack.isEmpty {
          let top = self.stack.count - 1
          if case .push = completed, Self.isReplyAggregate(self.stack[top].kind) {
            // A push is out-of-band data, never an element of a reply: deliver
            // it now, and go on with the reply it interrupted. (Redis before
            // 7.2 writes pushes it generates for the connection itself into
            // the middle of a reply, e.g. the message of a PUBLISH to a
            // channel the connection subscribed, inside EXEC's array.)
            return completed
          }
          self.stack[top].elements.append(completed)
          self.stack[top].remaining -= 1
          if self.stack[top].remaining > 0 { break }
          let frame = self.stack.removeLast()
          if case .attribute = frame.kind {
            // The attribute is complete; now the value it describes follows,
            // at the same depth.
            self.stack.append(Frame(kind: .attributed(Self.pairs(frame.elements)), remaining: 1, elements: []))
            break
          }
          completed = Self.makeAggregate(frame.kind, frame.elements)
          if self.stack.isEmpty { return completed }
        }
        if self.stack.isEmpty { return completed }
      }
    }

    /// Arrays, sets and maps: aggregates a push can interrupt (see `decodeValue`).
    private static func isReplyAggregate(_ kind: Kind) -> Bool {
      switch kind {
      case .array, .set, .map: return true
      case .push, .attribute, .attributed: return false
      }
    }

    private static func pairs(_ elements: [RESPValue]) -> [RESPMapEntry] {
      var entries: [RESPMapEntry] = []
      entries.reserveCapacity(elements.count / 2)
      var index = 0
      while index + 1 < elements.count {
        entries.append(RESPMapEntry(key: elements[index], value: elements[index + 1]))
        index += 2
      }
      return entries
    }

    private static func makeAggregate(_ kind: Kind, _ elements: [RESPValue]) -> RESPValue {
      switch kind {
      case .array: return .array(elements)
      case .set: return .set(elements)
      case .push: return .push(elements)
      case .map: return .map(Self.pairs(elements))
      case .attribute: return .map(Self.pairs(elements))  // not reached: attributes wrap the next value
      case .attributed(let attributes): return .attribute(attributes, elements.first ?? .null)
      }
    }

    /// What the byte-level scan found at the reader index.
    private enum Scan {
      case line(RESPValue, consumed: Int)
      case bulk(type: UInt8, headerLength: Int, length: Int)
      case nullValue(RESPValue, consumed: Int)
      case aggregate(Kind, count: Int, consumed: Int)
    }

    private func nextToken(_ buffer: inout ByteBuffer) throws(RESPError) -> Token? {
      let limits = self.limits
      let scan: Scan? = try buffer.withUnsafeReadableBytes {
        (bytes: UnsafeRawBufferPointer) throws(RESPError) -> Scan? in
        guard let type = bytes.first else { return nil }
        guard let lineLength = try Self.lineLength(bytes, maxLineLength: limits.maxLineLength) else {
          // Reject an unknown type byte at once instead of waiting for a line.
          if !Self.isKnownType(type) { throw .invalidTypeByte(type) }
          return nil
        }
        let content = UnsafeRawBufferPointer(rebasing: bytes[1..<(1 + lineLength)])
        let consumed = lineLength + 3
        switch type {
        case UInt8(ascii: "+"):
          return .line(.simpleString(String(decoding: content, as: UTF8.self)), consumed: consumed)
        case UInt8(ascii: "-"):
          return .line(.simpleError(String(decoding: content, as: UTF8.self)), consumed: consumed)
        case UInt8(ascii: ":"):
          return .line(.integer(try Self.parseInteger(content)), consumed: consumed)
        case UInt8(ascii: "_"):
          guard content.isEmpty else { throw .invalidNull }
          return .line(.null, consumed: consumed)
        case UInt8(ascii: "#"):
          guard content.count == 1 else { throw .invalidBoolean }
          switch content[0] {
          case UInt8(ascii: "t"): return .line(.boolean(true), consumed: consumed)
          case UInt8(ascii: "f"): return .line(.boolean(false), consumed: consumed)
          default: throw .invalidBoolean
          }
        case UInt8(ascii: ","):
          return .line(.double(try Self.parseDouble(content)), consumed: consumed)
        case UInt8(ascii: "("):
          return .line(.bigNumber(try Self.parseBigNumber(content)), consumed: consumed)
        case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
          guard let length = try Self.parseLength(content, allowNull: type == UInt8(ascii: "$")) else {
            return .nullValue(.bulkString(nil), consumed: consumed)
          }
          guard length <= limits.maxBulkLength else {
            throw .bulkTooLarge(length: length, limit: limits.maxBulkLength)
          }
          return .bulk(type: type, headerLength: consumed, length: length)
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "|"):
          guard let count = try Self.parseLength(content, allowNull: type == UInt8(ascii: "*")) else {
            return .nullValue(.array(nil), consumed: consumed)
          }
          guard count <= limits.maxAggregateLength else {
            throw .aggregateTooLarge(count: count, limit: limits.maxAggregateLength)
          }
          let kind: Kind
          switch type {
          case UInt8(ascii: "*"): kind = .array
          case UInt8(ascii: "~"): kind = .set
          case UInt8(ascii: ">"): kind = .push
          case UInt8(ascii: "%"): kind = .map
          default: kind = .attribute
          }
          return .aggregate(kind, count: count, consumed: consumed)
        default:
          throw .invalidTypeByte(type)
        }
      }
      guard let scan else { return nil }
      switch scan {
      case .line(let value, let consumed), .nullValue(let value, let consumed):
        buffer.moveReaderIndex(forwardBy: consumed)
        return .value(value)
      case .aggregate(let kind, let count, let consumed):
        buffer.moveReaderIndex(forwardBy: consumed)
        return .aggregate(kind, count: count)
      case .bulk(let type, let headerLength, let length):
        // headerLength <= maxLineLength + 3 and length <= maxBulkLength: no overflow.
        let total = headerLength + length + 2
        guard buffer.readableBytes >= total else { return nil }
        let start = buffer.readerIndex
        guard buffer.getInteger(at: start + headerLength + length, as: UInt8.self) == UInt8(ascii: "\r"),
          buffer.getInteger(at: start + headerLength + length + 1, as: UInt8.self) == UInt8(ascii: "\n"),
          let payload = buffer.getSlice(at: start + headerLength, length: length)
        else { throw .missingCRLF }
        let value: RESPValue
        switch type {
        case UInt8(ascii: "$"):
          value = .bulkString(payload)
        case UInt8(ascii: "!"):
          value = .bulkError(String(decoding: payload.readableBytesView, as: UTF8.self))
        default:
          // Verbatim: "xxx:" then the text.
          guard length >= 4, payload.getInteger(at: payload.readerIndex + 3, as: UInt8.self) == UInt8(ascii: ":"),
            let format = payload.getSlice(at: payload.readerIndex, length: 3),
            let text = payload.getSlice(at: payload.readerIndex + 4, length: length - 4)
          else { throw .invalidVerbatimString }
          value = .verbatimString(format: String(decoding: format.readableBytesView, as: UTF8.self), text: text)
        }
        buffer.moveReaderIndex(forwardBy: total)
        return .value(value)
      }
    }

    private static func isKnownType(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "#"),
        UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="),
        UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "|"):
        return true
      default:
        return false
      }
    }

    /// The length of the line after the type byte, excluding CRLF; nil if the CRLF has
    /// not arrived yet. A bare CR or LF inside the line is an error.
    private static func lineLength(_ bytes: UnsafeRawBufferPointer, maxLineLength: Int) throws(RESPError) -> Int? {
      let scanEnd = min(bytes.count, 1 + maxLineLength + 1)
      var index = 1
      while index < scanEnd {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\r") {
          guard index + 1 < bytes.count else { return nil }
          guard bytes[index + 1] == UInt8(ascii: "\n") else { throw .missingCRLF }
          return index - 1
        }
        if byte == UInt8(ascii: "\n") { throw .missingCRLF }
        index += 1
      }
      if bytes.count - 1 > maxLineLength { throw .lineTooLong(limit: maxLineLength) }
      return nil
    }

    /// A length header: decimal digits, or `-1` (→ nil) where `allowNull`.
    private static func parseLength(_ content: UnsafeRawBufferPointer, allowNull: Bool) throws(RESPError) -> Int? {
      if content.count == 1 && content[0] == UInt8(ascii: "?") { throw .streamedValuesUnsupported }
      if content.count == 2 && content[0] == UInt8(ascii: "-") && content[1] == UInt8(ascii: "1") {
        if allowNull { return nil }
        throw .invalidLength
      }
      guard !content.isEmpty, content.count <= 18 else { throw .invalidLength }
      var value = 0
      for byte in content {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalidLength }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))  // <= 18 digits: cannot overflow
      }
      return value
    }

    private static func parseInteger(_ content: UnsafeRawBufferPointer) throws(RESPError) -> Int64 {
      var index = 0
      var negative = false
      if let first = content.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
        negative = first == UInt8(ascii: "-")
        index = 1
      }
      guard index < content.count else { throw .invalidInteger }
      // Accumulate as a negative number so that Int64.min parses.
      var value: Int64 = 0
      while index < content.count {
        let byte = content[index]
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalidInteger }
        let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (next, overflow2) = times10.subtractingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
        guard !overflow1, !overflow2 else { throw .invalidInteger }
        value = next
        index += 1
      }
      if negative { return value }
      guard value != .min else { throw .invalidInteger }
      return -value
    }

    private static func parseDouble(_ content: UnsafeRawBufferPointer) throws(RESPError) -> Double {
      let text = String(decoding: content, as: UTF8.self)
      switch text {
      case "inf", "+inf": return .infinity
      case "-inf": return -.infinity
      case "nan", "-nan", "+nan": return .nan
      default: break
      }
      // Only plain decimal notation; Double(String) would also take hex floats and
      // words such as "infinity".
      guard !content.isEmpty, content.contains(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
        content.allSatisfy({ byte in
          (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-")
        }),
        let value = Double(text)
      else { throw .invalidDouble }
      return value
    }

    private static func parseBigNumber(_ content: UnsafeRawBufferPointer) throws(RESPError) -> String {
      var digits = content[...]
      if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
        digits = digits.dropFirst()
      }
      guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
        throw .invalidBigNumber
      }
      return String(decoding: content, as: UTF8.self)
    }
  }

  /// `RESPDecoder` as a NIO `ByteToMessageDecoder`: one `RESPValue` per top-level value.
  /// A decoding error is thrown into the pipeline (`errorCaught`), where the
  /// connection handler closes the channel.
  struct RESPMessageDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    private var decoder: RESPDecoder

    init(limits: RESPDecoder.Limits) {
      self.decoder = RESPDecoder(limits: limits)
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
      guard let value = try self.decoder.decode(&buffer) else { return .needMoreData }
      context.fireChannelRead(Self.wrapInboundOut(value))
      return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
      -> DecodingState
    {
      // Deliver whatever complete values remain; a trailing partial value is dropped
      // with the connection.
      while let value = try self.decoder.decode(&buffer) {
        context.fireChannelRead(Self.wrapInboundOut(value))
      }
      return .needMoreData
    }
  }
#endif
