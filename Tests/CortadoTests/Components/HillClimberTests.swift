import Testing

@testable import Cortado

/// The hill climber on its own: direction, decay, the dead band and restart.
@Suite("Component: the hill climber")
struct HillClimberTests {
  @Test func theFirstSampleOnlySetsTheBaseline() {
    var climber = _HillClimber(maximum: 1_000)
    #expect(climber.sampleSize == 10_000)
    #expect(climber.adjustment(hitRate: 0.9) == 0)
  }

  @Test func aRisingRateKeepsTheDirectionAndTheStepDecays() {
    var climber = _HillClimber(maximum: 1_000)  // full step 62.5
    _ = climber.adjustment(hitRate: 0.50)
    #expect(climber.adjustment(hitRate: 0.52) == 62)  // grow by the full step
    #expect(climber.adjustment(hitRate: 0.54) == 61)  // same way, 2% smaller
    #expect(climber.adjustment(hitRate: 0.56) == 60)
  }

  @Test func aFallingRateReverses() {
    var climber = _HillClimber(maximum: 1_000)
    _ = climber.adjustment(hitRate: 0.50)
    #expect(climber.adjustment(hitRate: 0.52) == 62)
    let back = climber.adjustment(hitRate: 0.50)
    #expect(back == -61, "the last move (growing) hurt: shrink")
    #expect(climber.adjustment(hitRate: 0.52) < 0, "shrinking helped: keep shrinking")
  }

  @Test func changesUnderOnePointAreIgnored() {
    var climber = _HillClimber(maximum: 1_000)
    _ = climber.adjustment(hitRate: 0.50)
    #expect(climber.adjustment(hitRate: 0.505) == 0)
    #expect(climber.adjustment(hitRate: 0.495) == 0)
    #expect(climber.adjustment(hitRate: 0.52) == 62, "the baseline stayed at 0.50")
  }

  @Test func aJumpRestartsAtTheFullStep() {
    var climber = _HillClimber(maximum: 1_000)
    _ = climber.adjustment(hitRate: 0.50)
    for rate in [0.52, 0.54, 0.56, 0.58, 0.60] { _ = climber.adjustment(hitRate: rate) }
    #expect(abs(climber.step) < 62.5)
    _ = climber.adjustment(hitRate: 0.30)  // the workload changed: 30 points down
    #expect(abs(climber.step) == 62.5)
  }

  @Test func hugeCapacitiesDoNotOverflow() {
    let climber = _HillClimber(maximum: .max)
    #expect(climber.sampleSize == .max)
  }
}
