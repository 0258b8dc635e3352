#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Lines or fixed-size records, cut from a ``ByteSource`` without copying.
///
/// The bytes handed to a caller point into the reader's own buffer and are
/// valid only during the call: parsing works in place, and no `String` is
/// made per line (which would dominate the cost of replaying a big trace).
final class BufferedReader {
  /// The longest line accepted; a longer one is almost surely a binary file
  /// read as text, and growing without bound would exhaust memory.
  static let maximumLineLength = 16 << 20

  let source: ByteSource
  private var buffer: UnsafeMutableRawBufferPointer
  private var start = 0
  private var end = 0
  private var atEnd = false
  /// The number of lines (or records) handed out so far; the current one's
  /// number, counting from 1, during a call.
  private(set) var count = 0

  init(source: ByteSource, bufferSize: Int = 1 << 20) {
    self.source = source
    buffer = .allocate(byteCount: bufferSize, alignment: 16)
  }

  deinit { buffer.deallocate() }

  var path: String { source.path }

  /// Calls `body` with the next line, without its `\n` or a `\r` before it;
  /// returns `nil` at the end. A last line without a newline still counts.
  func nextLine<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
    while true {
      let base = buffer.baseAddress!
      if start < end, let newline = memchr(base + start, 0x0A, end - start) {
        let newlineIndex = base.distance(to: newline)
        let lineStart = start
        start = newlineIndex + 1
        return try handOut(lineStart..<newlineIndex, body)
      }
      if atEnd {
        guard start < end else { return nil }
        let lineStart = start
        start = end
        return try handOut(lineStart..<end, body)
      }
      if end - start >= Self.maximumLineLength {
        throw TraceError.malformedLine(
          path: path, line: count + 1,
          reason: "line longer than \(Self.maximumLineLength >> 20) MiB (is this a binary trace?)")
      }
      try refill()
    }
  }

  /// Calls `body` with the next `size`-byte record; returns `nil` at the end.
  ///
  /// - Throws: ``TraceError/truncatedRecord(path:record:bytes:recordSize:)``
  ///   when the file ends inside a record.
  func nextRecord<R>(size: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
    while end - start < size {
      if atEnd {
        if start == end { return nil }
        throw TraceError.truncatedRecord(path: path, record: count + 1, bytes: end - start, recordSize: size)
      }
      try refill()
    }
    let recordStart = start
    start += size
    count += 1
    return try body(UnsafeRawBufferPointer(rebasing: buffer[recordStart..<recordStart + size]))
  }

  var fractionRead: Double? { source.fractionRead }

  private func handOut<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
    count += 1
    var upper = range.upperBound
    if upper > range.lowerBound && buffer[upper - 1] == 0x0D { upper -= 1 }
    return try body(UnsafeRawBufferPointer(rebasing: buffer[range.lowerBound..<upper]))
  }

  /// Moves the unread tail to the front, grows the buffer if it is full, and
  /// reads more.
  private func refill() throws {
    let base = buffer.baseAddress!
    if start > 0 {
      if end > start { memmove(base, base + start, end - start) }
      end -= start
      start = 0
    }
    if end == buffer.count {
      let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
      larger.baseAddress!.copyMemory(from: base, byteCount: end)
      buffer.deallocate()
      buffer = larger
    }
    let got = try source.read(into: buffer.baseAddress! + end, count: buffer.count - end)
    if got == 0 { atEnd = true } else { end += got }
  }
}
