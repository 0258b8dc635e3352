import Testing

@testable import CortadoBench

@Suite("oracleGeneral trace reader")
struct OracleGeneralReaderTests {
  /// One record built by hand, field by field, little-endian.
  static func record(time: UInt32, id: UInt64, size: UInt32, next: Int64) -> [UInt8] {
    var bytes: [UInt8] = []
    withUnsafeBytes(of: time.littleEndian) { bytes += $0 }
    withUnsafeBytes(of: id.littleEndian) { bytes += $0 }
    withUnsafeBytes(of: size.littleEndian) { bytes += $0 }
    withUnsafeBytes(of: next.littleEndian) { bytes += $0 }
    return bytes
  }

  @Test("reads hand-built 24-byte little-endian records")
  func handBuilt() throws {
    let bytes =
      Self.record(time: 1, id: 0x0102_0304_0506_0708, size: 4096, next: 2)
      + Self.record(time: 2, id: 9, size: 1, next: -1)
      + Self.record(time: 3, id: 0x0102_0304_0506_0708, size: 4096, next: -1)
    #expect(bytes.count == 72)
    #expect(Array(bytes[4..<12]) == [8, 7, 6, 5, 4, 3, 2, 1])  // the id, little-endian
    let file = try TemporaryFile(bytes: bytes)
    let reader = try OracleGeneralTraceReader(path: file.path)
    #expect(
      try readAll(reader) == [
        TraceRequest(key: 0x0102_0304_0506_0708, size: 4096),
        TraceRequest(key: 9, size: 1),
        TraceRequest(key: 0x0102_0304_0506_0708, size: 4096),
      ])
    #expect(reader.fractionRead == 1)
  }

  @Test("encode writes what the reader reads, with libCacheSim's next-access field")
  func roundTrip() throws {
    let requests = (0..<10_000).map { TraceRequest(key: UInt64($0 % 97), size: UInt32($0 % 13)) }
    let bytes = OracleGeneralTraceReader.encode(requests)
    #expect(bytes.count == requests.count * 24)
    // The first request (key 0) is next asked for at position 97.
    let next = bytes[16..<24].withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
    #expect(Int64(littleEndian: next) == 97)
    let file = try TemporaryFile(bytes: bytes)
    #expect(try readAll(try OracleGeneralTraceReader(path: file.path)) == requests)
  }

  @Test("a trailing partial record is an error naming the record")
  func truncated() throws {
    let bytes =
      Self.record(time: 1, id: 1, size: 1, next: -1) + Self.record(time: 2, id: 2, size: 1, next: -1)
      + Array(repeating: 0, count: 10)
    let file = try TemporaryFile(bytes: bytes)
    let reader = try OracleGeneralTraceReader(path: file.path)
    #expect(try reader.next()?.key == 1)
    #expect(try reader.next()?.key == 2)
    let error = #expect(throws: TraceError.self) { try reader.next() }
    #expect(error == .truncatedRecord(path: file.path, record: 3, bytes: 10, recordSize: 24))
  }
}
