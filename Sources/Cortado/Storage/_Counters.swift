/// Per-stripe statistics counters, updated under the stripe lock.
@usableFromInline
struct _Counters {
  @usableFromInline var insertions = 0
  @usableFromInline var replacements = 0
  @usableFromInline var removals = 0
  @usableFromInline var evictions = 0
  @usableFromInline var evictedCost = 0
  @usableFromInline var expirations = 0
  @usableFromInline var rejections = 0
  @usableFromInline var refreshes = 0
  @usableFromInline var staleServed = 0

  @inlinable
  init() {}
}
