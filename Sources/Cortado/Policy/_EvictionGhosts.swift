/// A sample of keys W-TinyLFU recently let go, remembered by a tag of their
/// hash, with why they left: rejected by the admission filter on leaving the
/// window, or evicted from the main region. A key inserted again soon after it
/// left tells ``_WindowSizer`` which region was too small.
///
/// Layout: a direct-mapped table of 64-bit words, one ghost per word: a
/// 16-bit tag of the hash, why it left, when on that region's clock (23 bits,
/// in units of `1 << timeShift` departures) and when on the stripe's request
/// clock (23 bits, in units of `1 << requestShift` requests). Only departures
/// within the return horizon matter, so the table is sized for those: a
/// thirty-second of the entries held (it grows as the stripe fills, up to the
/// capacity's), rounded down to a power of two (at most a
/// quarter byte per entry, next to the sketch's 5 bytes), from 16 to
/// `_TinyLFUConstants.ghostTableMaximum` words. When that is smaller than the departures within the horizon, only
/// keys whose hash falls in a 1-in-`sampleRate` sample are remembered
/// (spatial sampling, as in SHARDS), and each sampled return stands for
/// `sampleRate` returns. A newer ghost overwrites an older one in its word; a
/// tag matches a different key 1 time in 65,536.
@usableFromInline
struct _EvictionGhosts {
  @usableFromInline var table: UnsafeMutablePointer<UInt64>?
  @usableFromInline var mask: UInt64 = 0
  @usableFromInline var sampleMask: UInt64 = 0
  /// How many departures one sampled ghost stands for (a power of two).
  @usableFromInline var sampleRate: Int = 1
  /// Clock ticks per stored time unit (a power of two): the horizon spans
  /// about 64 units, ample precision for "within the horizon or not".
  @usableFromInline var timeShift: Int = 0
  /// Requests per stored request-time unit: about 1,024 units per capacity.
  @usableFromInline var requestShift: Int = 0
  /// The table's size for the full capacity, and the departures within the
  /// horizon (a power of two): the table grows towards the first as the
  /// stripe fills, and samples so as to cover the second.
  @usableFromInline var finalSize = 16
  @usableFromInline var departures = 1
  /// Entries the current table is sized for (`Int.max` at its final size):
  /// the stripe grows it when it holds more, so that an empty cache with a
  /// huge bound costs 128 bytes per stripe, not 32 KiB.
  @usableFromInline var coveredEntries = 0

  /// Bit set in a word for a rejected candidate (clear: a main-region victim).
  @usableFromInline static let rejectedBit: UInt64 = 1 << 47
  /// Bit set in every word that holds a ghost (an empty word is zero).
  @usableFromInline static let occupiedBit: UInt64 = 1 << 46
  /// Each time's bits: ages are taken modulo 2^23 units (over 100,000
  /// horizons; a ghost that old has been overwritten long before).
  @usableFromInline static let timeMask: UInt64 = (1 << 23) - 1
  @usableFromInline static let tagMask: UInt64 = 0xFFFF << 48

  @inlinable init() {}

  /// Sizes the table for a stripe of `capacity` entries and a return horizon
  /// of `horizon` departures, forgetting every ghost.
  @usableFromInline
  mutating func configure(capacity: Int, horizon: Int) {
    let share = Swift.max(capacity / 32, 1)
    finalSize = Swift.min(
      Swift.max(16, 1 << (Int.bitWidth - 1 - share.leadingZeroBitCount)), _TinyLFUConstants.ghostTableMaximum)
    // Up to two departures (one of each kind) per unit of horizon.
    departures = _nextPowerOfTwo(Swift.max(2 * horizon, 1))
    allocate(size: 16)
    timeShift = Swift.max(0, (Int.bitWidth - Swift.max(horizon, 1).leadingZeroBitCount) - 6)
    requestShift = Swift.max(0, (Int.bitWidth - Swift.max(capacity, 1).leadingZeroBitCount) - 10)
  }

  @usableFromInline
  mutating func allocate(size: Int) {
    destroy()
    let pointer = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
    pointer.initialize(repeating: 0, count: size)
    table = pointer
    mask = UInt64(size - 1)
    let rate = Swift.max(1, departures / size)
    sampleRate = rate
    sampleMask = UInt64(rate - 1)
    coveredEntries = size >= finalSize ? .max : size * 32
  }

  /// Grows the table (forgetting its ghosts) when the stripe holds more
  /// entries than it covers.
  @inlinable @inline(__always)
  mutating func ensureCapacity(_ entries: Int) {
    if _slowPath(entries > coveredEntries) { grow(toCover: entries) }
  }

  @usableFromInline
  mutating func grow(toCover entries: Int) {
    var size = Int(mask + 1) * 2
    while size * 32 < entries && size < finalSize { size <<= 1 }
    allocate(size: Swift.min(size, finalSize))
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
  static func tag(_ spread: UInt64) -> UInt64 { (spread << 32) & tagMask }

  /// Remembers that the key with this hash left, at `time` on its region's
  /// clock and at `request` on the stripe's request clock.
  @inlinable
  mutating func record(_ hash: UInt32, rejected: Bool, time: Int, request: Int) {
    guard let table else { return }
    let spread = Self.spread(hash)
    guard (spread >> 40) & sampleMask == 0 else { return }
    table[Int(spread & mask)] =
      Self.tag(spread) | (rejected ? Self.rejectedBit : 0) | Self.occupiedBit
      | (UInt64(truncatingIfNeeded: time >> timeShift) & Self.timeMask) << 23
      | (UInt64(truncatingIfNeeded: request >> requestShift) & Self.timeMask)
  }

  /// The ghost of the key with this hash, if it is remembered (it is then
  /// forgotten): why it left, its age in departures on that region's clock
  /// (to the time unit), and its age in requests (to the request unit).
  @inlinable
  mutating func take(_ hash: UInt32, windowTime: Int, mainTime: Int, request: Int)
    -> (rejected: Bool, age: Int, requests: Int)?
  {
    guard let table else { return nil }
    let spread = Self.spread(hash)
    guard (spread >> 40) & sampleMask == 0 else { return nil }
    let slot = Int(spread & mask)
    let word = table[slot]
    guard word & Self.occupiedBit != 0, word & Self.tagMask == Self.tag(spread) else { return nil }
    table[slot] = 0
    let rejected = word & Self.rejectedBit != 0
    let now = UInt64(truncatingIfNeeded: (rejected ? windowTime : mainTime) >> timeShift)
    let age = Int((now &- (word >> 23)) & Self.timeMask) << timeShift
    let requestNow = UInt64(truncatingIfNeeded: request >> requestShift)
    let requests = Int((requestNow &- word) & Self.timeMask) << requestShift
    return (rejected, age, requests)
  }
}
