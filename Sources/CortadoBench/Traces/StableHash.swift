/// FNV-1a, 64-bit: the key of a string request.
///
/// Text and CSV traces name objects by arbitrary strings. Interning them
/// would cost memory proportional to the distinct keys; hashing them to 64
/// bits costs nothing and, unlike Swift's `Hasher`, gives the same key in
/// every process and on every machine, so a simulation is reproducible.
/// Collisions are negligible: with a billion distinct keys the chance of any
/// collision is about 3%, and one collision changes one key's hits.
package struct StableHash: Sendable {
  /// The running hash.
  package private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  /// FNV's 64-bit prime.
  static let prime: UInt64 = 0x0000_0100_0000_01b3

  /// Starts a new hash.
  package init() {}

  /// Mixes in one byte.
  @inline(__always)
  package mutating func combine(_ byte: UInt8) {
    value = (value ^ UInt64(byte)) &* Self.prime
  }

  /// Mixes in a whole 64-bit word in one step (FNV-1a on words, not bytes:
  /// one line in any language with wrapping 64-bit multiplication, which is
  /// why the bench's exported key files are checked with it).
  @inline(__always)
  package mutating func combine(word: UInt64) {
    value = (value ^ word) &* Self.prime
  }

  /// Mixes in every byte of `bytes`.
  @inline(__always)
  package mutating func combine(_ bytes: UnsafeRawBufferPointer) {
    for byte in bytes { combine(byte) }
  }

  /// The hash of `bytes`.
  package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hasher = StableHash()
    hasher.combine(bytes)
    return hasher.value
  }

  /// The hash of a string's UTF-8 bytes (the key a text trace line gets).
  package static func hash(_ string: String) -> UInt64 {
    var string = string
    return string.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
  }
}
