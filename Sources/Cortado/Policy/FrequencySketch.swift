/// A count-min sketch of 4-bit counters that estimates how often each key was
/// used recently: W-TinyLFU's memory of popularity, including keys that are no
/// longer (or not yet) in the cache.
///
/// Layout, as in Caffeine's design: the table is an array of `UInt64` words,
/// each holding sixteen 4-bit counters. A key picks one 64-byte block (eight
/// words) and four counters inside it, so an increment or an estimate usually
/// touches a single cache line. The estimate is the minimum of the four.
///
/// Aging: after `sampleSize` increments (ten times the expected entries),
/// every counter is halved, so old popularity fades and the 4-bit counters
/// never saturate for long.
///
/// Size: half a word per expected entry (eight counters per entry), i.e. about
/// 4 bytes per entry. The table grows with the shard when the expected size
/// is unknown (weighted caches).
@usableFromInline
struct _FrequencySketch {
  @usableFromInline var table: UnsafeMutablePointer<UInt64>?
  @usableFromInline var blockMask: Int = 0
  @usableFromInline var words: Int = 0
  @usableFromInline var sampleSize: Int = 0
  @usableFromInline var additions: Int = 0

  @inlinable
  init() {}

  /// Sizes the table for `expectedEntries` (forgets all counts).
  @usableFromInline
  mutating func configure(expectedEntries: Int) {
    destroy()
    let entries = Swift.max(expectedEntries, 16)
    var wordCount = 8
    while wordCount * 2 < entries && wordCount < (1 << 28) { wordCount <<= 1 }
    let pointer = UnsafeMutablePointer<UInt64>.allocate(capacity: wordCount)
    pointer.initialize(repeating: 0, count: wordCount)
    table = pointer
    words = wordCount
    blockMask = wordCount / 8 - 1
    sampleSize = entries > Int.max / 10 ? Int.max : entries * 10
    additions = 0
  }

  @usableFromInline
  mutating func destroy() {
    table?.deallocate()
    table = nil
    words = 0
  }

  /// Grows the table when the shard holds more entries than it was sized for.
  @inlinable
  mutating func ensureCapacity(_ entries: Int) {
    if entries > words * 2 && words < (1 << 28) {
      configure(expectedEntries: entries * 2)
    }
  }

  /// The estimated recent use count of the key with this hash (0...15).
  @inlinable
  func frequency(_ hash: UInt32) -> Int {
    guard let table else { return 0 }
    let spread = _mix64(UInt64(hash) &* 0x9E37_79B9_7F4A_7C15)
    let block = (Int(truncatingIfNeeded: spread) & blockMask) &<< 3
    var bits = spread >> 32
    var minimum = 15
    for _ in 0..<4 {
      let word = block &+ Int(bits & 7)
      let shift = UInt64((bits >> 3) & 15) &<< 2
      let value = Int((table[word] >> shift) & 15)
      if value < minimum { minimum = value }
      bits >>= 7
    }
    return minimum
  }

  /// Records one use of the key with this hash.
  @inlinable
  mutating func increment(_ hash: UInt32) {
    guard let table else { return }
    let spread = _mix64(UInt64(hash) &* 0x9E37_79B9_7F4A_7C15)
    let block = (Int(truncatingIfNeeded: spread) & blockMask) &<< 3
    var bits = spread >> 32
    var added = false
    for _ in 0..<4 {
      let word = block &+ Int(bits & 7)
      let shift = UInt64((bits >> 3) & 15) &<< 2
      if (table[word] >> shift) & 15 != 15 {
        table[word] &+= 1 &<< shift
        added = true
      }
      bits >>= 7
    }
    if added {
      additions &+= 1
      if additions >= sampleSize { reset() }
    }
  }

  /// Halves every counter (the aging step).
  @usableFromInline
  mutating func reset() {
    guard let table else { return }
    var odd = 0
    for word in 0..<words {
      odd &+= (table[word] & 0x1111_1111_1111_1111).nonzeroBitCount
      table[word] = (table[word] >> 1) & 0x7777_7777_7777_7777
    }
    additions = (additions &- (odd >> 2)) >> 1
  }
}
