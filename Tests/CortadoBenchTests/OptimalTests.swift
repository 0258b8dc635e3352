import Cortado
import Testing

@testable import CortadoBench

@Suite("Belady's optimum")
struct OptimalTests {
  /// Replays `keys` (all of size 1 unless `sizes` says otherwise) through
  /// the optimum; returns the hits.
  func optimalHits(_ keys: [UInt64], capacity: Int, sizes: [UInt32]? = nil) -> Int {
    let table = NextUseTable(keys: keys)
    let replayer = OptimalReplayer(capacity: capacity, weighted: sizes != nil, nextUse: table)
    let requests = keys.indices.map { TraceRequest(key: keys[$0], size: sizes?[$0] ?? 1) }
    requests.withUnsafeBufferPointer { replayer.replay($0, firstIndex: 0) }
    return replayer.hits
  }

  @Test("next uses are positions of the next request for the same key")
  func nextUses() {
    // A B C A B D A D B C
    let table = NextUseTable(keys: [1, 2, 3, 1, 2, 4, 1, 4, 2, 3])
    let never = NextUseTable.never
    #expect(table.next == [3, 4, 9, 6, 8, 7, never, never, never, never])
  }

  /// Worked by hand, capacity 2, trace A B C A B D A D B C (positions 0-9).
  /// Next uses: A0→3 B1→4 C2→9 A3→6 B4→8 D5→7, the rest never.
  ///
  ///   0 A  miss, admit (next 3)               {A@3}
  ///   1 B  miss, admit (next 4)               {A@3, B@4}
  ///   2 C  miss, next 9 > farthest 4: bypass  {A@3, B@4}
  ///   3 A  HIT, now next 6                    {B@4, A@6}
  ///   4 B  HIT, now next 8                    {A@6, B@8}
  ///   5 D  miss, next 7 < 8: evict B          {A@6, D@7}
  ///   6 A  HIT, never again: dropped          {D@7}
  ///   7 D  HIT, never again: dropped          {}
  ///   8 B  miss, never again: not admitted
  ///   9 C  miss, never again: not admitted
  ///
  /// 4 hits. (Demand-paging MIN, which must admit C at 2, gets 3: it evicts
  /// B for C and then misses B at 4.)
  @Test("a small trace worked by hand")
  func handWorked() {
    #expect(optimalHits([1, 2, 3, 1, 2, 4, 1, 4, 2, 3], capacity: 2) == 4)
  }

  /// Capacity 1, A B A: keeping A (bypassing B) earns the hit at 2.
  @Test("bypassing a newcomer that is needed later than everything resident")
  func bypass() {
    #expect(optimalHits([1, 2, 1], capacity: 1) == 1)
  }

  /// With capacity ≥ distinct keys, everything but the first request of each
  /// key hits.
  @Test("an unconstrained cache misses only compulsorily")
  func compulsory() {
    let keys: [UInt64] = [5, 6, 5, 7, 6, 5, 8, 7]
    #expect(optimalHits(keys, capacity: 4) == keys.count - 4)
    #expect(optimalHits(keys, capacity: 100) == keys.count - 4)
  }

  /// The optimum's defining property, checked exhaustively: no sequence of
  /// admit/evict choices earns more hits.
  @Test("matches an exhaustive search on small random traces")
  func exhaustive() {
    var generator = _SplitMix64(seed: 42)
    for _ in 0..<200 {
      let length = 4 + Int(generator.next() % 7)
      let keys = (0..<length).map { _ in generator.next() % 4 }
      for capacity in 1...3 {
        #expect(
          optimalHits(keys, capacity: capacity) == bruteForce(keys, capacity: capacity),
          "keys \(keys), capacity \(capacity)")
      }
    }
  }

  /// The best hit count over every admit/evict choice (exponential; tiny
  /// traces only).
  func bruteForce(_ keys: [UInt64], capacity: Int) -> Int {
    func best(_ position: Int, _ cache: Set<UInt64>) -> Int {
      guard position < keys.count else { return 0 }
      let key = keys[position]
      if cache.contains(key) { return 1 + best(position + 1, cache) }
      var result = best(position + 1, cache)  // do not admit
      if cache.count < capacity {
        result = max(result, best(position + 1, cache.union([key])))
      } else {
        for victim in cache {
          var next = cache
          next.remove(victim)
          next.insert(key)
          result = max(result, best(position + 1, next))
        }
      }
      return result
    }
    return best(0, [])
  }

  /// Capacity 10, sizes A=6, B=6: A A B A B. B never fits beside A; A's
  /// next use is always sooner, so B is bypassed: hits at 1 and 3 only.
  @Test("the size-aware heuristic keeps the sooner object when both cannot fit")
  func weightedHeuristic() {
    #expect(optimalHits([1, 1, 2, 1, 2], capacity: 10, sizes: [6, 6, 6, 6, 6]) == 2)
    // An object larger than the whole cache is never admitted.
    #expect(optimalHits([1, 1], capacity: 10, sizes: [11, 11]) == 0)
  }
}
