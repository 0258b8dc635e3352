import Cortado
import Foundation

/// A soak run: a bounded cache under a write-heavy workload whose every entry
/// expires, for a fixed time, sampling the process's resident memory. Memory
/// must stay flat once the cache has filled: expired entries are reclaimed by
/// the operations themselves (sweeper off) or by the sweeper as well (on).
package struct SoakConfiguration: Sendable {
  package var duration: Duration = .seconds(60)
  package var sweeper = true
  package var threads = 2
  /// The cache's bound and the entries' lifetime. The bound is far above what
  /// the lifetime keeps live, so that expiry (not eviction) is what must keep
  /// memory flat: a cache that did not reclaim expired entries would grow to
  /// its bound.
  package var maximumCount = 1_000_000
  package var timeToLive: Duration = .milliseconds(50)
  /// The share of the run spent filling the cache and the allocator before
  /// the baseline is taken.
  package var warmUpFraction = 0.25
  /// How far the resident set may rise above the warm-up's highest sample:
  /// a factor, plus an allowance for the allocator's own slack.
  package var allowedGrowthFactor = 1.10
  package var allowedGrowthBytes = 8 << 20

  package init() {}
}

/// What a soak run measured.
package struct SoakReport: Sendable {
  /// Resident bytes, one sample a second.
  package var samples: [Int]
  package var baseline: Int
  package var highest: Int
  package var operations: Int
  package var expirations: Int
  package var limit: Int

  package var passed: Bool { highest <= limit }

  package var summary: String {
    let mib = { (bytes: Int) in Format.fixed(Double(bytes) / 1_048_576, digits: 1) + " MiB" }
    return """
      \(operations) operations, \(expirations) expirations; resident after warm-up \(mib(baseline)), \
      highest since \(mib(highest)), limit \(mib(limit)): \(passed ? "flat" : "GROWING")
      """
  }
}

package enum Soak {
  /// Runs the soak in this process (the workload and the sampling).
  package static func run(_ configuration: SoakConfiguration, progress: (String) -> Void = { _ in }) throws
    -> SoakReport
  {
    var cacheConfiguration = Cache<Int, [UInt8]>.Configuration(
      maximumCount: configuration.maximumCount, timeToLive: configuration.timeToLive)
    cacheConfiguration.sweepsExpiredEntries = configuration.sweeper
    let cache = try Cache(configuration: cacheConfiguration)
    let stop = ManagedAtomicFlag()
    let operations = ManagedCounter()
    let group = DispatchGroup()
    let threads = configuration.threads
    for thread in 0..<threads {
      DispatchQueue.global().async(group: group) {
        var done = 0
        // Keys never repeat: every entry is written once and expires.
        var key = thread
        // A value with a heap buffer of its own, so a leaked entry shows.
        let payload = [UInt8](repeating: 7, count: 96)
        while !stop.isSet {
          for _ in 0..<1_000 {
            key &+= threads
            cache[key] = payload
            _ = cache[key &- 500]
            _ = cache[key &- 50_000]
          }
          done += 3_000
        }
        operations.add(done)
      }
    }
    var samples: [Int] = []
    let clock = ContinuousClock()
    let start = clock.now
    while clock.now - start < configuration.duration {
      Thread.sleep(forTimeInterval: 1)
      let resident = MemoryProbe.residentBytes() ?? 0
      samples.append(resident)
      progress(
        "\(samples.count) s: resident \(Format.fixed(Double(resident) / 1_048_576, digits: 1)) MiB, \(cache.count) live entries"
      )
    }
    stop.set()
    group.wait()
    let warmUp = max(1, Int(Double(samples.count) * configuration.warmUpFraction))
    let baseline = samples.prefix(warmUp).max() ?? 0
    let highest = samples.dropFirst(warmUp).max() ?? baseline
    let limit = Int(Double(baseline) * configuration.allowedGrowthFactor) + configuration.allowedGrowthBytes
    return SoakReport(
      samples: samples, baseline: baseline, highest: highest, operations: operations.value,
      expirations: cache.statistics.expirationCount, limit: limit)
  }

  /// The resident growth of `instances` empty caches bounded to `bound`
  /// entries each: it must not depend on the bound (nothing is allocated for
  /// entries that are not there).
  package static func emptyFootprint(instances: Int = 100, bound: Int = 1 << 40) -> (
    bytesPerCache: Int, caches: [AnyObject]
  ) {
    let before = MemoryProbe.residentBytes() ?? 0
    var caches: [AnyObject] = []
    for _ in 0..<instances {
      caches.append(Cache<Int, Int>(maximumCount: bound, timeToLive: .seconds(60)))
    }
    let after = MemoryProbe.residentBytes() ?? 0
    return ((after - before) / instances, caches)
  }
}

/// A flag threads poll.
final class ManagedAtomicFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false
  var isSet: Bool { lock.withLock { value } }
  func set() { lock.withLock { value = true } }
}

/// A total the soak's threads add to once, at the end.
final class ManagedCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  var value: Int { lock.withLock { count } }
  func add(_ amount: Int) { lock.withLock { count += amount } }
}
