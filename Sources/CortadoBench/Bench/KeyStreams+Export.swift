import Foundation

/// The key streams as files, so that a peer's harness (Benchmarks/Peers/
/// CaffeineThroughput.java) replays exactly the keys `cortado bench` does.
///
/// Layout of `DIRECTORY`: `read-T.keys` and `wide-T.keys` for every thread
/// `T`, each the stream's keys as little-endian 64-bit integers, and
/// `keys.json`, which gives the configuration the streams were drawn for,
/// the warm-up length and a checksum per file (see ``checksum(_:)``) that the
/// reader recomputes, so that a stale or truncated file is refused rather
/// than measured.
extension KeyStreams {
  /// Writes one file per thread; returns the files' names and checksums.
  func export(to directory: String, prefix: String) throws -> [(file: String, checksum: UInt64)] {
    try streams.enumerated().map { thread, keys in
      let file = "\(prefix)-\(thread).keys"
      var data = Data(capacity: keys.count * 8)
      for key in keys { withUnsafeBytes(of: Int64(key).littleEndian) { data.append(contentsOf: $0) } }
      let path = directory + "/" + file
      do {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
      } catch {
        throw TextFileError(path: path, reason: "\(error.localizedDescription)")
      }
      return (file, Self.checksum(keys))
    }
  }

  /// FNV-1a over the keys taken as 64-bit words (`StableHash.combine(word:)`).
  static func checksum(_ keys: [Int]) -> UInt64 {
    var hash = StableHash()
    for key in keys { hash.combine(word: UInt64(bitPattern: Int64(key))) }
    return hash.value
  }
}

extension Benchmark {
  /// Draws the streams `run` would draw for `configuration` and writes them
  /// to `directory` (which must exist) with their manifest, `keys.json`.
  package static func exportKeys(_ configuration: BenchConfiguration, to directory: String) throws {
    try configuration.validate()
    let read = readStreams(configuration)
    let wide = wideStreams(configuration)
    func files(_ list: [(file: String, checksum: UInt64)]) -> JSONValue {
      .array(list.map { .object([("file", .string($0.file)), ("checksum", .string(String($0.checksum)))]) })
    }
    let ttl = configuration.timeToLive.components
    let manifest = JSONValue.object([
      ("capacity", .int(configuration.capacity)),
      ("keySpace", .int(configuration.keySpace)),
      ("timeToLiveSeconds", .double(Double(ttl.seconds) + Double(ttl.attoseconds) / 1e18)),
      ("seed", .string(String(configuration.seed))),
      ("streamLength", .int(configuration.streamLength)),
      ("warmUpLength", .int(warmUpLength)),
      ("read", files(try read.export(to: directory, prefix: "read"))),
      ("wide", files(try wide.export(to: directory, prefix: "wide"))),
    ])
    try TextFile.write(manifest.lines, to: directory + "/keys.json")
  }
}
