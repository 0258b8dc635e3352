/// A source of requests read one at a time, front to back.
///
/// Readers stream: they hold a small buffer, never the whole trace, so a
/// trace of a hundred million requests replays in constant memory. A reader
/// is used by one thread at a time.
package protocol TraceReader: AnyObject {
  /// The next request, or `nil` at the end of the trace.
  ///
  /// - Throws: ``TraceError`` for unreadable or malformed input, naming the
  ///   line (or record) where it was found.
  func next() throws -> TraceRequest?

  /// How much of the trace has been read, from 0 to 1, when that is known
  /// (it is not for compressed input read through a pipe).
  var fractionRead: Double? { get }
}

extension TraceReader {
  /// Reads up to `maximumCount` requests into `batch` (which is emptied
  /// first); returns `false` when the trace has ended and nothing was read.
  package func fill(_ batch: inout [TraceRequest], maximumCount: Int) throws -> Bool {
    batch.removeAll(keepingCapacity: true)
    while batch.count < maximumCount, let request = try next() {
      batch.append(request)
    }
    return !batch.isEmpty
  }
}
