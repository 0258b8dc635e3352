/// Counters describing how a cache has been used since it was created (or
/// since ``Cache/resetStatistics()``).
///
/// The equivalent of `cache_info()` in Python's `functools.lru_cache` and
/// `cachetools`, with the causes of removal kept apart so you can tell a cache
/// that is too small (many evictions) from one whose lifetime is too short
/// (many expirations).
///
/// Counters are kept per stripe under the stripe's lock, so reading them costs
/// one lock per stripe and never slows the cache down.
public struct CacheStatistics: Sendable, Hashable, CustomStringConvertible {
  /// Reads that found a live value.
  public var hitCount: Int = 0
  /// Reads that found no live value (absent or expired).
  public var missCount: Int = 0
  /// New keys stored.
  public var insertionCount: Int = 0
  /// Writes that replaced a live value.
  public var replacementCount: Int = 0
  /// Entries removed by an explicit call.
  public var removalCount: Int = 0
  /// Entries removed by the eviction policy to respect the capacity.
  public var evictionCount: Int = 0
  /// The summed cost of the evicted entries (equals `evictionCount` without a
  /// cost function).
  public var evictionCost: Int = 0
  /// Entries removed because their lifetime ended.
  public var expirationCount: Int = 0
  /// Values not stored because they were too costly (or the cache stores nothing).
  public var rejectionCount: Int = 0
  /// Loads (and refreshes) whose loader returned a value.
  public var loadSuccessCount: Int = 0
  /// Loads (and refreshes) whose loader threw.
  public var loadFailureCount: Int = 0
  /// Time spent in loaders, successful or not.
  public var totalLoadTime: Duration = .zero
  /// Background refreshes started by a `refreshAfter` freshness.
  public var refreshCount: Int = 0
  /// Times a stale value was served because its reload failed (`staleIfError`).
  public var staleHitCount: Int = 0

  /// Creates statistics with every counter at zero.
  public init() {}

  /// `hitCount + missCount`.
  public var requestCount: Int { hitCount + missCount }

  /// The fraction of reads that hit (1 when there were no reads).
  public var hitRate: Double {
    requestCount == 0 ? 1 : Double(hitCount) / Double(requestCount)
  }

  /// The fraction of reads that missed (0 when there were no reads).
  public var missRate: Double {
    requestCount == 0 ? 0 : Double(missCount) / Double(requestCount)
  }

  /// The mean time a load took, or zero when nothing was loaded.
  public var averageLoadTime: Duration {
    let loads = loadSuccessCount + loadFailureCount
    return loads == 0 ? .zero : totalLoadTime / loads
  }

  /// The counters accumulated since `earlier` was taken.
  public func subtracting(_ earlier: CacheStatistics) -> CacheStatistics {
    var result = CacheStatistics()
    result.hitCount = hitCount - earlier.hitCount
    result.missCount = missCount - earlier.missCount
    result.insertionCount = insertionCount - earlier.insertionCount
    result.replacementCount = replacementCount - earlier.replacementCount
    result.removalCount = removalCount - earlier.removalCount
    result.evictionCount = evictionCount - earlier.evictionCount
    result.evictionCost = evictionCost - earlier.evictionCost
    result.expirationCount = expirationCount - earlier.expirationCount
    result.rejectionCount = rejectionCount - earlier.rejectionCount
    result.loadSuccessCount = loadSuccessCount - earlier.loadSuccessCount
    result.loadFailureCount = loadFailureCount - earlier.loadFailureCount
    result.totalLoadTime = totalLoadTime - earlier.totalLoadTime
    result.refreshCount = refreshCount - earlier.refreshCount
    result.staleHitCount = staleHitCount - earlier.staleHitCount
    return result
  }

  public var description: String {
    let rate = (hitRate * 1000).rounded() / 10
    return "CacheStatistics(hits: \(hitCount), misses: \(missCount), hitRate: \(rate)%, "
      + "insertions: \(insertionCount), replacements: \(replacementCount), removals: \(removalCount), "
      + "evictions: \(evictionCount), expirations: \(expirationCount), rejections: \(rejectionCount), "
      + "loads: \(loadSuccessCount) ok / \(loadFailureCount) failed in \(totalLoadTime))"
  }

  @usableFromInline
  mutating func add(_ counters: _Counters, hits: Int, misses: Int) {
    hitCount += hits
    missCount += misses
    insertionCount += counters.insertions
    replacementCount += counters.replacements
    removalCount += counters.removals
    evictionCount += counters.evictions
    evictionCost = _saturatingAdd(evictionCost, counters.evictedCost)
    expirationCount += counters.expirations
    rejectionCount += counters.rejections
    refreshCount += counters.refreshes
    staleHitCount += counters.staleServed
  }
}
