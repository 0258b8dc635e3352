/// Byte-level helpers for parsing trace lines in place.
enum ASCII {
  @inline(__always)
  static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
  }

  /// `bytes` without leading and trailing ASCII whitespace.
  static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var lower = 0
    var upper = bytes.count
    while lower < upper && isSpace(bytes[lower]) { lower += 1 }
    while upper > lower && isSpace(bytes[upper - 1]) { upper -= 1 }
    return UnsafeRawBufferPointer(rebasing: bytes[lower..<upper])
  }

  /// The whitespace-separated fields of a line, as byte ranges.
  static func fields(_ bytes: UnsafeRawBufferPointer) -> [Range<Int>] {
    var fields: [Range<Int>] = []
    var index = 0
    while index < bytes.count {
      while index < bytes.count && isSpace(bytes[index]) { index += 1 }
      let fieldStart = index
      while index < bytes.count && !isSpace(bytes[index]) { index += 1 }
      if index > fieldStart { fields.append(fieldStart..<index) }
    }
    return fields
  }

  /// Parses an unsigned decimal integer that fills all of `bytes`; `nil` for
  /// anything else (empty, a sign, a letter, an overflow).
  static func unsignedInteger(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
    guard !bytes.isEmpty else { return nil }
    var value: UInt64 = 0
    for byte in bytes {
      guard byte >= 0x30 && byte <= 0x39 else { return nil }
      let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - 0x30))
      if overflow1 || overflow2 { return nil }
      value = sum
    }
    return value
  }

  /// The bytes as a short printable string for an error message.
  static func excerpt(_ bytes: UnsafeRawBufferPointer, limit: Int = 40) -> String {
    let shown = String(decoding: bytes.prefix(limit), as: UTF8.self)
    return bytes.count > limit ? shown + "…" : shown
  }
}
