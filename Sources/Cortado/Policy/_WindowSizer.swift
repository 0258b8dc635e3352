/// Sizes W-TinyLFU's admission window from evidence of recency.
///
/// The frequency filter protects the main region from one-time keys, but on a
/// workload whose popular keys change (a moving hot spot, a recency phase) it
/// keeps rejecting newly popular keys in favour of formerly popular ones
/// until the sketch ages. The evidence is direct: a key the filter *rejected*
/// that is inserted again within a short horizon (Δ = 5% of the capacity, on
/// the window's clock of insertions) would have been a hit in a window larger
/// by Δ; a main-region *victim* that comes back within Δ of the main region's
/// evictions would have been a hit in a larger main region. A rejected key
/// counts only if it also came back within `capacity` requests of entering
/// the window (see `inserted`). ``_EvictionGhosts`` remembers a sample of both.
///
/// Once per sample of requests (the capacity, at least 1,000) the sizer
/// compares the two return rates, per request:
/// - more than 1 point of requests in favour of the window: grow it by
///   6.25% of the capacity, times the advantage in points up to 4 (up to all
///   but 1%);
/// - less than a quarter of that: shrink it by the same step (down to its
///   initial 1%), so that without recency evidence the policy returns to the
///   frequency-biased shape the W-TinyLFU paper found best;
/// - in between: hold.
///
/// Before those rules, the shadow LRU (``_ShadowLRU``) is read: when plain
/// LRU would have hit more than half a point more of the sampled requests,
/// the window grows by the largest step; while LRU leads at all, it does not
/// shrink. The ghosts see only the margin of the window's size; on a slowly
/// moving hot spot the gain of LRU's shape is spread over the whole
/// distance, and without the shadow the window stalled near half the cache.
///
/// Rates, not counts, and a dead band: on a stable skewed workload a 1%
/// window sees rejected keys return at a rate of a tenth of a point or less,
/// and chasing that noise cost up to 2 points of hit ratio (measured, see
/// docs/design.md); on a moving hot spot the rate is several points and the
/// window grows in a few samples, where a hill climber on the hit rate needs
/// dozens.
@usableFromInline
struct _WindowSizer {
  @usableFromInline var ghosts = _EvictionGhosts()
  @usableFromInline var shadow = _ShadowLRU()
  /// Keys inserted into the window so far: the clock of rejected candidates.
  @usableFromInline var insertions = 0
  /// Victims evicted from the main region so far: the clock of their ghosts.
  @usableFromInline var mainEvictions = 0
  /// Returns within the horizon in the current sample, each counted
  /// `ghosts.sampleRate` times.
  @usableFromInline var windowReturns = 0
  @usableFromInline var mainReturns = 0
  /// The request count when the current sample began.
  @usableFromInline var sampleStart = 0
  /// The request count at the last look at the shadow LRU, and the requests
  /// between looks.
  @usableFromInline var lastLook = 0
  @usableFromInline var lookInterval = Int.max
  @usableFromInline var horizon = 1
  @usableFromInline var maximum = 0
  @usableFromInline var sampleRequests = Int.max
  @usableFromInline var step = 1
  @usableFromInline var floor = 1
  @usableFromInline var ceiling = 1

  @inlinable init() {}

  /// Whether the sizer runs (caches bounded by count only).
  @inlinable var isEnabled: Bool { ghosts.table != nil }

  /// Prepares the sizer for a stripe of `maximum` entries whose window
  /// starts at `initialWindow` entries.
  @usableFromInline
  mutating func configure(maximum: Int, initialWindow: Int) {
    let share = { (fraction: Double) in Swift.max(1, Int(Double(maximum) * fraction)) }
    horizon = share(_TinyLFUConstants.returnHorizonShare)
    ghosts.configure(capacity: maximum, horizon: horizon)
    shadow.configure(maximum: maximum)
    self.maximum = maximum
    sampleRequests = Swift.max(_TinyLFUConstants.minimumSizingSample, maximum)
    lookInterval = Swift.max(_TinyLFUConstants.minimumSizingSample, sampleRequests / _TinyLFUConstants.looksPerSample)
    step = share(_TinyLFUConstants.windowStepShare)
    floor = initialWindow
    ceiling = Swift.max(initialWindow, maximum - share(_TinyLFUConstants.minimumMainShare))
    insertions = 0
    mainEvictions = 0
    windowReturns = 0
    mainReturns = 0
    sampleStart = 0
    lastLook = 0
  }

