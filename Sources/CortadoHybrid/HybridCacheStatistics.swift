/// Counters of a ``HybridCache`` since it was created.
public struct HybridCacheStatistics: Sendable, Hashable {
  /// Reads answered by a fresh value in memory (L1).
  public var localHits = 0
  /// Reads answered by a fresh value from the store (L2).
  public var remoteHits = 0
  /// Store reads that found only a stale value (kept as fail-safe fallback).
  public var remoteStaleHits = 0
  /// Store reads that found nothing.
  public var remoteMisses = 0
  /// Store calls that failed or timed out (each counted as a miss or a
  /// failed write).
  public var remoteErrors = 0
  /// Store calls skipped because the store was not connected (fail fast).
  public var remoteSkips = 0
  /// Values in the store that were not usable (not an envelope, another
  /// format, codec or schema version, another key, undecodable): misses,
  /// never deleted.
  public var rejectedRemoteValues = 0
  /// Loader calls, counted as each one returns or throws (with the rest of
  /// its fill's counts, under one lock).
  public var loaderCalls = 0
  /// Loader calls that threw.
  public var loaderFailures = 0
  /// Stale values served because the loader failed (fail-safe).
  public var failSafeFallbacks = 0
  /// Writes and removals that reached the store.
  public var remoteWrites = 0
  /// Values too large for the store, cached in memory only.
  public var oversizedValues = 0
  /// Loaded values not written to the store because a write, removal or
  /// invalidation of the key happened while loading (the newer state wins);
  /// their callers still got them.
  public var supersededFills = 0
  /// Invalidation events handled (any kind).
  public var invalidationEvents = 0
  /// Keys of this cache invalidated by another client.
  public var invalidatedKeys = 0
  /// Operations put in the recovery queue.
  public var recoveryQueued = 0
  /// Queued operations that reached the store on replay.
  public var recoveryReplayed = 0
  /// Replayed writes refused because the store held a newer value.
  public var recoveryRefused = 0
  /// Queued operations dropped: the queue was full, or the value's lifetime
  /// ended before it could be replayed.
  public var recoveryDropped = 0

  /// Creates zeroed statistics.
  public init() {}

  /// Adds `other`'s counts: a call tallies its counts locally and adds them
  /// under the state lock it takes anyway, once, instead of taking the lock
  /// for every `+= 1`. (`StatisticsTallyTests` checks that it sums every
  /// counter.)
  mutating func add(_ other: HybridCacheStatistics) {
    localHits += other.localHits
    remoteHits += other.remoteHits
    remoteStaleHits += other.remoteStaleHits
    remoteMisses += other.remoteMisses
    remoteErrors += other.remoteErrors
    remoteSkips += other.remoteSkips
    rejectedRemoteValues += other.rejectedRemoteValues
    loaderCalls += other.loaderCalls
    loaderFailures += other.loaderFailures
    failSafeFallbacks += other.failSafeFallbacks
    remoteWrites += other.remoteWrites
    oversizedValues += other.oversizedValues
    supersededFills += other.supersededFills
    invalidationEvents += other.invalidationEvents
    invalidatedKeys += other.invalidatedKeys
    recoveryQueued += other.recoveryQueued
    recoveryReplayed += other.recoveryReplayed
    recoveryRefused += other.recoveryRefused
    recoveryDropped += other.recoveryDropped
  }
}

/// Errors a ``HybridCache`` throws itself (loader errors are thrown as they are).
public enum HybridCacheError: Error, Sendable {
  /// The codec could not encode the value: a programming error.
  case encodingFailed(key: String, underlying: any Error)
  /// The store does not implement what an option needs (named: the store's
  /// requirement); nothing was written, and memory no longer holds the key.
  case unsupportedByStore(String)
}

/// Why a store call was not made or not finished. Internal: callers see a
/// miss or a queued write, never this.
enum HybridRemoteError: Error, Sendable {
  /// The store was not connected (fail fast).
  case unavailable
  /// The call passed ``HybridCacheConfiguration/remoteTimeout``.
  case timedOut
}
