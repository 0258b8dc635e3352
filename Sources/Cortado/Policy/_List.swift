/// The ids of a stripe's intrusive lists: indices into `listHeads`,
/// `listTails` and `listWeights` (a `SIMD4`, so that the four heads share one
/// 16-byte load), and W-TinyLFU's region of an entry (`_Links.region`).
///
/// Plain `Int` constants rather than an enum with raw values: they index the
/// vectors directly, with no conversion on the hot path; computed, so that
/// code inlined into other modules folds them instead of reading a global.
@usableFromInline
enum _List {
  /// The one list of LRU (recency order) and FIFO (insertion order).
  @inlinable static var single: Int { 0 }
  /// W-TinyLFU's window: new entries, in recency order (the same list as
  /// `single`: a stripe runs one policy).
  @inlinable static var window: Int { 0 }
  /// W-TinyLFU's probation region: main-region entries seen once since
  /// admission; the victim is its head.
  @inlinable static var probation: Int { 1 }
  /// W-TinyLFU's protected region: main-region entries hit again.
  @inlinable static var protected: Int { 2 }
  /// Entries kept after expiry for refresh or fail-safe, which left the
  /// policy (every policy).
  @inlinable static var stale: Int { 3 }
}
