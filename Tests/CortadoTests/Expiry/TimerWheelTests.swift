import Testing

@_spi(Testing) @testable import Cortado

@Suite("Timer wheel")
struct TimerWheelTests {
  /// Lifetimes at every level of the wheel, including the overflow list.
  static let lifetimes: [Duration] = [
    .nanoseconds(1), .milliseconds(3), .milliseconds(16), .milliseconds(17), .milliseconds(900),
    .seconds(1), .seconds(2), .seconds(59), .seconds(70), .seconds(3_600), .seconds(4_500),
    .seconds(86_400), .seconds(2 * 86_400), .seconds(20 * 86_400), .seconds(27 * 86_400),
    .seconds(90 * 86_400), .seconds(400 * 86_400),
  ]

  @Test("each lifetime expires at exactly its deadline", arguments: lifetimes)
  func exactExpiry(_ lifetime: Duration) {
    let clock = ManualClock(start: .milliseconds(12_345))  // not aligned to any tick
    let cache = makeCache(Int.self, Int.self, clock: clock)
    cache.setValue(1, forKey: 1, timeToLive: lifetime)
    clock.advance(by: lifetime - .nanoseconds(1))
    #expect(cache.count == 1)
    cache._checkInvariants()
    clock.advance(by: .nanoseconds(1))
    #expect(cache.count == 0)
    cache._checkInvariants()
  }

  @Test("random lifetimes and jumps agree with a brute-force count")
  func randomSchedule() {
    var generator = SystemRandomNumberGenerator()
    for round in 0..<6 {
      let clock = ManualClock(start: .nanoseconds(Int64.random(in: 0..<(1 << 40), using: &generator)))
      let cache = makeCache(Int.self, Int.self, clock: clock)
      var deadlines: [Int: Duration] = [:]
      var key = 0
      for step in 0..<300 {
        for _ in 0..<Int.random(in: 0..<20, using: &generator) {
          let scale = Int64.random(in: 0...52, using: &generator)
          let lifetime = Duration.nanoseconds(Int64.random(in: 1...(Int64(1) << scale), using: &generator))
          cache.setValue(key, forKey: key, timeToLive: lifetime)
          deadlines[key] = clock.now.offset + lifetime
          key += 1
        }
        let jumpScale = Int64.random(in: 0...(round % 2 == 0 ? 36 : 50), using: &generator)
        clock.advance(by: .nanoseconds(Int64.random(in: 0...(Int64(1) << jumpScale), using: &generator)))
        let now = clock.now.offset
        let expected = deadlines.values.filter { $0 > now }.count
        #expect(cache.count == expected, "round \(round) step \(step)")
        if step % 25 == 0 { cache._checkInvariants() }
        if cache.count != expected { return }
      }
      cache._checkInvariants()
    }
  }

  @Test func slidingDeadlinesMoveBetweenLevels() {
    let clock = ManualClock()
    let cache = makeCache(Int.self, Int.self, timeToIdle: .seconds(90), clock: clock)
    for key in 0..<200 { cache[key] = key }
    for step in 0..<100 {
      clock.advance(by: .seconds(1))
      for key in stride(from: step % 2, to: 200, by: 2) { _ = cache[key] }
      cache._checkInvariants()
    }
    #expect(cache.count == 200)
    clock.advance(by: .seconds(90))
    #expect(cache.count == 0)
  }

  @Test func aLongIdlePeriodIsCheap() {
    let clock = ManualClock()
    let cache = makeCache(Int.self, Int.self, timeToLive: .seconds(5), clock: clock)
    for key in 0..<10_000 { cache[key] = key }
    clock.advance(by: .seconds(10 * 365 * 86_400))
    #expect(cache.isEmpty)
    cache._checkInvariants()
  }
}
