import Foundation
import Testing

@testable import CortadoHybrid
@testable import CortadoHybridTesting

@Suite("Envelope, keys and codec")
struct EnvelopeTests {
  let sample = HybridEnvelope(
    codecIdentifier: 1,
    createdAtMilliseconds: 1_700_000_123_456,
    freshForMilliseconds: 60_000,
    staleForMilliseconds: 3_600_000,
    schemaVersion: 7,
    key: "user:42:é",
    payload: Array(#"{"name":"Ada"}"#.utf8)
  )

  @Test func roundTrip() throws {
    let bytes = sample.encoded()
    #expect(try HybridEnvelope.decode(bytes).get() == sample)
    // Extreme values survive too.
    let extreme = HybridEnvelope(
      codecIdentifier: 127, createdAtMilliseconds: .min, freshForMilliseconds: .max,
      staleForMilliseconds: 0, schemaVersion: .max, key: "", payload: [])
    #expect(try HybridEnvelope.decode(extreme.encoded()).get() == extreme)
  }

  @Test func fixedHeaderLayout() {
    let bytes = sample.encoded()
    #expect(Array(bytes[0..<4]) == [0xC0, 0xDA, 1, 1])
    var createdAt: Int64 = 0
    withUnsafeMutableBytes(of: &createdAt) { $0.copyBytes(from: bytes[4..<12]) }
    #expect(Int64(littleEndian: createdAt) == 1_700_000_123_456)
    #expect(InMemoryRemoteStore.createdAt(of: bytes) == 1_700_000_123_456)
  }

  @Test func rejectsForeignAndCorruptBytes() {
    var bytes = sample.encoded()
    #expect(HybridEnvelope.decode([]) == .failure(.truncated))
    #expect(HybridEnvelope.decode(Array("hello, world!".utf8)) == .failure(.notAnEnvelope))

    var foreign = bytes
    foreign[2] = 2
    #expect(HybridEnvelope.decode(foreign) == .failure(.unsupportedFormatVersion(2)))

    var reserved = bytes
    reserved[3] |= 0x80
    #expect(HybridEnvelope.decode(reserved) == .failure(.malformed))

    bytes.append(0)
    #expect(HybridEnvelope.decode(bytes) == .failure(.malformed))

    // A varint longer than 64 bits.
    let overlong = Array(sample.encoded()[0..<12]) + Array(repeating: 0xFF, count: 11)
    #expect(HybridEnvelope.decode(overlong) == .failure(.malformed))

    // A key that is not UTF-8.
    var invalidKey = HybridEnvelope(
      codecIdentifier: 1, createdAtMilliseconds: 0, freshForMilliseconds: 0,
      staleForMilliseconds: 0, schemaVersion: 0, key: "ab", payload: []
    ).encoded()
    invalidKey[invalidKey.count - 3] = 0xFF
    #expect(HybridEnvelope.decode(invalidKey) == .failure(.malformed))
  }

  @Test func everyTruncationIsRejected() {
    let bytes = sample.encoded()
    for length in 0..<bytes.count {
      #expect(throws: HybridEnvelopeError.self) { try HybridEnvelope.decode(Array(bytes[0..<length])).get() }
    }
  }

  @Test func randomBytesNeverCrash() {
    var generator = SeededGenerator(seed: 42)
    let valid = sample.encoded()
    for round in 0..<5_000 {
      var bytes: [UInt8]
      if round % 2 == 0 {
        bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator)
        }
        if bytes.count >= 3, round % 4 == 0 {
          bytes[0] = 0xC0
          bytes[1] = 0xDA
          bytes[2] = 1
        }
      } else {
        bytes = valid
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
          bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
        }
      }
      _ = HybridEnvelope.decode(bytes)
    }
  }

  @Test func fnv128GoldenValues() {
    #expect(hybridHexDigest("".utf8) == "6c62272e07bb014262b821756295c58d")
    #expect(hybridHexDigest("a".utf8) == "d228cb696f1a8caf78912b704e4a8964")
  }

  @Test func longKeysAreHashed() {
    let short = HybridKey("user:1", maximumBytes: 64)
    #expect(short.local == "user:1" && !short.isHashed)
    let long = String(repeating: "x", count: 65)
    let hashed = HybridKey(long, maximumBytes: 64)
    #expect(hashed.isHashed && hashed.local == "~h:" + hybridHexDigest(long.utf8))
    // A memory entry stored under a hash belongs only to its own full key.
    let entry = LocalEntry(value: 1, epoch: 1, freshUntil: 0, usableUntil: 0, fullKey: long)
    #expect(entry.belongs(to: hashed))
    #expect(!entry.belongs(to: HybridKey(long + "y", maximumBytes: 64)))
    #expect(!entry.belongs(to: HybridKey(hashed.local, maximumBytes: 64)))
  }

  @Test func jsonCodecRoundTrip() throws {
    struct User: Codable, Equatable {
      var name: String
      var age: Int
    }
    let codec = JSONValueCodec()
    let bytes = try codec.encode(User(name: "Ada", age: 36))
    #expect(try codec.decode(User.self, from: bytes) == User(name: "Ada", age: 36))
    #expect(throws: (any Error).self) { try codec.decode(User.self, from: Array("{".utf8)) }
  }

  @Test func configurationValidation() {
    var configuration = HybridCacheConfiguration(namespace: "")
    #expect(throws: HybridCacheConfigurationError.self) { try configuration.validate() }
    configuration.namespace = "app"
    #expect(throws: Never.self) { try configuration.validate() }
    #expect(configuration.keyPrefix == "app:c1.0:")
    #expect(configuration.namespacePrefix == "app:")
    configuration.defaultOptions.timeToLive = .zero
    #expect(throws: HybridCacheConfigurationError.self) { try configuration.validate() }
    configuration.defaultOptions.timeToLive = .seconds(1)
    configuration.maximumKeyBytes = 10
    #expect(throws: HybridCacheConfigurationError.self) { try configuration.validate() }
  }
}

/// A small deterministic generator (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
