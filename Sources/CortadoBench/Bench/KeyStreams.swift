import Cortado

/// Precomputed Zipf(0.99) key sequences, one per thread.
///
/// Drawing a Zipf key costs about as much as a cache hit, so keys are drawn
/// before the clock starts; each thread walks its own array (different
/// seeds, so threads do not march through the same keys in lock step).
/// Arrays have a power-of-two length and wrap around.
final class KeyStreams: Sendable {
  /// The skew of every stream (Caffeine's and YCSB's default).
  static let exponent = 0.99

  let streams: [[Int]]
  let keySpace: Int

  /// Streams of keys in `0..<keySpace`, rank `r` being key `r - 1`.
  init(keySpace: Int, threads: Int, length: Int, seed: UInt64) {
    precondition(length > 0 && length & (length - 1) == 0, "length must be a power of two")
    let zipf = ZipfDistribution(count: keySpace, exponent: Self.exponent)
    streams = (0..<threads).map { thread in
      var generator = _SplitMix64(seed: seed &+ UInt64(thread) &* 0x9E37_79B9)
      return (0..<length).map { _ in zipf.sample(using: &generator) - 1 }
    }
    self.keySpace = keySpace
  }
}
