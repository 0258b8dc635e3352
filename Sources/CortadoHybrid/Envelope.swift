/// The versioned binary wrapper around every value a ``HybridCache`` stores
/// in its ``RemoteCacheStore``.
///
/// Layout (integers little-endian; `varint` is unsigned LEB128, at most 10
/// bytes):
///
/// | Offset | Size | Field |
/// |---|---|---|
/// | 0 | 2 | magic `0xC0 0xDA` |
/// | 2 | 1 | format version (``formatVersion``, 1) |
/// | 3 | 1 | flags: bits 0–6 codec identifier, bit 7 reserved (0) |
/// | 4 | 8 | created at: Unix time in milliseconds, signed |
/// | 12 | varint | fresh for, milliseconds |
/// | | varint | stale for (the fail-safe window after fresh), milliseconds |
/// | | varint | schema version of the value type |
/// | | varint + n | key length, then the full key in UTF-8 |
/// | | varint + n | payload length, then the payload (the codec's bytes) |
///
/// The fixed 12-byte header lets a server-side script read the creation time
/// without parsing the rest (see
/// ``RemoteCacheStore/setIfNotNewer(_:bytes:timeToLive:createdAtMilliseconds:)``).
/// The full key is stored so that a value found under a hashed long key can
/// be checked against the key that was asked for. The server's lifetime of
/// the key is `freshFor + staleFor`: a value is fresh while the server's
/// remaining lifetime is greater than `staleFor`.
public struct HybridEnvelope: Sendable, Hashable {
  /// The first two bytes of every envelope.
  public static let magic: [UInt8] = [0xC0, 0xDA]
  /// The format version this library writes and reads. Keys include it, so
  /// a future format moves to new keys instead of fighting over old ones.
  public static let formatVersion: UInt8 = 1
  /// The byte offset of the creation time (8 bytes, little-endian).
  public static let createdAtOffset = 4
  /// The size of the fixed header: magic, version, flags, creation time.
  public static let headerSize = 12

  /// Identifies the codec of the payload (1...127; see
  /// ``HybridValueCodec/identifier``).
  public var codecIdentifier: UInt8
  /// When the value was written, in Unix milliseconds (writer's wall clock;
  /// used only to order replayed writes and for diagnostics).
  public var createdAtMilliseconds: Int64
  /// How long the value is fresh, in milliseconds.
  public var freshForMilliseconds: UInt64
  /// How long after that it may still be used as a fail-safe fallback, in
  /// milliseconds.
  public var staleForMilliseconds: UInt64
  /// The version of the value's encoded shape (``HybridCacheConfiguration/schemaVersion``).
  public var schemaVersion: UInt64
  /// The full key the value belongs to.
  public var key: String
  /// The encoded value.
  public var payload: [UInt8]

  /// Creates an envelope.
  public init(
    codecIdentifier: UInt8,
    createdAtMilliseconds: Int64,
    freshForMilliseconds: UInt64,
    staleForMilliseconds: UInt64,
    schemaVersion: UInt64,
    key: String,
    payload: [UInt8]
  ) {
    self.codecIdentifier = codecIdentifier
    self.createdAtMilliseconds = createdAtMilliseconds
    self.freshForMilliseconds = freshForMilliseconds
    self.staleForMilliseconds = staleForMilliseconds
    self.schemaVersion = schemaVersion
    self.key = key
    self.payload = payload
  }

