/// Reads libCacheSim's `oracleGeneral` binary format.
///
/// Each request is a 24-byte little-endian record: `uint32` timestamp,
/// `uint64` object id, `uint32` object size, `int64` next access (virtual
/// time, -1 for never). The id is the key and the size the request's size.
/// The next-access field is ignored: the simulator computes next uses itself
/// for every format, so files with a missing or wrong field (some converters
/// produce them) still give the exact optimum.
package final class OracleGeneralTraceReader: TraceReader {
  /// The size of one record in bytes.
  package static let recordSize = 24
  private let reader: BufferedReader

  /// Opens `path` (which may be `.zst` or `.gz` compressed).
  package init(path: String) throws {
    reader = BufferedReader(source: try ByteSource(path: path))
  }

  package var fractionRead: Double? { reader.fractionRead }

  package func next() throws -> TraceRequest? {
    try reader.nextRecord(size: Self.recordSize) { record in
      let id = UInt64(littleEndian: record.loadUnaligned(fromByteOffset: 4, as: UInt64.self))
      let size = UInt32(littleEndian: record.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
      return TraceRequest(key: id, size: size)
    }
  }

  /// Encodes requests as `oracleGeneral` records (timestamps count from 0,
  /// next access is filled in), for tests and for exporting synthetic traces
  /// to libCacheSim.
  package static func encode(_ requests: [TraceRequest]) -> [UInt8] {
    var nextAccess = [Int64](repeating: -1, count: requests.count)
    var lastSeen: [UInt64: Int] = [:]
    for (index, request) in requests.enumerated() {
      if let previous = lastSeen[request.key] { nextAccess[previous] = Int64(index) }
      lastSeen[request.key] = index
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(requests.count * recordSize)
    func append<T: FixedWidthInteger>(_ value: T) {
      withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    for (index, request) in requests.enumerated() {
      append(UInt32(truncatingIfNeeded: index))
      append(request.key)
      append(request.size)
      append(nextAccess[index])
    }
    return bytes
  }
}
