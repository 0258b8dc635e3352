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

  /// From this arena size on, a growth hands the allocator's free memory
  /// back to the system (`_cortado_return_freed_memory`, after the stripe is
  /// unlocked; the index counts two buckets per slot). glibc keeps freed
  /// blocks above its mapping threshold as resident free space once it has
  /// raised that threshold, and a cache filled to 1,000,000 entries kept 4–5
  /// bytes per entry so (measured: 88.7 → 85.0 MB with a lifetime, 80.7 →
  /// 75.5 MB without). `malloc_trim` walks the whole process's heap, so its
  /// cost is not this stripe's: it runs outside the lock, and only for large
  /// arenas, whose arrays (about 1 MiB together at 16,384 slots) are worth
  /// returning; a cache reaches each size once, so a cache of n entries
  /// trims O(log n) times per stripe.
  @usableFromInline static let returnFreedMemoryCapacity = 16_384

  /// A growth of the frequency sketch that freed a table of at least this
  /// many bytes hands the allocator's free memory back too. The sketch grows
  /// with the entries, after the arena's last growth, and its freed tables
  /// (half of 5 bytes per entry) stayed resident: 2–3 bytes per entry of a
  /// cache filled to 1,000,000 entries. 128 KiB is what the index frees at
  /// its threshold (32,768 four-byte buckets), below which a trim returns
  /// too little to pay for its walk of the heap.
  @usableFromInline static let returnFreedTableBytes = 128 << 10
}
