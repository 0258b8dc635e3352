import Testing

@testable import Cortado

/// The ghost sample on its own: what it remembers, for how long, and which keys.
@Suite("Component: the eviction ghosts")
struct EvictionGhostsTests {
  @Test func aGhostComesBackOnceWithItsReasonAndAges() {
    var ghosts = _EvictionGhosts()
    ghosts.configure(capacity: 100, horizon: 5)
    defer { ghosts.destroy() }
    #expect(ghosts.sampleRate == 1, "a small stripe remembers every key")
    #expect(ghosts.timeShift == 0 && ghosts.requestShift == 0)
    ghosts.record(7, rejected: true, time: 40, request: 300)
    ghosts.record(9, rejected: false, time: 3, request: 310)
    let rejected = ghosts.take(7, windowTime: 45, mainTime: 1_000, request: 350)
    #expect(rejected?.rejected == true)
    #expect(rejected?.age == 5, "a rejected candidate ages on the window's clock")
    #expect(rejected?.requests == 50)
    let victim = ghosts.take(9, windowTime: 1_000, mainTime: 10, request: 400)
    #expect(victim?.rejected == false)
    #expect(victim?.age == 7, "a victim ages on the main region's clock")
    #expect(victim?.requests == 90)
    #expect(ghosts.take(7, windowTime: 50, mainTime: 0, request: 0) == nil, "taken once, then forgotten")
    #expect(ghosts.take(8, windowTime: 50, mainTime: 0, request: 0) == nil, "never recorded")
  }

  @Test func agesWrapAroundTheClocks() {
    var ghosts = _EvictionGhosts()
    ghosts.configure(capacity: 16, horizon: 1)
    defer { ghosts.destroy() }
    let late = Int(_EvictionGhosts.timeMask) - 1
    ghosts.record(1, rejected: true, time: late, request: late)
    let ghost = ghosts.take(1, windowTime: late + 5, mainTime: 0, request: late + 9)
    #expect(ghost?.age == 5 && ghost?.requests == 9)
  }

  @Test func aNewerGhostReplacesAnOlderOneInItsWord() {
    var ghosts = _EvictionGhosts()
    ghosts.configure(capacity: 16, horizon: 1)
    defer { ghosts.destroy() }
    let hashes = (UInt32(0)..<1_000)
    for hash in hashes { ghosts.record(hash, rejected: true, time: Int(hash), request: 0) }
    let remembered = hashes.filter { ghosts.take($0, windowTime: 1_000, mainTime: 0, request: 0) != nil }
    #expect(remembered.count <= 16, "one word per ghost, 16 words")
    #expect(remembered.count >= 8)
    #expect(remembered.allSatisfy { $0 >= 900 }, "the newest survive")
  }

  @Test func aLargeStripeSamplesAFixedShareOfKeysAndCoarsensTime() {
    var ghosts = _EvictionGhosts()
    // 2^20 entries, horizon 52,428: 4,096 words for 131,072 departures.
    ghosts.configure(capacity: 1 << 20, horizon: 52_428)
    defer { ghosts.destroy() }
    #expect(ghosts.mask + 1 == 16, "16 words until the stripe fills")
    ghosts.ensureCapacity(1 << 20)
    #expect(ghosts.mask + 1 == 4_096)
    #expect(ghosts.sampleRate == 32)
    #expect(ghosts.timeShift == 10, "about 64 time units per horizon")
    #expect(ghosts.requestShift == 11, "about 1,024 request units per capacity")
    var sampled = 0
    for hash in UInt32(0)..<200_000 {
      ghosts.record(hash, rejected: false, time: 5_000, request: 0)
      if let ghost = ghosts.take(hash, windowTime: 0, mainTime: 5_000 + 3_000, request: 4_096) {
        sampled += 1
        #expect(ghost.age == 3_072, "ages to the time unit")
        #expect(ghost.requests == 4_096)
      }
    }
    // 1 in 32 of 200,000 keys: about 6,250.
    #expect((5_500...7_000).contains(sampled))
  }

  @Test func theTableCostsAQuarterBytePerEntry() {
    var ghosts = _EvictionGhosts()
    defer { ghosts.destroy() }
    for capacity in [1_000, 10_000, 65_536] {
      ghosts.configure(capacity: capacity, horizon: capacity / 20)
      ghosts.ensureCapacity(capacity / 2)
      #expect(Int(ghosts.mask + 1) * 8 <= capacity / 2 / 2, "while filling, at most twice that per entry held")
      ghosts.ensureCapacity(capacity)
      #expect(Int(ghosts.mask + 1) * 8 <= capacity / 4)
      #expect(ghosts.coveredEntries == .max)
    }
    ghosts.configure(capacity: 10, horizon: 1)
    #expect(ghosts.mask + 1 == 16, "at least 16 words")
  }
}