  /// The envelope's bytes.
  public func encoded() -> [UInt8] {
    let keyBytes = Array(key.utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(HybridEnvelope.headerSize + 40 + keyBytes.count + payload.count)
    bytes.append(contentsOf: HybridEnvelope.magic)
    bytes.append(HybridEnvelope.formatVersion)
    bytes.append(codecIdentifier & 0x7F)
    withUnsafeBytes(of: createdAtMilliseconds.littleEndian) { bytes.append(contentsOf: $0) }
    appendVarint(freshForMilliseconds, to: &bytes)
    appendVarint(staleForMilliseconds, to: &bytes)
    appendVarint(schemaVersion, to: &bytes)
    appendVarint(UInt64(keyBytes.count), to: &bytes)
    bytes.append(contentsOf: keyBytes)
    appendVarint(UInt64(payload.count), to: &bytes)
    bytes.append(contentsOf: payload)
    return bytes
  }

  /// Decodes `bytes`, or says precisely why they are not a valid envelope.
  ///
  /// Never traps: every length is checked against the bytes present.
  public static func decode(_ bytes: [UInt8]) -> Result<HybridEnvelope, HybridEnvelopeError> {
    guard bytes.count >= headerSize else { return .failure(.truncated) }
    guard bytes[0] == magic[0] && bytes[1] == magic[1] else { return .failure(.notAnEnvelope) }
    guard bytes[2] == formatVersion else { return .failure(.unsupportedFormatVersion(bytes[2])) }
    guard bytes[3] & 0x80 == 0 else { return .failure(.malformed) }
    var createdAt: UInt64 = 0
    for index in 0..<8 {
      createdAt |= UInt64(bytes[createdAtOffset + index]) << (8 * UInt64(index))
    }
    var reader = VarintReader(bytes: bytes, offset: headerSize)
    guard
      let freshFor = reader.next(),
      let staleFor = reader.next(),
      let schema = reader.next(),
      let keyLength = reader.next(),
      let keyBytes = reader.take(keyLength),
      let payloadLength = reader.next(),
      let payload = reader.take(payloadLength)
    else { return .failure(reader.failure) }
    guard reader.offset == bytes.count else { return .failure(.malformed) }
    // Accept only valid UTF-8: repaired bytes could compare equal to a
    // different key.
    let key = String(decoding: keyBytes, as: UTF8.self)
    guard key.utf8.elementsEqual(keyBytes) else { return .failure(.malformed) }
    return .success(
      HybridEnvelope(
        codecIdentifier: bytes[3],
        createdAtMilliseconds: Int64(bitPattern: createdAt),
        freshForMilliseconds: freshFor,
        staleForMilliseconds: staleFor,
        schemaVersion: schema,
        key: key,
        payload: payload
      ))
  }
}

/// Why bytes read from the store are not a usable ``HybridEnvelope``.
///
/// A ``HybridCache`` treats every one of these as a miss and never deletes
/// the value: another version of the application may be able to read it.
public enum HybridEnvelopeError: Error, Sendable, Hashable {
  /// Shorter than the fixed header, or shorter than its lengths announce.
  case truncated
  /// Does not start with ``HybridEnvelope/magic``.
  case notAnEnvelope
  /// Written in a format version this library does not read.
  case unsupportedFormatVersion(UInt8)
  /// A reserved bit is set, a varint is too long, the key is not UTF-8, or
  /// bytes follow the payload.
  case malformed
}

func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
  var value = value
  while value >= 0x80 {
    bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
    value >>= 7
  }
  bytes.append(UInt8(value))
}

/// Reads varints and slices with bounds checks; remembers the first failure.
struct VarintReader {
  let bytes: [UInt8]
  var offset: Int
  var failure: HybridEnvelopeError = .truncated

  init(bytes: [UInt8], offset: Int) {
    self.bytes = bytes
    self.offset = offset
  }

  mutating func next() -> UInt64? {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard offset < bytes.count else {
        failure = .truncated
        return nil
      }
      let byte = bytes[offset]
      offset += 1
      // The tenth byte may carry only the top bit of a 64-bit value.
      if shift == 63 && byte > 1 {
        failure = .malformed
        return nil
      }
      result |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
      if shift > 63 {
        failure = .malformed
        return nil
      }
    }
  }

  mutating func take(_ count: UInt64) -> [UInt8]? {
    guard count <= UInt64(bytes.count - offset) else {
      failure = .truncated
      return nil
    }
    let end = offset + Int(count)
    defer { offset = end }
    return Array(bytes[offset..<end])
  }
}
