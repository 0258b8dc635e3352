/// W-TinyLFU's tuning numbers, each with the reason for its value.
@usableFromInline
enum _TinyLFUConstants {
  /// The main region's share of the capacity at start (the window gets the
  /// rest, at least one entry): 1% window is the starting point the
  /// W-TinyLFU paper found best for frequency-skewed workloads, and the
  /// smallest window `_WindowSizer` returns to.
  @inlinable static var initialMainShare: Double { 0.99 }

  /// The protected region's share of the main region: 80% keeps entries hit
  /// twice safe from one-hit newcomers while probation stays large enough to
  /// give newcomers a chance (the segmented-LRU split of the paper).
  @inlinable static var protectedShare: Double { 0.8 }

  /// Entries moved between regions by one resize of the window, at most: a
  /// resize happens under the stripe's lock, so it must stay short; the rest
  /// of the move happens as entries age out naturally.
  @inlinable static var maximumMovesPerResize: Int { 1_000 }

  /// Hits counted in an entry before they are added to the sketch: 8 keeps
  /// the sketch at most a few hits behind while saving four counter updates
  /// on most hits, and the count below it fits the 3 bits it has in a link
  /// word (`_Links.pendingHits`, at most `_Links.fieldMaximum`).
  @inlinable static var pendingHitsFlushThreshold: UInt8 { 8 }

  /// Sketch frequency from which a losing candidate counts against a victim
  /// (`_AdmissionGuard`): a candidate seen this often is warm, and a victim
  /// that keeps outbidding warm candidates without being used is suspect.
  /// Caffeine's threshold for its random admission, for the same reason.
  @inlinable static var warmCandidateFrequency: Int { 6 }

  /// Warm candidates one victim may reject in a row, at least (the limit is
  /// the stripe's capacity when larger): a used victim leaves probation long
  /// before; a small cache still gets a bounded wait.
  @inlinable static var minimumVictimRejections: Int { 128 }

  /// Ghost table words per stripe, at most (32 KiB): enough sampled ghosts
  /// for a stable estimate of return rates, a constant cost however large
  /// the bound.
  @inlinable static var ghostTableMaximum: Int { 4_096 }

  /// The return horizon Δ, as a share of the capacity: a ghost counts as
  /// evidence only if it came back within Δ of its region's turnover, i.e. if
  /// moving Δ of capacity to that region would have made it a hit. 5% kept
  /// the skewed traces within 0.1 point of a fixed window while still seeing
  /// a moving hot spot (2% and 1% lost most of the signal; 15% and more grew
  /// the window on plain Zipf traces).
  @inlinable static var returnHorizonShare: Double { 0.05 }

  /// Requests per window decision, at least (the capacity when larger): a
  /// sample short enough to follow a hot spot that moves every few
  /// capacities of requests, long enough to hold dozens of sampled returns.
  @inlinable static var minimumSizingSample: Int { 1_000 }

  /// The net advantage of the window's returns over the main region's, per
  /// request, above which the window grows: 1 point. Stable skewed traces stay
  /// under a tenth of that with a 1% window; moving hot spots show several
  /// points (0.5 grew the window on some Zipf traces, 2 missed slower shifts).
  @inlinable static var recencyRateThreshold: Double { 0.01 }

  /// Below this share of the threshold the window shrinks back (between the
  /// two, it holds): without a shrinking force a window grown during a recency
  /// phase stayed large through a following loop (46% instead of 70% on the
  /// `phases` trace at 2,500 entries).
  @inlinable static var shrinkBelowShare: Double { 0.25 }

  /// The shadow LRU's lead over the cache, in hits per sampled request, above
  /// which the window grows by the largest step (`_ShadowLRU`): half a point.
  /// A point let the moving hot spots trail LRU by up to 0.9 point; 0.3 point
  /// was no better than half (the shadow's sampling noise is about that).
  @inlinable static var lruLeadThreshold: Double { 0.005 }

  /// Looks at the shadow LRU per sample, the last at its end: a hot spot that
  /// moved is followed a quarter sample later, not a whole one (the tour's
  /// 300,000-request `shift` trace: 71.7% → 72.2% at 20,000 entries, LRU
  /// 72.7%; 8 looks were no better).
  @inlinable static var looksPerSample: Int { 4 }

  /// Standard deviations by which the shadow's lead must stand out before a
  /// look within a sample acts on it (McNemar's test, `_ShadowLRU`): without
  /// the test, early looks grew the window on noise, costing Zipf 0.5 at
  /// 100,000 entries 0.8 point and the scan trace at 5,000 entries 4; at 3
  /// they cost nothing measurable, and 4 was no better.
  @inlinable static var earlyLeadConfidence: Double { 3 }

  /// The shadow LRU's target size in entries (`_ShadowLRU`): the stripe's
  /// keys are sampled at 1 in (capacity / 1,024), so the shadow holds 1,024
  /// to 2,047 entries, or the whole capacity below that. Shadows of 256–511
  /// and 512–1,023 entries left the moving hot spots 0.2–0.4 point further
  /// behind LRU (sampling noise); 2,048–4,095 gained nothing.
  @inlinable static var shadowEntries: Int { 1_024 }

  /// One window move, as a share of the capacity: Caffeine's climber step.
  @inlinable static var windowStepShare: Double { 0.0625 }

  /// A growing step is multiplied by the advantage over the threshold, up to
  /// this factor: a strong, sudden recency signal (a hot spot that just
  /// moved) then reaches LRU's shape in a few samples, not a dozen (0.5 to 1
  /// point more on the moving hot spots, no change elsewhere).
  @inlinable static var maximumStepScale: Double { 4 }

  /// The main region's smallest share of the capacity when the window grows:
  /// the admission filter keeps a foothold from which to grow back.
  @inlinable static var minimumMainShare: Double { 0.01 }
}
