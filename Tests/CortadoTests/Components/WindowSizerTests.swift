import Testing

@testable import Cortado

/// The window sizer on its own: which evidence moves the window, how far, and
/// when it holds.
@Suite("Component: the window sizer")
struct WindowSizerTests {
  /// A sizer for 1,000 entries with a 10-entry window: horizon 50, step 62,
  /// samples of 1,000 requests, ceiling 990; its ghosts remember every key
  /// (a stripe this small samples 1 in 8, which these counts would not show).
  func makeSizer() -> _WindowSizer {
    var sizer = _WindowSizer()
    sizer.configure(maximum: 1_000, initialWindow: 10)
    sizer.ghosts.configure(capacity: 1 << 16, horizon: 50)
    sizer.ghosts.ensureCapacity(1 << 16)
    sizer.ghosts.requestShift = 0  // request ages to the request
    sizer.shadow.resident = 1_000  // as if the cache were full
    return sizer
  }

  /// `count` keys rejected and inserted again `after` insertions and
  /// `requests` requests after their last use.
  func rejectAndReturn(_ sizer: inout _WindowSizer, count: Int, after: Int, requests: Int = 100) {
    for key in UInt32(0)..<UInt32(count) {
      sizer.rejected(key, requests: 10_000, lastUse: sizer.useStamp(10_000))
      for _ in 0..<after { sizer.insertions &+= 1 }
      sizer.inserted(key, requests: 10_000 + requests)
    }
  }

  @Test func itIsSizedFromTheCapacity() {
    var sizer = _WindowSizer()
    sizer.configure(maximum: 1_000, initialWindow: 10)
    defer { sizer.destroy() }
    #expect(sizer.ghosts.sampleRate == 8 && sizer.ghosts.mask == 15, "16 words for 128 departures in the horizon")
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

  // A loop a little longer than the cache: a rejected key comes back after
  // few insertions (nearly every request hits) but more requests after its
  // last use than the cache holds entries. Only the main region could keep
  // it, so it is no reason to grow the window (which took a loop of 5,000
  // keys in 4,900 entries from 94% to 16%).
  @Test func aKeyNoLRUOfThisSizeCouldKeepIsNotEvidence() {
    var sizer = makeSizer()
    defer { sizer.destroy() }
    rejectAndReturn(&sizer, count: 30, after: 2, requests: 1_001)
    #expect(sizer.windowReturns == 0)
    rejectAndReturn(&sizer, count: 30, after: 2, requests: 1_000)
    #expect(sizer.windowReturns == 30)
  }

  @Test func theLastUseIsTheWindowsStamp() {
    var sizer = makeSizer()
    defer { sizer.destroy() }
    // Inserted at request 10,000, rejected at 10,900, back at 11,050: 1,050
    // requests after its last use, although only 150 after it left.
    sizer.rejected(1, requests: 10_900, lastUse: sizer.useStamp(10_000))
    sizer.inserted(1, requests: 11_050)
    #expect(sizer.windowReturns == 0)
  }

  @Test func victimsComingBackCountAgainstTheWindow() {
    var sizer = makeSizer()
    defer { sizer.destroy() }
    rejectAndReturn(&sizer, count: 30, after: 1)
    for key in UInt32(100)..<125 {
      sizer.evictedFromMain(key, requests: 0)
      sizer.inserted(key, requests: 0)
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

  /// `hits` of `requests` sampled requests hit in the shadow LRU and none in
  /// the cache (`hits` new keys asked twice, the rest once; the shadow of a
  /// 1,000-entry stripe samples every key).
  func shadowLeads(_ sizer: inout _WindowSizer, hits: Int, requests: Int, round: UInt32) {
    let first = round << 20
    for key in first..<first + UInt32(hits) { sizer.shadow.observe(key, hit: false) }
    for key in first..<first + UInt32(requests - hits) { sizer.shadow.observe(key, hit: false) }
  }

  @Test func aShadowLRUAheadGrowsTheWindowByTheLargestStep() {
    var sizer = makeSizer()
    defer { sizer.destroy() }
    shadowLeads(&sizer, hits: 6, requests: 1_000, round: 1)  // 0.6 point ahead of the cache
    #expect(sizer.decision(requests: 1_000, window: 10) == 10 + 4 * 62)
    shadowLeads(&sizer, hits: 4, requests: 1_000, round: 2)  // 0.4 point: not enough to grow…
    #expect(sizer.decision(requests: 2_000, window: 500) == nil, "…but enough to hold")
    shadowLeads(&sizer, hits: 0, requests: 1_000, round: 3)
    #expect(sizer.decision(requests: 3_000, window: 500) == 438, "no lead: shrinks as before")
  }

  @Test func aLookWithinTheSampleActsOnlyOnALeadBeyondDoubt() {
    var sizer = makeSizer()
    defer { sizer.destroy() }
    // Looks every 1,000 requests at least (a quarter of this sample is less).
    #expect(sizer.lookInterval == 1_000)
    sizer.sampleRequests = 4_000
    shadowLeads(&sizer, hits: 6, requests: 300, round: 1)  // 2 points, but only 6 discordant requests
    #expect(sizer.decision(requests: 999, window: 10) == nil, "not time to look yet")
    #expect(sizer.decision(requests: 1_000, window: 10) == nil, "6 ≤ 3 × √6: could be noise")
    shadowLeads(&sizer, hits: 30, requests: 300, round: 2)  // 36 of 600: 6 points, 36 > 3 × √36
    #expect(sizer.decision(requests: 1_999, window: 10) == nil, "the next look is 1,000 requests later")
    #expect(sizer.decision(requests: 2_000, window: 10) == 10 + 4 * 62)
    #expect(sizer.shadow.requests == 0, "the shadow's count starts again")
    #expect(sizer.sampleStart == 0, "but the sample of returns runs on (see earlyDecision)")
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
