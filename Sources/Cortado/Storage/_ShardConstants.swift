/// Tuning numbers of a stripe's bookkeeping, each with the reason for its
/// value.
@usableFromInline
enum _ShardConstants {
  /// Remembered loader failures per stripe, at least: even a tiny cache may
  /// see a burst of failing keys, and forgetting one early only costs one
  /// more loader call.
  @usableFromInline static let minimumRememberedFailures = 64

  /// Remembered loader failures per stripe, at most: choosing the one to
  /// forget is a linear scan, which must stay short under the lock.
  @usableFromInline static let maximumRememberedFailures = 4_096

  /// Expired entries an operation reclaims on its way (misses, writes,
  /// removals and locked hits): enough to keep ahead of the rate at which
  /// entries can expire (at most one per write), small enough that no
  /// operation pays for a backlog.
  @usableFromInline static let reclaimPerOperation = 2

  /// The largest cost budget a cache enforces (2^61): a `maximumCost` above it
  /// is treated as this. No real memory reaches it, and below it every sum the
  /// policies keep (a budget plus one more entry's cost, which is at most the
  /// budget) fits in an `Int`.
  @usableFromInline static let largestCostBudget = Int.max >> 2
}
