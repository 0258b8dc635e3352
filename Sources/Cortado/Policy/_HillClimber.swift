/// The hill climber that sizes W-TinyLFU's admission window (the constants
/// are Caffeine's, which Otter and Theine also use).
///
/// Every `sampleSize` requests (ten times the capacity), it compares the
/// sample's hit rate with the previous one (changes under one point are
/// ignored as noise). If the rate did not fall, the next
/// step goes the same way; if it fell, it reverses. The step starts at 6.25%
/// of the capacity and decays by 2% per sample, and restarts at full size when
/// the hit rate moves by 5 points or more (the workload changed).
@usableFromInline
struct _HillClimber {
  @usableFromInline var sampleSize: Int
  @usableFromInline var hitsBase: Int = 0
  @usableFromInline var missesBase: Int = 0
  /// The previous sample's hit rate; nil until the first sample, which only
  /// sets the baseline (comparing it with zero would always grow the window).
  @usableFromInline var previousHitRate: Double?
  /// Signed: the direction of the last move, in entries (or cost units).
  @usableFromInline var step: Double
  @usableFromInline let fullStep: Double

  @usableFromInline static let stepFraction = 0.0625
  @usableFromInline static let decay = 0.98
  @usableFromInline static let restartThreshold = 0.05

  @inlinable
  init(maximum: Int = 0) {
    sampleSize = maximum > Int.max / 10 ? Int.max : Swift.max(maximum * 10, 100)
    fullStep = _HillClimber.stepFraction * Double(maximum)
    step = fullStep
  }

  /// The window change for a finished sample (positive: grow the window).
  @usableFromInline
  mutating func adjustment(hitRate: Double) -> Int {
    guard let previousHitRate else {
      self.previousHitRate = hitRate
      return 0
    }
    let change = hitRate - previousHitRate
    // A dead band: on a stationary workload, changes below one point are
    // sampling noise, and chasing them moved the window away from its best
    // size (measured: 1 to 2 points of hit ratio lost on Zipf and scan traces).
    if abs(change) < 0.01 { return 0 }
    let amount = change >= 0 ? step : -step
    step =
      abs(change) >= _HillClimber.restartThreshold
      ? fullStep * (amount >= 0 ? 1 : -1)
      : _HillClimber.decay * amount
    self.previousHitRate = hitRate
    return Int(amount)
  }
}
