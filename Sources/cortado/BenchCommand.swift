import ArgumentParser
import CortadoBench

/// `cortado bench`: multi-threaded throughput of Cortado and the baselines.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Compare the throughput of Cortado and hand-written baselines, side by side in one process.",
    discussion: """
      Implementations: cortado (W-TinyLFU, TTL 60 s), cortado-lru, cortado-coarse (CoarseClock), \
      cortado-no-ttl, cortado-lru-no-ttl, dict-lock-lru (Dictionary + pthread mutex + LRU list, \
      TTL 60 s), nscache (NSCache with countLimit), and dictionary (an unsynchronised [Int: Int], \
      only read: the reference no cache can beat).

      Workloads over precomputed Zipf(0.99) keys: read (100% get, warm cache, all hits), mixed \
      (90% get / 10% set), write (100% set), load (get-or-load with a cheap loader).

      Cells run interleaved in rounds and the median is reported. Memory per entry is measured \
      in a fresh child process per implementation (resident-set growth over --memory-entries).
      """
  )

  @Option(help: ArgumentHelp("Comma-separated workloads: read, mixed, write, load (default: all).", valueName: "list"))
  var workloads: String?

  @Option(help: ArgumentHelp("Comma-separated implementations (default: all).", valueName: "list"))
  var implementations: String?

  @Option(help: ArgumentHelp("Comma-separated thread counts.", valueName: "list"))
  var threads = "1,2"

  @Option(help: "Maximum entries of every cache (also the read key space).")
  var capacity = 100_000

  @Option(help: "Key space of mixed, write and load.")
  var keys = 200_000

  @Option(help: "Seconds per cell per round.")
  var duration = 0.3

  @Option(help: "Rounds per cell (the median is reported).")
  var rounds = 3

  @Option(help: "Seed of the key streams.")
  var seed: UInt64 = 1

  @Option(name: .customLong("memory-entries"), help: "Entries filled to measure memory per entry.")
  var memoryEntries = 1_000_000

  @Flag(name: .customLong("no-memory"), help: "Skip the memory measurement.")
  var noMemory = false

  @Option(
    name: .customLong("write-keys"),
    help: ArgumentHelp(
      "Write the key streams to this directory (with keys.json) for a peer's harness, and measure nothing.",
      valueName: "directory"))
  var writeKeys: String?

  @Flag(help: "Print the results as JSON.")
  var json = false

  @Flag(help: "Print the tables as Markdown.")
  var markdown = false

  func validate() throws {
    if json && markdown { throw ValidationError("give --json or --markdown, not both") }
    if !(duration > 0 && duration <= 3600) { throw ValidationError("--duration must be between 0 and 3600 seconds") }
    if memoryEntries < 1 { throw ValidationError("--memory-entries must be positive") }
  }

  func run() throws {
    var configuration = BenchConfiguration()
    configuration.workloads = try BenchWorkload.parseList(workloads)
    configuration.implementations = try BenchImplementation.parseList(implementations)
    configuration.threads = try threads.split(separator: ",").map { part in
      guard let count = Int(part.trimmingCharacters(in: " ")), count > 0 else {
        throw ValidationError("--threads must be a comma-separated list of positive counts (got '\(threads)')")
      }
      return count
    }
    configuration.capacity = capacity
    configuration.keySpace = keys
    configuration.duration = .nanoseconds(Int64((duration * 1e9).rounded()))
    configuration.rounds = rounds
    configuration.seed = seed
    if let writeKeys {
      try Benchmark.exportKeys(configuration, to: writeKeys)
      return
    }

    let progress = ProgressBar()
    var report = try Benchmark.run(configuration, progress: progress)
    if !noMemory {
      let executable = ExecutablePath.current()
      progress.begin(
        "memory per entry (child processes)", total: configuration.implementations.count, unit: "implementations")
      for (index, implementation) in configuration.implementations.enumerated() {
        report.memory.append(
          try MemoryProbe.measureInChildProcess(
            executable: executable, implementation: implementation, entries: memoryEntries))
        progress.update(fraction: nil, count: index + 1)
      }
      progress.finish()
    }
    print(json ? BenchOutput.json(report) : BenchOutput.text(report, markdown: markdown), terminator: "")
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: Character) -> String {
    String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
  }
}
