/// What a throughput run measures. The defaults suit a 2-core machine and
/// take about a minute.
package struct BenchConfiguration: Sendable {
  /// The caches compared.
  package var implementations: [BenchImplementation] = BenchImplementation.allCases
  /// The workloads.
  package var workloads: [BenchWorkload] = BenchWorkload.allCases
  /// The thread counts.
  package var threads: [Int] = [1, 2]
  /// Every cache's maximum number of entries; also the `read` key space
  /// (the cache is prefilled with all of it, so every read hits).
  package var capacity = 100_000
  /// The key space of `mixed`, `write` and `load`: larger than the cache.
  package var keySpace = 200_000
  /// How long each cell runs, per round.
  package var duration: Duration = .milliseconds(300)
  /// How many times every cell runs; the median is reported. Rounds
  /// interleave all implementations, so a noisy neighbour slows them alike.
  package var rounds = 3
  /// The lifetime of the implementations that have one.
  package var timeToLive: Duration = .seconds(60)
  /// The seed of the key streams.
  package var seed: UInt64 = 1
  /// The length of each thread's precomputed key stream (a power of two).
  package var streamLength = 1 << 20

  /// Creates the default configuration.
  package init() {}

  /// Checks the values; throws a message naming the first bad one.
  package func validate() throws(BenchError) {
    if capacity <= 0 { throw .invalidOption("--capacity must be positive (got \(capacity))") }
    if keySpace <= 0 { throw .invalidOption("--keys must be positive (got \(keySpace))") }
    if threads.isEmpty || threads.contains(where: { $0 <= 0 || $0 > 1024 }) {
      throw .invalidOption("--threads must be a list of counts between 1 and 1024")
    }
    if duration <= .zero { throw .invalidOption("--duration must be positive") }
    if rounds <= 0 { throw .invalidOption("--rounds must be positive (got \(rounds))") }
    if implementations.isEmpty || workloads.isEmpty { throw .invalidOption("nothing to measure") }
  }
}
