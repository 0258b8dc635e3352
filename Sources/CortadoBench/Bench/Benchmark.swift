/// Runs the throughput comparison.
///
/// Every cell (implementation × workload × thread count) runs `rounds`
/// times, and the rounds interleave: round 1 of every implementation, then
/// round 2, and so on, with the order rotated each round. A slow patch on a
/// shared machine then hits all implementations alike, and the medians keep
/// their ratios. Each run gets a fresh cache, warmed before the clock starts
/// (see ``warm(_:count:keys:)``).
package enum Benchmark {
  /// Runs every cell of `configuration`.
  package static func run(_ configuration: BenchConfiguration, progress: ProgressBar = .disabled) throws -> BenchReport
  {
    try configuration.validate()
    progress.begin("bench: drawing Zipf keys", total: nil)
    let readKeys = readStreams(configuration)
    let wideKeys = configuration.workloads.contains(where: { $0 != .read }) ? wideStreams(configuration) : readKeys

    struct Cell {
      var implementation: BenchImplementation
      var workload: BenchWorkload
      var threads: Int
      var samples: [CellMeasurement] = []
    }
    var cells: [Cell] = []
    var groups: [[Int]] = []  // indices of the cells that run side by side
    for workload in configuration.workloads {
      for threads in configuration.threads {
        var group: [Int] = []
        for implementation in configuration.implementations where implementation.supports(workload, threads: threads) {
          group.append(cells.count)
          cells.append(Cell(implementation: implementation, workload: workload, threads: threads))
        }
        if !group.isEmpty { groups.append(group) }
      }
    }

    let total = cells.count * configuration.rounds
    var done = 0
    progress.begin("bench", total: total, unit: "runs")
    for round in 0..<configuration.rounds {
      for group in groups {
        let shift = round % group.count
        for index in Array(group[shift...] + group[..<shift]) {
          let cell = cells[index]
          let keys = cell.workload == .read ? readKeys : wideKeys
          cells[index].samples.append(
            runCell(
              cell.implementation, workload: cell.workload, threads: cell.threads,
              configuration: configuration, keys: keys))
          done += 1
          progress.update(fraction: nil, count: done)
        }
      }
    }
    progress.finish()

    let measurements = cells.map { cell -> BenchMeasurement in
      let rates = cell.samples.map { $0.seconds > 0 ? Double($0.operations) / $0.seconds : 0 }
      let gets = cell.samples.reduce(0) { $0 + $1.gets }
      let hits = cell.samples.reduce(0) { $0 + $1.hits }
      let cpuCosts = cell.samples.filter { $0.operations > 0 }.map { $0.cpuSeconds * 1e9 / Double($0.operations) }
      return BenchMeasurement(
        implementation: cell.implementation, workload: cell.workload, threads: cell.threads,
        operationsPerSecond: median(rates), rounds: rates,
        hitRatio: gets > 0 ? Double(hits) / Double(gets) : nil,
        cpuNanosecondsPerOperation: cpuCosts.isEmpty ? nil : median(cpuCosts))
    }
    return BenchReport(configuration: configuration, measurements: measurements, memory: [], machine: .current())
  }

  /// Builds the cache for one run, fills it, and measures it. The switch
  /// gives `ThroughputRunner` a concrete type to specialise for.
  static func runCell(
    _ implementation: BenchImplementation, workload: BenchWorkload, threads: Int,
    configuration: BenchConfiguration, keys: KeyStreams
  ) -> CellMeasurement {
    let capacity = configuration.capacity
    func run<S: BenchSubject>(_ subject: S) -> CellMeasurement {
      ThroughputRunner.measure(
        subject, workload: workload, threads: threads, duration: configuration.duration, keys: keys)
    }
    switch implementation {
    case .cortado, .cortadoLRU, .cortadoCoarse, .cortadoNoTTL, .cortadoLRUNoTTL:
      let subject = CortadoSubject(implementation, capacity: capacity, timeToLive: configuration.timeToLive)
      warm(subject, count: capacity, keys: keys)
      return run(subject)
    case .lockedDictionary:
      let subject = LockedDictionarySubject(capacity: capacity, lifetime: configuration.timeToLive)
      warm(subject, count: capacity, keys: keys)
      return run(subject)
    case .nsCache:
      let subject = NSCacheSubject(capacity: capacity)
      warm(subject, count: capacity, keys: keys)
      return run(subject)
    case .dictionary:
      return run(ReferenceDictionarySubject(count: capacity))
    }
  }

  /// Fills keys `0..<count` coldest first, then replays the head of every
  /// thread's key stream read-through.
  ///
  /// The order matters: a striped cache's stripes fill unevenly, and an
  /// LRU that receives the hottest keys first evicts exactly those when a
  /// stripe overflows. The replay then gives every policy (W-TinyLFU's
  /// frequency sketch in particular) the history it would have after serving
  /// this workload, so `read` measures hits, as a warm cache serves them.
  static func warm<S: BenchSubject>(_ subject: S, count: Int, keys: KeyStreams) {
    for key in (0..<count).reversed() { subject.set(key, key) }
    for stream in keys.streams {
      for key in stream.prefix(warmUpLength) where subject.get(key) == nil {
        subject.set(key, key)
      }
    }
  }

  /// Requests per thread stream replayed by ``warm(_:count:keys:)``.
  static let warmUpLength = 1 << 16

  /// Added to the seed for the wide key space's streams, so that they are
  /// not the read streams' keys again.
  static let wideSeedOffset: UInt64 = 1_000

  /// The streams of `read`: one per thread of the largest count, over the
  /// cache's own key space (every key present).
  static func readStreams(_ configuration: BenchConfiguration) -> KeyStreams {
    KeyStreams(
      keySpace: configuration.capacity, threads: configuration.threads.max()!,
      length: configuration.streamLength, seed: configuration.seed)
  }

  /// The streams of `mixed`, `write` and `load`, over the larger key space.
  static func wideStreams(_ configuration: BenchConfiguration) -> KeyStreams {
    KeyStreams(
      keySpace: configuration.keySpace, threads: configuration.threads.max()!,
      length: configuration.streamLength, seed: configuration.seed &+ wideSeedOffset)
  }

  static func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}
