/// A sample of keys W-TinyLFU recently let go, remembered by a tag of their
/// hash, with why they left: rejected by the admission filter on leaving the
/// window, or evicted from the main region. A key inserted again soon after it
/// left tells ``_WindowSizer`` which region was too small.
///
/// Layout: a direct-mapped table of 32-bit words, one ghost per word: a
/// 16-bit tag of the hash, why it left, and when (on that region's clock, in
/// units of `1 << timeShift` departures, 14 bits). Only departures within the
/// return horizon matter, so the table is sized for those: a sixteenth of the
/// capacity (a quarter of a byte per entry, which keeps the sketch and the
/// ghosts together within 8 bytes per entry), from 16 to
/// `_TinyLFUConstants.ghostTableMaximum` words. When that is smaller than the
/// departures within the horizon, only keys whose hash falls in a
/// 1-in-`sampleRate` sample are remembered (spatial sampling, as in SHARDS),
/// and each sampled return stands for `sampleRate` returns. A newer ghost
/// overwrites an older one in its word; a tag matches a different key 1 time
/// in 65,536.
@usableFromInline
struct _EvictionGhosts {
  @usableFromInline var table: UnsafeMutablePointer<UInt32>?
  @usableFromInline var mask: UInt64 = 0
  @usableFromInline var sampleMask: UInt64 = 0
  /// How many departures one sampled ghost stands for (a power of two).
  @usableFromInline var sampleRate: Int = 1
  /// Clock ticks per stored time unit (a power of two): the horizon spans
  /// about 64 units, ample precision for "within the horizon or not".
  @usableFromInline var timeShift: Int = 0

  /// Bit set in a word for a rejected candidate (clear: a main-region victim).
  @usableFromInline static let rejectedBit: UInt32 = 1 << 15
  /// Bit set in every word that holds a ghost (an empty word is zero).
  @usableFromInline static let occupiedBit: UInt32 = 1 << 14
  /// The departure time's bits: ages are taken modulo 2^14 units (256
  /// horizons; a ghost that old has been overwritten long before).
  @usableFromInline static let timeMask: UInt32 = (1 << 14) - 1

  @inlinable init() {}

  /// Sizes the table for a stripe of `capacity` entries and a return horizon
  /// of `horizon` departures, forgetting every ghost.
  @usableFromInline
  mutating func configure(capacity: Int, horizon: Int) {
    destroy()
    let sixteenth = Swift.max(capacity / 16, 1)
    let size = Swift.min(
      Swift.max(16, 1 << (Int.bitWidth - 1 - sixteenth.leadingZeroBitCount)), _TinyLFUConstants.ghostTableMaximum)
    // Up to two departures (one of each kind) per unit of horizon.
    let departures = _nextPowerOfTwo(Swift.max(2 * horizon, 1))
    let rate = Swift.max(1, departures / size)
    let pointer = UnsafeMutablePointer<UInt32>.allocate(capacity: size)
    pointer.initialize(repeating: 0, count: size)
    table = pointer
    mask = UInt64(size - 1)
    sampleRate = rate
    sampleMask = UInt64(rate - 1)
    timeShift = Swift.max(0, (Int.bitWidth - Swift.max(horizon, 1).leadingZeroBitCount) - 6)
  }

  @usableFromInline
  mutating func destroy() {
    table?.deallocate()
    table = nil
  }

  /// One mix of the hash picks the sample (bits 40…), the word (low bits)
  /// and the tag (bits 16…31), independently of the sketch's and the
  /// index's use of the hash.
  @inlinable @inline(__always)
  static func spread(_ hash: UInt32) -> UInt64 { _mix64(UInt64(hash) &* 0xD6E8_FEB8_6659_FD93) }

  @inlinable @inline(__always)
  static func tag(_ spread: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: spread >> 16) & 0xFFFF_0000 }

  /// Remembers that the key with this hash left, at `time` on its region's clock.
  @inlinable
  mutating func record(_ hash: UInt32, rejected: Bool, time: Int) {
    guard let table else { return }
    let spread = Self.spread(hash)
    guard (spread >> 40) & sampleMask == 0 else { return }
    table[Int(spread & mask)] =
      Self.tag(spread) | (rejected ? Self.rejectedBit : 0) | Self.occupiedBit
      | (UInt32(truncatingIfNeeded: time >> timeShift) & Self.timeMask)
  }

  /// The ghost of the key with this hash, if it is remembered (it is then
  /// forgotten): why it left, and its age in departures on that region's
  /// clock (to the time unit), given the clocks' current times.
  @inlinable
  mutating func take(_ hash: UInt32, windowTime: Int, mainTime: Int) -> (rejected: Bool, age: Int)? {
    guard let table else { return nil }
    let spread = Self.spread(hash)
    guard (spread >> 40) & sampleMask == 0 else { return nil }
    let slot = Int(spread & mask)
    let word = table[slot]
    guard word & Self.occupiedBit != 0, word & 0xFFFF_0000 == Self.tag(spread) else { return nil }
    table[slot] = 0
    let rejected = word & Self.rejectedBit != 0
    let now = UInt32(truncatingIfNeeded: (rejected ? windowTime : mainTime) >> timeShift)
    return (rejected, Int((now &- word) & Self.timeMask) << timeShift)
  }
}
