import Testing
@testable import Cortado

@Suite struct SmokeTests {
  @Test func basicOperations() {
    let clock = ManualClock()
    let cache = Cache<String, Int>(maximumCount: 3, timeToLive: .seconds(20), clock: clock)
    cache["a"] = 1
    cache["b"] = 2
    #expect(cache["a"] == 1)
    #expect(cache.count == 2)
    clock.advance(by: .seconds(19))
    #expect(cache["b"] == 2)
    clock.advance(by: .seconds(1))
    #expect(cache["b"] == nil)
    #expect(cache.count == 0)
    cache._checkInvariants()
  }
}
