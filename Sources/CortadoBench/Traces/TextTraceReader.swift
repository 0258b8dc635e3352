/// Reads a trace with one key per line.
///
/// A key is any string: the line with surrounding whitespace trimmed, hashed
/// with ``StableHash``. Blank lines are skipped (they still count for line
/// numbers). Every request has size 1.
package final class TextTraceReader: TraceReader {
  private let reader: BufferedReader

  /// Opens `path`.
  package init(path: String) throws {
    reader = BufferedReader(source: try ByteSource(path: path))
  }

  package func next() throws -> TraceRequest? {
    while true {
      // nil: the trace ended; .some(nil): a blank line.
      guard
        let key = try reader.nextLine({ line -> UInt64? in
          let key = ASCII.trimmed(line)
          return key.isEmpty ? nil : StableHash.hash(key)
        })
      else { return nil }
      if let key { return TraceRequest(key: key) }
    }
  }

  package var fractionRead: Double? { reader.fractionRead }
}
