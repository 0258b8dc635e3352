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
/// Size: 5/8 of a 64-bit word per expected entry (10 counters, 5 bytes), not
/// rounded to a power of two (a key's block is picked by a multiply-shift of
/// its hash). Measured on the peer trace set (docs/design.md): a full word
/// per entry gained 0.2–0.4 point on flat Zipf traces but grew the resident
/// set by 5.7 bytes per entry at a million entries (with a lifetime), over
/// the 4-byte budget; 5/8 grows it by 2.7 (1.2 without a lifetime). The old
/// sizing, half a word rounded up to a power of two, was 4 to 8 bytes. The table is sized *lazily*, as
/// Caffeine's is: it starts at one block and grows as the stripe fills, up to
/// the size for the expected entries, so that an empty cache with a huge bound
/// (50 million entries, or `1 << 40` as a "safety net") costs nothing up
/// front. A grown table starts empty: the small table's counts are mostly
/// collisions (every counter saturates while a large cache fills), and
/// copying them kept every key looking popular until the next aging, a
/// million requests later at 100,000 entries (0.9 point of hit ratio lost).
@usableFromInline
struct _FrequencySketch {
  @usableFromInline var table: UnsafeMutablePointer<UInt64>?
  /// The number of 64-byte blocks (any count: a key's block is chosen by
  /// multiplying, not masking, so the table need not be a power of two).
  @usableFromInline var blockCount: UInt64 = 0
  @usableFromInline var words: Int = 0
  /// The size the table grows to (for the expected entries).
  @usableFromInline var targetWords: Int = 0
  /// Entries the current table is sized for (`Int.max` once it has its
  /// final size): the stripe grows the table when it holds more.
  @usableFromInline var coveredEntries: Int = 0
  @usableFromInline var sampleSize: Int = 0
  @usableFromInline var additions: Int = 0
  /// When the expected entries are unknown (a cache bounded by cost only),
  /// the sample size follows the table.
  @usableFromInline var sampleFollowsTable = false

  /// One 64-byte block (a cache line): the smallest table.
  @usableFromInline static let blockWords = 8
  /// The largest table: 2^28 words (2 GiB), for 2^28 entries per stripe and more.
  @usableFromInline static let maximumWords = 1 << 28
  /// Increments between two agings, per expected entry (Caffeine's value:
  /// long enough for popularity to show, short enough to follow a change).
  @usableFromInline static let samplesPerEntry = 10

  @inlinable
  init() {}

  /// Words for `entries` expected entries: 5/8 of a word each (see above).
  @usableFromInline
  static func words(forEntries entries: Int) -> Int { entries - entries * 3 / 8 }

  /// Entries a table of `words` words is sized for.
  @usableFromInline
  static func entries(forWords words: Int) -> Int { words / 5 * 8 + words % 5 * 8 / 5 }

  /// Prepares the sketch for `expectedEntries` (`Int.max`: unknown, grow
  /// with the stripe), allocating only the first block. Forgets all counts.
  @usableFromInline
  mutating func configure(expectedEntries: Int) {
    destroy()
    sampleFollowsTable = expectedEntries == .max
    let entries = Swift.max(expectedEntries, 16)
    targetWords =
      entries >= _FrequencySketch.maximumWords
      ? _FrequencySketch.maximumWords
      : _roundUp(_FrequencySketch.words(forEntries: entries), to: _FrequencySketch.blockWords)
    if !sampleFollowsTable {
      sampleSize =
        entries > Int.max / _FrequencySketch.samplesPerEntry ? Int.max : entries * _FrequencySketch.samplesPerEntry
    }
    allocate(words: _FrequencySketch.blockWords)
    additions = 0
  }

  @usableFromInline
  mutating func allocate(words wordCount: Int) {
    let pointer = UnsafeMutablePointer<UInt64>.allocate(capacity: wordCount)
    pointer.initialize(repeating: 0, count: wordCount)
    table = pointer
    words = wordCount
    blockCount = UInt64(wordCount / _FrequencySketch.blockWords)
    coveredEntries = wordCount >= targetWords ? .max : _FrequencySketch.entries(forWords: wordCount)
    if sampleFollowsTable {
      sampleSize = _FrequencySketch.entries(forWords: wordCount) * _FrequencySketch.samplesPerEntry
    }
  }

  @usableFromInline
  mutating func destroy() {
    table?.deallocate()
    table = nil
    words = 0
    coveredEntries = 0
  }

  /// Grows the table when the stripe holds more entries than it covers.
  /// Returns the bytes of the table it freed (0 when it did not grow).
  @inlinable @inline(__always) @discardableResult
  mutating func ensureCapacity(_ entries: Int) -> Int {
    if _slowPath(entries > coveredEntries) { return grow(toCover: entries) }
    return 0
  }

  @usableFromInline
  mutating func grow(toCover entries: Int) -> Int {
    guard let old = table, words < targetWords else { return 0 }
    let freedBytes = words * MemoryLayout<UInt64>.stride
    var newWords = words * 2
    while _FrequencySketch.entries(forWords: newWords) < entries && newWords < targetWords { newWords <<= 1 }
    newWords = Swift.min(newWords, targetWords)
    old.deallocate()
    allocate(words: newWords)
    additions = 0  // a new sample for the new table
    return freedBytes
  }

  /// The four counters of a key: word indexes and bit shifts inside one
  /// 64-byte block. One 64-bit mix of the hash picks the block (its low half,
  /// scaled to the block count) and
  /// the counters (7 bits each from the high half: 3 for the word, 4 for the
  /// nibble).
  @inlinable @inline(__always)
  func counters(_ hash: UInt32) -> (SIMD4<Int>, SIMD4<UInt64>) {
    let spread = _mix64(UInt64(hash) &* 0x9E37_79B9_7F4A_7C15)
    let block = Int(truncatingIfNeeded: ((spread & 0xFFFF_FFFF) &* blockCount) >> 32) &<< 3
    let bits = spread >> 32
    let words = SIMD4<Int>(
      block &+ Int(bits & 7), block &+ Int((bits >> 7) & 7),
      block &+ Int((bits >> 14) & 7), block &+ Int((bits >> 21) & 7))
    let shifts = SIMD4<UInt64>((bits >> 1) & 0x3C, (bits >> 8) & 0x3C, (bits >> 15) & 0x3C, (bits >> 22) & 0x3C)
    return (words, shifts)
  }

  /// The estimated recent use count of the key with this hash (0...15).
  @inlinable
  func frequency(_ hash: UInt32) -> Int {
    guard let table else { return 0 }
    let (words, shifts) = counters(hash)
    let a = (table[words[0]] >> shifts[0]) & 15
    let b = (table[words[1]] >> shifts[1]) & 15
    let c = (table[words[2]] >> shifts[2]) & 15
    let d = (table[words[3]] >> shifts[3]) & 15
    return Int(Swift.min(Swift.min(a, b), Swift.min(c, d)))
  }

  /// Records `uses` uses of the key with this hash: the same as `uses`
  /// single increments, each counter saturating at 15.
  @inlinable
  mutating func increment(_ hash: UInt32, by uses: Int = 1) {
    guard let table else { return }
    let (words, shifts) = counters(hash)
    let uses = UInt64(truncatingIfNeeded: Swift.min(uses, 15))
    var added: UInt64 = 0
    for lane in 0..<4 {
      let word = words[lane]
      let shift = shifts[lane]
      let value = table[word]
      let step = Swift.min(uses, 15 &- ((value >> shift) & 15))
      table[word] = value &+ (step &<< shift)
      added |= step
    }
    if added != 0 {
      additions &+= Int(uses)
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
