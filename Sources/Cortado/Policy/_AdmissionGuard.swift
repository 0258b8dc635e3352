/// W-TinyLFU's defence against a victim that nothing can displace.
///
/// Ties keep the victim: on a loop over more keys than the cache holds, that
/// keeps a stable set cached (near the optimum), where admitting newcomers
/// would only churn. But an adversary who can make the sketch overestimate a
/// victim (keys whose hashes collide with it, requested over and over) could
/// then keep every newcomer out (HashDoS). Caffeine admits a warm loser at
/// random (1 in 128), which breaks the attack but churns loops: measured here,
/// 89.5% → 84.8% on a loop of 5,000 keys in 4,500 entries.
///
/// This guard counts, instead, how many warm candidates (estimated frequency
/// of at least `_TinyLFUConstants.warmCandidateFrequency`) the *same* victim
/// has rejected in a row. A genuinely popular victim is used and moves on
/// (to the protected region) long before that count reaches
/// `limit` — the stripe's capacity, at least
/// `_TinyLFUConstants.minimumVictimRejections` — so loops keep their set; a
/// victim that nothing uses yet outbids everyone is displaced after `limit`
/// rejections, whatever the sketch says.
@usableFromInline
struct _AdmissionGuard {
  @usableFromInline var victim: Int32 = -1
  @usableFromInline var rejections = 0
  @usableFromInline var limit = _TinyLFUConstants.minimumVictimRejections

  @inlinable init() {}

  @usableFromInline
  mutating func configure(maximum: Int) {
    victim = -1
    rejections = 0
    limit = Swift.max(maximum, _TinyLFUConstants.minimumVictimRejections)
  }

  /// Whether a candidate that did not outbid `victim` is admitted anyway.
  @inlinable
  mutating func admitsLoser(candidateFrequency: Int, victim: Int32) -> Bool {
    if victim != self.victim {
      self.victim = victim
      rejections = 0
    }
    guard candidateFrequency >= _TinyLFUConstants.warmCandidateFrequency else { return false }
    rejections += 1
    guard rejections >= limit else { return false }
    rejections = 0
    return true
  }
}
