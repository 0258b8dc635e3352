/// How one user key maps to the L1 key and the store key.
///
/// Short keys are used as they are. A key longer than
/// ``HybridCacheConfiguration/maximumKeyBytes`` is replaced by a 128-bit hash
/// (`~h:` and 32 hex digits); the full key is kept in the L1 entry and in the
/// envelope and compared on every read, so a hash collision is a miss, never a
/// wrong value. The hash needs no cryptographic strength for that.
struct HybridKey: Sendable {
  /// The key the caller used.
  let user: String
  /// The key in L1 and in the store, after the prefix.
  let local: String
  /// Whether `local` is a hash of `user`.
  let isHashed: Bool

  /// What starts the local key of a hashed key.
  static let hashedPrefix = "~h:"

  init(_ key: String, maximumBytes: Int) {
    user = key
    if key.utf8.count <= maximumBytes {
      local = key
      isHashed = false
    } else {
      local = HybridKey.hashedPrefix + hybridHexDigest(key.utf8)
      isHashed = true
    }
  }
}

/// FNV-1a, 128-bit: deterministic across processes and platforms (Swift's
/// `Hasher` is seeded per process, so it cannot name shared keys).
func hybridHash128(_ bytes: some Sequence<UInt8>) -> (high: UInt64, low: UInt64) {
  // Offset basis 0x6c62272e07bb014262b821756295c58d; prime 2^88 + 0x13b.
  var high: UInt64 = 0x6c62_272e_07bb_0142
  var low: UInt64 = 0x62b8_2175_6295_c58d
  for byte in bytes {
    low ^= UInt64(byte)
    // (high·2^64 + low) · (2^88 + 0x13b) mod 2^128
    let product = low.multipliedFullWidth(by: 0x13b)
    let newHigh = product.high &+ high &* 0x13b &+ (low << 24)
    high = newHigh
    low = product.low
  }
  return (high, low)
}

/// The 128-bit hash of `bytes` as 32 lowercase hex digits.
func hybridHexDigest(_ bytes: some Sequence<UInt8>) -> String {
  let (high, low) = hybridHash128(bytes)
  func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
  return hex(high) + hex(low)
}
