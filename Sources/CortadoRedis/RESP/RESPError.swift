#if Redis
  /// A protocol error found while decoding RESP. After one of these the byte stream
  /// cannot be trusted any more, so the connection that produced it is closed.
  ///
  /// Messages never quote payload bytes (they may be cache keys or values).
  public enum RESPError: Error, Sendable, Hashable {
    /// The first byte of a value is not a known RESP2/RESP3 type marker.
    case invalidTypeByte(UInt8)
    /// A length header is not a decimal integer, or is negative (other than the
    /// RESP2 null `-1` where that is allowed).
    case invalidLength
    /// An integer (`:`) is not a decimal 64-bit integer.
    case invalidInteger
    /// A line, or a bulk payload, is not terminated by CRLF (including a bare CR or LF).
    case missingCRLF
    /// A line-based value is longer than `Limits.maxLineLength`.
    case lineTooLong(limit: Int)
    /// A bulk string, bulk error or verbatim string is longer than `Limits.maxBulkLength`.
    case bulkTooLarge(length: Int, limit: Int)
    /// An aggregate announces more elements than `Limits.maxAggregateLength`.
    case aggregateTooLarge(count: Int, limit: Int)
    /// Aggregates (and attributes) are nested deeper than `Limits.maxDepth`.
    case nestingTooDeep(limit: Int)
    /// A double (`,`) is not a decimal number, `inf`, `-inf` or `nan`.
    case invalidDouble
    /// A boolean is neither `#t` nor `#f`.
    case invalidBoolean
    /// A null (`_`) has a payload.
    case invalidNull
    /// A big number (`(`) is not an optionally signed run of digits.
    case invalidBigNumber
    /// A verbatim string is shorter than 4 bytes or lacks the `xxx:` format prefix.
    case invalidVerbatimString
    /// RESP3 streamed strings/aggregates (`$?`, `*?`, ...) are not used by Redis and
    /// are not supported.
    case streamedValuesUnsupported
  }

  extension RESPError: CustomStringConvertible {
    public var description: String {
      switch self {
      case .invalidTypeByte(let byte): return "RESP: invalid type byte 0x\(String(byte, radix: 16))"
      case .invalidLength: return "RESP: invalid length"
      case .invalidInteger: return "RESP: invalid integer"
      case .missingCRLF: return "RESP: missing CRLF"
      case .lineTooLong(let limit): return "RESP: line longer than \(limit) bytes"
      case .bulkTooLarge(let length, let limit): return "RESP: bulk of \(length) bytes exceeds the limit of \(limit)"
      case .aggregateTooLarge(let count, let limit):
        return "RESP: aggregate of \(count) elements exceeds the limit of \(limit)"
      case .nestingTooDeep(let limit): return "RESP: nesting deeper than \(limit)"
      case .invalidDouble: return "RESP: invalid double"
      case .invalidBoolean: return "RESP: invalid boolean"
      case .invalidNull: return "RESP: invalid null"
      case .invalidBigNumber: return "RESP: invalid big number"
      case .invalidVerbatimString: return "RESP: invalid verbatim string"
      case .streamedValuesUnsupported: return "RESP: streamed values are not supported"
      }
    }
  }
#endif
