import Testing

@testable import Cortado

/// The count-min sketch on its own: estimates, saturation, aging, collisions
/// and growth.
@Suite("Component: the frequency sketch")
struct FrequencySketchTests {
  /// A sketch sized for `entries`, torn down by the caller.
  func sketch(expecting entries: Int) -> _FrequencySketch {
    var sketch = _FrequencySketch()
    sketch.configure(expectedEntries: entries)
    sketch.ensureCapacity(entries)
    return sketch
  }

  @Test func aLoneKeyIsCountedExactlyUpToFifteen() {
    var sketch = sketch(expecting: 1_000)
    defer { sketch.destroy() }
    #expect(sketch.frequency(42) == 0)
    for expected in 1...15 {
      sketch.increment(42)
      #expect(sketch.frequency(42) == expected)
    }
    sketch.increment(42)
    #expect(sketch.frequency(42) == 15, "4-bit counters saturate at 15")
    sketch.increment(7, by: 100)
    #expect(sketch.frequency(7) == 15, "a batch of uses saturates too")
  }

  @Test func aBatchOfUsesEqualsSingleIncrements() {
    var batched = sketch(expecting: 1_000)
    var single = sketch(expecting: 1_000)
    defer {
      batched.destroy()
      single.destroy()
    }
    for hash in UInt32(0)..<200 {
      let uses = Int(hash % 9)
      batched.increment(hash &* 2_654_435_761, by: uses)
      for _ in 0..<uses { single.increment(hash &* 2_654_435_761) }
    }
    for hash in UInt32(0)..<200 {
      #expect(batched.frequency(hash &* 2_654_435_761) == single.frequency(hash &* 2_654_435_761))
    }
  }

  @Test func agingHalvesEveryCounter() {
    var sketch = sketch(expecting: 1_000)
    defer { sketch.destroy() }
    sketch.increment(1, by: 10)
    sketch.increment(2, by: 15)
    sketch.increment(3, by: 1)
    sketch.reset()
    #expect(sketch.frequency(1) == 5)
    #expect(sketch.frequency(2) == 7)
    #expect(sketch.frequency(3) == 0)
  }

  @Test func agingHappensAfterTheSample() {
    var sketch = sketch(expecting: 16)
    defer { sketch.destroy() }
    let sample = sketch.sampleSize
    #expect(sample == 16 * _FrequencySketch.samplesPerEntry)
    sketch.increment(99, by: 12)
    // Distinct keys until the hot key is halved: within one sample.
    var increments = 0
    while sketch.frequency(99) >= 12 && increments < 2 * sample {
      sketch.increment(UInt32(truncatingIfNeeded: 1_000 + increments) &* 2_246_822_519)
      increments += 1
    }
    #expect(increments <= sample, "aged within one sample")
    #expect(sketch.frequency(99) <= 8, "halved (give or take collisions with the sample's keys)")
  }

  /// Count-min never underestimates: with many keys sharing counters, every
  /// estimate is at least the key's true count (below saturation).
  @Test func collisionsOnlyOverestimate() {
    var sketch = sketch(expecting: 64)
    sketch.sampleSize = .max  // no aging in this test
    defer { sketch.destroy() }
    var generator = _SplitMix64(seed: 5)
    var truth: [UInt32: Int] = [:]
    for _ in 0..<5_000 {
      let hash = UInt32(truncatingIfNeeded: generator.next() % 700)
      truth[hash, default: 0] += 1
      sketch.increment(hash)
    }
    for (hash, count) in truth {
      #expect(sketch.frequency(hash) >= Swift.min(count, 15))
    }
  }

  // A grown table starts empty: the small table's counts are mostly
  // collisions, and copying them made every key look popular until the next
  // aging (measured: 0.9 point of hit ratio lost at 100,000 entries).
  @Test func growingStartsAfresh() {
    var sketch = _FrequencySketch()
    sketch.configure(expectedEntries: 100_003)
    sketch.sampleSize = .max
    defer { sketch.destroy() }
    let before = sketch.words
    for hash in UInt32(0)..<300 { sketch.increment(hash &* 2_654_435_761, by: Int(hash % 16)) }
    #expect((UInt32(0)..<300).contains { sketch.frequency($0 &* 2_654_435_761) > 0 })
    #expect(sketch.ensureCapacity(sketch.coveredEntries) == 0, "covered: nothing grows, nothing is freed")
    #expect(sketch.ensureCapacity(30_000) == before * 8, "the bytes of the table it replaced")
    #expect(sketch.words > before && sketch.words >= 30_000)
    #expect((UInt32(0)..<300).allSatisfy { sketch.frequency($0 &* 2_654_435_761) == 0 })
    #expect(sketch.additions == 0, "a new sample for the new table")
    sketch.ensureCapacity(100_003)
    #expect(sketch.words == 62_504, "5/8 of a word per expected entry, in whole 64-byte blocks, not a power of two")
    #expect(sketch.coveredEntries == .max)
  }

  // Blocks are picked by a multiply-shift, so any block count works: no
  // estimate falls below the truth, and every block gets keys.
  @Test func anyBlockCountNeverUnderestimates() {
    var sketch = _FrequencySketch()
    sketch.configure(expectedEntries: 12_345)
    sketch.ensureCapacity(12_345)
    sketch.sampleSize = .max
    defer { sketch.destroy() }
    #expect(sketch.words == 7_720)
    var generator = _SplitMix64(seed: 3)
    var truth: [UInt32: Int] = [:]
    for _ in 0..<20_000 {
      let hash = UInt32(truncatingIfNeeded: generator.next() % 5_000)
      truth[hash, default: 0] += 1
      sketch.increment(hash)
    }
    for (hash, count) in truth { #expect(sketch.frequency(hash) >= Swift.min(count, 15)) }
    var used = Set<Int>()
    for hash in truth.keys { used.insert(sketch.counters(hash).0[0] / _FrequencySketch.blockWords) }
    #expect(used.count > 800, "keys spread over the 965 blocks")
  }
}
