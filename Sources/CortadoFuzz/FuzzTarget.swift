/// The fuzz targets: each turns arbitrary bytes into input for one decoder or
/// for the cache, and stops the process (a finding) only when a promise
/// breaks: a crash, a value that does not round-trip, an invariant or a
/// disagreement with the reference model.
enum FuzzTarget: String, CaseIterable {
  case resp
  case envelope
  case invalidation
  case traces
  case cache

  func run(_ bytes: [UInt8]) {
    #if Fuzz
      switch self {
      case .resp: fuzzRESP(bytes)
      case .envelope: fuzzEnvelope(bytes)
      case .invalidation: fuzzInvalidation(bytes)
      case .traces: fuzzTraces(bytes)
      case .cache: fuzzCache(bytes)
      }
    #endif
  }
}

/// Set once at start-up, before the fuzzer calls back.
nonisolated(unsafe) var selectedTarget = FuzzTarget.resp

/// Reads little pieces of the input as parameters.
struct ByteReader {
  var bytes: [UInt8]
  var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var isAtEnd: Bool { offset >= bytes.count }

  mutating func byte() -> UInt8 {
    guard offset < bytes.count else { return 0 }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func rest() -> [UInt8] {
    defer { offset = bytes.count }
    return offset < bytes.count ? Array(bytes[offset...]) : []
  }
}
