import Cortado
import Testing

@testable import CortadoBench

@Suite("Synthetic traces")
struct SyntheticTraceTests {
  func keys(_ text: String, seed: UInt64 = 1) throws -> [UInt64] {
    try readAll(try SyntheticSpec(parsing: text, seed: seed).makeReader()).map(\.key)
  }

  @Test(
    "every generator is deterministic for a seed, and the seed matters",
    arguments: [
      "zipf:length=5000", "scan:length=5000,hot=100,scan=50,period=200", "shift:length=5000,period=1000,step=10",
    ])
  func seeded(spec: String) throws {
    #expect(try keys(spec) == keys(spec))
    #expect(try keys(spec, seed: 1) != keys(spec, seed: 2))
    #expect(try keys(spec + ",seed=2") == keys(spec, seed: 2))
  }

  @Test("the generated sequence is pinned (guards against silent changes to the generators)")
  func pinned() throws {
    var generator = _SplitMix64(seed: 1)
    #expect(generator.next() == 0x910A_2DEC_8902_5CC1)
    // Cross-checked with an independent Python transcription of the
    // rejection-inversion sampler.
    #expect(try keys("zipf:keys=1000,length=8") == [14, 3, 0, 37, 37, 2, 0, 20])
  }

  @Test("zipf: rank 1 has probability 1/H(n) at alpha 1, and keys stay in range")
  func zipfShape() throws {
    let n = 1_000
    let sample = try keys("zipf:alpha=1,keys=\(n),length=200000")
    #expect(sample.allSatisfy { $0 < UInt64(n) })
    let harmonic = (1...n).reduce(0.0) { $0 + 1 / Double($1) }
    let share = Double(sample.filter { $0 == 0 }.count) / Double(sample.count)
    #expect(abs(share - 1 / harmonic) < 0.005)
    let second = Double(sample.filter { $0 == 1 }.count) / Double(sample.count)
    #expect(abs(second - 0.5 / harmonic) < 0.005)
  }

  @Test("loop cycles through its keys")
  func loop() throws {
    #expect(try keys("loop:keys=3,length=7") == [0, 1, 2, 0, 1, 2, 0])
  }

  @Test("scan alternates hot-set requests with runs of keys never seen before")
  func scan() throws {
    let sample = try keys("scan:hot=10,scan=5,period=20,length=50")
    #expect(sample[0..<20].allSatisfy { $0 < 10 })
    #expect(Array(sample[20..<25]) == (0..<5).map { (1 << 40) + $0 })
    #expect(sample[25..<45].allSatisfy { $0 < 10 })
    #expect(Array(sample[45..<50]) == (5..<10).map { (1 << 40) + $0 })
  }

  @Test("shift moves the hot spot by step every period")
  func shift() throws {
    let sample = try keys("shift:keys=100,period=1000,step=500,length=3000")
    #expect(sample[0..<1000].allSatisfy { $0 < 100 })
    #expect(sample[1000..<2000].allSatisfy { $0 >= 500 && $0 < 600 })
    #expect(sample[2000..<3000].allSatisfy { $0 >= 1000 && $0 < 1100 })
  }

  @Test("phases chain generators, each with keys of its own and its own length")
  func phases() throws {
    let sample = try keys("phases:loop(keys=3)*4, zipf(keys=10,alpha=1.1)*50 ,scan(hot=5,scan=2,period=3)*10")
    #expect(sample.count == 64)
    let shift = SyntheticSpec.phaseKeyShift
    #expect(Array(sample[0..<4]) == [0, 1, 2, 0])
    #expect(sample[4..<54].allSatisfy { $0 >> shift == 1 && $0 & ((1 << shift) - 1) < 10 })
    #expect(sample[54..<64].allSatisfy { $0 >> shift == 2 })
    #expect(Array(sample[57..<59]) == [(2 << shift) | (1 << 40), (2 << shift) | (1 << 40) + 1])
    let spec = try SyntheticSpec(parsing: "phases:zipf*1k,zipf*1k", seed: 5)
    #expect(spec.phases.map(\.seed) == [5, 6], "phases of one generator differ unless seeded alike")
    #expect(spec.length == 2_000)
  }

  @Test("the canonical description parses back to the same specification")
  func roundTrip() throws {
    for kind in SyntheticSpec.Kind.allCases {
      let spec = SyntheticSpec.preset(kind, seed: 9)
      #expect(try SyntheticSpec(parsing: spec.description) == spec)
    }
    let parsed = try SyntheticSpec(parsing: " zipf : alpha=0.8, keys=1_000 ,length=50")
    #expect(parsed.alpha == 0.8 && parsed.keys == 1_000 && parsed.length == 50)
  }

  @Test(
    "invalid specifications are errors that say what is wrong",
    arguments: [
      ("bogus", "unknown generator 'bogus'"),
      ("zipf:step=3", "'zipf' has no parameter 'step'"),
      ("loop:keys=0", "keys must be a positive integer"),
      ("zipf:alpha=-1", "alpha must be a number"),
      ("zipf:length", "'length' is not name=value"),
      ("phases", "phases needs a list"),
      ("phases:zipf(alpha=0.9)", "needs a request count"),
      ("phases:zipf*0", "needs a request count"),
      ("phases:zipf(alpha=0.9*5", "unbalanced '('"),
      ("phases:zipf)*5", "unbalanced ')'"),
      ("phases:phases*5", "unknown phase generator 'phases'"),
      ("phases:loop(step=2)*5", "'loop' has no parameter 'step'"),
    ])
  func invalid(text: String, message: String) throws {
    let error = #expect(throws: TraceError.self) { try SyntheticSpec(parsing: text) }
    #expect(error?.description.contains(message) == true)
  }
}
