import Testing

@testable import Cortado

/// The window sizer on its own: which evidence moves the window, how far, and
/// when it holds.
@Suite("Component: the window sizer")
struct WindowSizerTests {
  /// A sizer for 1,000 entries with a 10-entry window: horizon 50, step 62,
  /// samples of 1,000 requests, ceiling 990; its ghosts remember every key
  /// (a stripe this small samples 1 in 4, which these counts would not show).
  func makeSizer() -> _WindowSizer {
    var sizer = _WindowSizer()
    sizer.configure(maximum: 1_000, initialWindow: 10)
    sizer.ghosts.configure(capacity: 1 << 16, horizon: 50)
    return sizer
  }

  /// `count` keys rejected and inserted again `after` insertions later.
  func rejectAndReturn(_ sizer: inout _WindowSizer, count: Int, after: Int, from first: UInt32 = 0) {
    for key in first..<first + UInt32(count) {
      sizer.rejected(key)
      for _ in 0..<after { sizer.insertions &+= 1 }
      sizer.inserted(key)
    }
  }

  @Test func itIsSizedFromTheCapacity() {
    var sizer = _WindowSizer()
    sizer.configure(maximum: 1_000, initialWindow: 10)
    defer { sizer.destroy() }
    #expect(sizer.ghosts.sampleRate == 4 && sizer.ghosts.mask == 31, "32 words for 128 departures in the horizon")
    #expect(sizer.isEnabled)
    #expect(sizer.horizon == 50 && sizer.step == 62 && sizer.sampleRequests == 1_000)
    #expect(sizer.floor == 10 && sizer.ceiling == 990)
    #expect(!_WindowSizer().isEnabled)
  }

  @Test func quickReturnsOfRejectedKeysGrowTheWindow() {
    var sizer = makeSizer()
    defer { sizer.destroy() }
    rejectAndReturn(&sizer, count: 30, after: 10)  // 3% of the sample's requests
    #expect(sizer.decision(requests: 999, window: 10) == nil, "the sample is not over")
    // 3 points over the threshold's 1: a step scaled by 3.
    #expect(sizer.decision(requests: 1_000, window: 10) == 10 + 3 * 62)
    #expect(sizer.windowReturns == 0, "a new sample starts")
  }

  @Test func returnsBeyondTheHorizonAreNotEvidence() {
    var sizer = makeSizer()
    defer { sizer.destroy() }
    rejectAndReturn(&sizer, count: 30, after: 51)
    #expect(sizer.windowReturns == 0)
    #expect(sizer.decision(requests: 1_000, window: 10) == nil, "at the floor already")
  }

  @Test func victimsComingBackCountAgainstTheWindow() {
    var sizer = makeSizer()
    defer { sizer.destroy() }
    rejectAndReturn(&sizer, count: 30, after: 1)
    for key in UInt32(100)..<125 {
      sizer.evictedFromMain(key)
      sizer.inserted(key)
    }
    #expect(sizer.mainReturns == 25)
    // Net 5 returns in 1,000 requests: 0.5 point, inside the dead band.
    #expect(sizer.decision(requests: 1_000, window: 500) == nil, "holds")
  }

  @Test func withoutEvidenceTheWindowShrinksBackToItsFloor() {
    var sizer = makeSizer()
    defer { sizer.destroy() }
    #expect(sizer.decision(requests: 1_000, window: 500) == 438)
    #expect(sizer.decision(requests: 2_000, window: 40) == 10, "never below the floor")
    #expect(sizer.decision(requests: 3_000, window: 10) == nil)
  }

  @Test func theWindowNeverTakesTheWholeCache() {
    var sizer = makeSizer()
    defer { sizer.destroy() }
    rejectAndReturn(&sizer, count: 30, after: 1)
    #expect(sizer.decision(requests: 1_000, window: 980) == 990)
  }

  @Test func aStatisticsResetStartsANewSample() {
    var sizer = makeSizer()
    defer { sizer.destroy() }
    #expect(sizer.decision(requests: 5_000, window: 10) == nil)
    #expect(sizer.decision(requests: 20, window: 10) == nil, "the count went back")
    #expect(sizer.sampleStart == 20)
  }
}
