/// A fixed-size set of small integers, one bit each.
struct Bitset {
  private var words: [UInt64]

  init(count: Int) {
    words = [UInt64](repeating: 0, count: (count + 63) / 64)
  }

  @inline(__always)
  func contains(_ index: Int) -> Bool {
    words[index >> 6] & (1 << UInt64(index & 63)) != 0
  }

  @inline(__always)
  mutating func insert(_ index: Int) {
    words[index >> 6] |= 1 << UInt64(index & 63)
  }

  @inline(__always)
  mutating func remove(_ index: Int) {
    words[index >> 6] &= ~(1 << UInt64(index & 63))
  }
}
