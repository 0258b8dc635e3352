/// Reads the ARC/LIRS trace format (Megiddo & Modha's traces, also used by
/// Caffeine's simulator).
///
/// Each line is `start count ignore ignore`: a run of `count` consecutive
/// blocks `start, start+1, ..., start+count-1`, each one request of size 1.
/// Only the first two fields are read; blank lines are skipped. A line whose
/// first two fields are not non-negative integers, or whose count is 0, is an
/// error naming its line number.
package final class ARCTraceReader: TraceReader {
  private let reader: BufferedReader
  private var nextBlock: UInt64 = 0
  private var remaining: UInt64 = 0

  /// Opens `path`.
  package init(path: String) throws {
    reader = BufferedReader(source: try ByteSource(path: path))
  }

  package var fractionRead: Double? { reader.fractionRead }

  package func next() throws -> TraceRequest? {
    while remaining == 0 {
      guard
        let run = try reader.nextLine({ line throws -> (UInt64, UInt64)? in
          try parse(line, lineNumber: reader.count)
        })
      else { return nil }
      if let run { (nextBlock, remaining) = run }
    }
    let block = nextBlock
    nextBlock &+= 1
    remaining -= 1
    return TraceRequest(key: block)
  }

  private func parse(_ line: UnsafeRawBufferPointer, lineNumber: Int) throws -> (UInt64, UInt64)? {
    let fields = ASCII.fields(line)
    if fields.isEmpty { return nil }
    func malformed(_ reason: String) -> TraceError {
      .malformedLine(path: reader.path, line: lineNumber, reason: reason)
    }
    guard fields.count >= 2 else {
      throw malformed("expected `start count ignore ignore`, found \(fields.count) field")
    }
    let startBytes = UnsafeRawBufferPointer(rebasing: line[fields[0]])
    let countBytes = UnsafeRawBufferPointer(rebasing: line[fields[1]])
    guard let start = ASCII.unsignedInteger(startBytes) else {
      throw malformed("the start block '\(ASCII.excerpt(startBytes))' is not a non-negative integer")
    }
    guard let count = ASCII.unsignedInteger(countBytes) else {
      throw malformed("the block count '\(ASCII.excerpt(countBytes))' is not a non-negative integer")
    }
    guard count > 0 else { throw malformed("the block count is 0") }
    return (start, count)
  }
}