  @usableFromInline
  mutating func destroy() {
    ghosts.destroy()
    shadow.destroy()
  }

  /// The stripe's request count in the units of `_Meta.windowUse`.
  @inlinable
  func useStamp(_ requests: Int) -> UInt16 {
    UInt16(truncatingIfNeeded: requests >> ghosts.requestShift)
  }

  /// A candidate leaving the window lost to the victim and was evicted;
  /// `requests` is the stripe's request count, `lastUse` its stamp of the
  /// candidate's last use.
  @inlinable
  mutating func rejected(_ hash: UInt32, requests: Int, lastUse: UInt16) {
    let idle = Int(useStamp(requests) &- lastUse) << ghosts.requestShift
    ghosts.record(hash, rejected: true, time: insertions, request: requests &- idle)
  }

  /// A victim was evicted from the main region.
  @inlinable
  mutating func evictedFromMain(_ hash: UInt32, requests: Int) {
    ghosts.record(hash, rejected: false, time: mainEvictions, request: requests)
    mainEvictions &+= 1
  }

  /// A key entered the window: counts it, and a quick return of a ghost. A
  /// rejected key counts only if it came back within `maximum` requests of
  /// entering the window (then an LRU cache of this size would have kept
  /// it; a hit in the window only makes the true distance shorter): one that
  /// took longer (a loop a little longer than the cache) could be kept only
  /// by the main region, and growing the window would lose the main
  /// region's hits to catch it.
  @inlinable
  mutating func inserted(_ hash: UInt32, requests: Int) {
    insertions &+= 1
    guard
      let ghost = ghosts.take(hash, windowTime: insertions, mainTime: mainEvictions, request: requests),
      ghost.age <= horizon
    else { return }
    if ghost.rejected {
      guard ghost.requests <= maximum else { return }
      windowReturns &+= ghosts.sampleRate
    } else {
      mainReturns &+= ghosts.sampleRate
    }
  }

  /// The window's new maximum when a sample of requests has ended and the
  /// evidence says to move it, or `nil`. `requests` is the stripe's running
  /// count of requests (hits and misses; it restarts when the statistics are
  /// reset).
  @inlinable
  mutating func decision(requests: Int, window: Int) -> Int? {
    // The count went back: the statistics were reset. (`lastLook` is never
    // below `sampleStart`, so this also catches a reset within a sample.)
    if requests < lastLook {
      sampleStart = requests
      lastLook = requests
      _ = shadow.takeLead()
      return nil
    }
    let elapsed = requests &- sampleStart
    guard elapsed >= sampleRequests else { return earlyDecision(requests: requests, window: window) }
    let advantage = Double(windowReturns &- mainReturns) / Double(elapsed)
    sampleStart = requests
    lastLook = requests
    windowReturns = 0
    mainReturns = 0
    let lruLead = shadow.takeLead()
    if let lruLead, lruLead > _TinyLFUConstants.lruLeadThreshold {
      return Swift.min(ceiling, window + Int(Double(step) * _TinyLFUConstants.maximumStepScale))
    }
    if advantage > _TinyLFUConstants.recencyRateThreshold {
      let scale = Swift.min(_TinyLFUConstants.maximumStepScale, advantage / _TinyLFUConstants.recencyRateThreshold)
      let scaled = Int(Double(step) * scale)
      return Swift.min(ceiling, window + Swift.max(step, scaled))
    }
    if advantage < _TinyLFUConstants.recencyRateThreshold * _TinyLFUConstants.shrinkBelowShare
      && (lruLead ?? 0) <= 0
    {
      return window > floor ? Swift.max(floor, window - step) : nil
    }
    return nil
  }

  /// A look at the shadow LRU within a sample (`_TinyLFUConstants.looksPerSample`
  /// of them): when LRU already leads beyond doubt, the window grows now
  /// instead of at the end of the sample (a hot spot that just moved).
  @inlinable
  mutating func earlyDecision(requests: Int, window: Int) -> Int? {
    guard requests &- lastLook >= lookInterval else { return nil }
    lastLook = requests
    guard window < ceiling, let lead = shadow.significantLead(), lead > _TinyLFUConstants.lruLeadThreshold else {
      return nil
    }
    // The shadow starts a fresh comparison, but the sample of returns runs
    // on: restarting it too (so that the next decision weighs only the new
    // size) cost 0.5 point on recency-loop@5000 and 0.3 on phases@2500.
    _ = shadow.takeLead()
    return Swift.min(ceiling, window + Int(Double(step) * _TinyLFUConstants.maximumStepScale))
  }
}
