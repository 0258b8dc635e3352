import Testing

@testable import Cortado

/// The clock reader on its own: each source reads what it should.
@Suite("Component: the clock reader")
struct CacheClockTests {
  @Test func aManualClockIsReadExactly() {
    let manual = ManualClock(start: .seconds(5))
    let clock = CacheClock(manual)
    #expect(clock.now() == 5_000_000_000)
    manual.advance(by: .nanoseconds(7))
    #expect(clock.now() == 5_000_000_007)
  }

  @Test func aManualClockAtItsEndIsClampedBelowNever() {
    let manual = ManualClock(start: .seconds(1))
    manual.advance(by: .seconds(Int64.max))
    #expect(CacheClock(manual).now() == _Time.latestReading)
  }

  /// A clock Cortado does not know is read through `now` and `duration(to:)`,
  /// as the time elapsed since the reader was made.
  @Test func anotherClockIsReadAsTimeSinceTheReaderWasMade() {
    let manual = ManualClock(start: .seconds(100))
    let clock = CacheClock(Wrapped(base: manual))
    #expect(clock.now() == 0)
    manual.advance(by: .milliseconds(3))
    #expect(clock.now() == 3_000_000)
  }

  @Test func theSystemClocksNeverGoBackwards() {
    for clock in [CacheClock(ContinuousClock()), CacheClock(SuspendingClock()), CacheClock(CoarseClock())] {
      var previous = clock.now()
      for _ in 0..<1_000 {
        let reading = clock.now()
        #expect(reading >= previous)
        previous = reading
      }
    }
  }

  @Test func theContinuousReaderAgreesWithContinuousClock() {
    let clock = CacheClock(ContinuousClock())
    let start = ContinuousClock.now
    let first = clock.now()
    let second = clock.now()
    let elapsed = start.duration(to: .now)
    #expect(second - first <= elapsed._nanosecondsClamped + 1_000_000)
  }
}

/// A clock that is none of the ones `CacheClock` recognises.
struct Wrapped: Clock {
  let base: ManualClock
  var now: ManualClock.Instant { base.now }
  var minimumResolution: Duration { base.minimumResolution }
  func sleep(until deadline: ManualClock.Instant, tolerance: Duration?) async throws {
    try await base.sleep(until: deadline, tolerance: tolerance)
  }
}
