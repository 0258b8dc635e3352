import Foundation

/// Writes a trace as text, one decimal key per line: the format every peer
/// replayer reads (`Benchmarks/Peers/`), so that Cortado, Caffeine and
/// libCacheSim see exactly the same requests.
package enum TraceTextWriter {
  /// Bytes buffered before each write: large enough that a million-request
  /// trace takes a few hundred writes.
  static let bufferSize = 1 << 16

  /// Writes the first `limit` requests of `source` (all when `nil`) to
  /// `path`, replacing it; returns the number written.
  @discardableResult
  package static func write(_ source: TraceSource, limit: Int? = nil, to path: String) throws -> Int {
    guard let file = fopen(path, "wb") else {
      throw TextFileError(path: path, reason: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    let reader = try source.makeReader()
    var buffer: [UInt8] = []
    buffer.reserveCapacity(bufferSize + 32)
    var written = 0
    func flush() throws {
      guard fwrite(buffer, 1, buffer.count, file) == buffer.count else {
        throw TextFileError(path: path, reason: String(cString: strerror(errno)))
      }
      buffer.removeAll(keepingCapacity: true)
    }
    while written < (limit ?? .max), let request = try reader.next() {
      buffer.append(contentsOf: String(request.key).utf8)
      buffer.append(UInt8(ascii: "\n"))
      written += 1
      if buffer.count >= bufferSize { try flush() }
    }
    try flush()
    return written
  }
}
