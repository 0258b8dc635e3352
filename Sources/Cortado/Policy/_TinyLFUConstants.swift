/// W-TinyLFU's tuning numbers, each with the reason for its value.
@usableFromInline
enum _TinyLFUConstants {
  /// The main region's share of the capacity at start (the window gets the
  /// rest, at least one entry): 1% window is the starting point the
  /// W-TinyLFU paper found best for frequency-skewed workloads; the hill
  /// climber moves it from there.
  @inlinable static var initialMainShare: Double { 0.99 }

  /// The protected region's share of the main region: 80% keeps entries hit
  /// twice safe from one-hit newcomers while probation stays large enough to
  /// give newcomers a chance (the segmented-LRU split of the paper).
  @inlinable static var protectedShare: Double { 0.8 }

  /// Entries moved between regions by one resize of the window, at most: a
  /// resize happens under the stripe's lock, so it must stay short; the rest
  /// of the move happens as entries age out naturally.
  @inlinable static var maximumMovesPerResize: Int { 1_000 }

  /// Hits counted in an entry before they are added to the sketch: the
  /// counter is a byte of padding, and 8 keeps the sketch at most a few hits
  /// behind while saving four counter updates on most hits.
  @inlinable static var pendingHitsFlushThreshold: UInt8 { 8 }

  /// Sketch frequency from which a candidate that lost to the victim is
  /// still admitted now and then: a hot candidate must not be shut out for
  /// good by a victim that is just as hot (hash-flooding resistance, as in
  /// Caffeine).
  @inlinable static var jitterMinimumFrequency: Int { 6 }

  /// The chance of that admission is 1 in (mask + 1) = 1 in 128: rare enough
  /// not to disturb the policy, often enough to break a tie within a sample.
  @inlinable static var jitterMask: UInt64 { 127 }
}
