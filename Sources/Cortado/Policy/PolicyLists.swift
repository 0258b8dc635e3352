/// The ids of a stripe's intrusive lists: indices into `listHeads`,
/// `listTails` and `listWeights` (a `SIMD4`, so that the four heads share one
/// 16-byte load), and W-TinyLFU's region of an entry (`_Links.region`).
///
/// Plain `Int` constants rather than an enum with raw values: they index the
/// vectors directly, with no conversion on the hot path.
@usableFromInline
enum _List {
  /// The one list of LRU (recency order) and FIFO (insertion order).
  @usableFromInline static let single = 0
  /// W-TinyLFU's window: new entries, in recency order (the same list as
  /// `single`: a stripe runs one policy).
  @usableFromInline static let window = 0
  /// W-TinyLFU's probation region: main-region entries seen once since
  /// admission; the victim is its head.
  @usableFromInline static let probation = 1
  /// W-TinyLFU's protected region: main-region entries hit again.
  @usableFromInline static let protected = 2
  /// Entries kept after expiry for refresh or fail-safe, which left the
  /// policy (every policy).
  @usableFromInline static let stale = 3
}
