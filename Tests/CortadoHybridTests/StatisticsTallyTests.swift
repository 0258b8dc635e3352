import Testing

@testable import CortadoHybrid

/// Counts are tallied per call and added once: the list of counters that
/// `add` sums must name every counter.
@Suite("HybridCache statistics: tallies add every counter")
struct StatisticsTallyTests {
  @Test func theCounterListNamesEveryStoredProperty() {
    let names = Mirror(reflecting: HybridCacheStatistics()).children.compactMap(\.label)
    #expect(HybridCacheStatistics.counters.count == names.count)
    // Each key path reaches a different counter: set each to its position
    // and read the values back through the mirror.
    var numbered = HybridCacheStatistics()
    for (position, counter) in HybridCacheStatistics.counters.enumerated() { numbered[keyPath: counter] = position + 1 }
    let values = Mirror(reflecting: numbered).children.compactMap { $0.value as? Int }
    #expect(Set(values) == Set(1...names.count))
  }

  @Test func addingSumsEveryCounter() {
    var total = HybridCacheStatistics()
    var tally = HybridCacheStatistics()
    for counter in HybridCacheStatistics.counters { tally[keyPath: counter] = 2 }
    total.add(tally)
    total.add(tally)
    for counter in HybridCacheStatistics.counters { #expect(total[keyPath: counter] == 4) }
  }
}

extension HybridCacheStatistics {
  /// Every counter, by key path.
  static var counters: [WritableKeyPath<HybridCacheStatistics, Int>] {
    [
      \.localHits, \.remoteHits, \.remoteStaleHits, \.remoteMisses, \.remoteErrors, \.remoteSkips,
      \.rejectedRemoteValues, \.loaderCalls, \.loaderFailures, \.failSafeFallbacks, \.remoteWrites,
      \.oversizedValues, \.supersededFills, \.invalidationEvents, \.invalidatedKeys, \.recoveryQueued,
      \.recoveryReplayed, \.recoveryRefused, \.recoveryDropped,
    ]
  }
}
