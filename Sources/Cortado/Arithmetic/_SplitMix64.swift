/// A small, fast, seedable random number generator (SplitMix64): the
/// package's one generator.
///
/// The cache uses it for the `.random` policy and W-TinyLFU's admission
/// jitter, seeded per cache so that runs are reproducible; the benchmarks use
/// it for synthetic traces, which must be identical on every run and every
/// toolchain (the standard library's `random(in:using:)` promises no
/// algorithm).
@usableFromInline
package struct _SplitMix64: RandomNumberGenerator, Sendable {
  @usableFromInline var state: UInt64

  /// Creates a generator; equal seeds give equal sequences.
  @inlinable
  package init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  @inlinable
  package mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return _mix64(state)
  }

  /// A uniform `Double` in `[0, 1)`, from the top 53 bits.
  @inlinable
  package mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1p-53
  }
}

/// SplitMix64's finaliser: a cheap, well-distributed 64-bit mix (also the
/// cache's hash spreader).
@inlinable @inline(__always)
package func _mix64(_ value: UInt64) -> UInt64 {
  var z = value
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}
