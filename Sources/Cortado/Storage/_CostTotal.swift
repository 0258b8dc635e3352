/// The summed cost of a stripe's entries, exact and never trapping.
///
/// Costs are user input: any `Int` from zero to `Int.max` is a valid cost, and
/// a stripe may hold up to 2^31 entries, so their sum needs up to 94 bits. It
/// is kept as a 128-bit unsigned pair (`Int128` would need macOS 15), which
/// costs one extra comparison on the write path of weighted caches only.
@usableFromInline
struct _CostTotal: Equatable, Sendable {
  @usableFromInline var high: UInt64 = 0
  @usableFromInline var low: UInt64 = 0

  @inlinable
  init() {}

  @inlinable @inline(__always)
  mutating func add(_ cost: Int) {
    let (sum, carry) = low.addingReportingOverflow(UInt64(truncatingIfNeeded: cost))
    low = sum
    if carry { high &+= 1 }
  }

  @inlinable @inline(__always)
  mutating func subtract(_ cost: Int) {
    let (difference, borrow) = low.subtractingReportingOverflow(UInt64(truncatingIfNeeded: cost))
    low = difference
    if borrow { high &-= 1 }
  }

  /// Whether the total is above `limit` (a non-negative budget; `Int.max`
  /// means unbounded, which no total exceeds).
  @inlinable @inline(__always)
  func exceeds(_ limit: Int) -> Bool {
    limit != .max && (high != 0 || low > UInt64(truncatingIfNeeded: limit))
  }

  /// Whether the total plus `cost` would be above `limit`.
  @inlinable
  func exceeds(_ limit: Int, adding cost: Int) -> Bool {
    var total = self
    total.add(cost)
    return total.exceeds(limit)
  }

  /// The total, or `Int.max` when it does not fit.
  @inlinable
  var saturated: Int {
    high != 0 || low > UInt64(Int.max) ? .max : Int(low)
  }
}
