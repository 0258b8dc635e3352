import ArgumentParser
import CortadoBench

/// `cortado soak`: checks that resident memory stays flat under a bounded,
/// expiring workload, and that empty caches with a huge bound cost nothing.
struct SoakCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "soak",
    abstract: "Run a bounded expiring workload and check that resident memory stays flat.",
    discussion: """
      Writes keys that never repeat into a cache bounded to --maximum-count entries that \
      expire after --ttl-milliseconds, from --threads threads, for --seconds seconds, \
      sampling the resident set every second. Fails (exit status 1) if memory after the \
      warm-up rises above 110% of the warm-up's highest sample plus 8 MiB, or if an empty \
      cache bounded to 2^40 entries costs more than 64 KiB.
      """
  )

  @Option(help: "How long to run.") var seconds = 60
  @Flag(inversion: .prefixedNo, help: "Whether the process-wide sweeper runs.") var sweeper = true
  @Option(help: "Writing threads.") var threads = 2
  @Option(
    help: "The cache's bound (far above what the lifetime keeps live: expiry, not eviction, must keep memory flat).")
  var maximumCount = 1_000_000
  @Option(help: "The entries' lifetime.") var ttlMilliseconds = 50

  func run() throws {
    let footprint = Soak.emptyFootprint()
    let footprintLimit = 64 << 10
    print(
      "empty cache bounded to 2^40 entries: \(footprint.bytesPerCache) bytes resident each (limit \(footprintLimit))")
    withExtendedLifetime(footprint.caches) {}
    var configuration = SoakConfiguration()
    configuration.duration = .seconds(seconds)
    configuration.sweeper = sweeper
    configuration.threads = threads
    configuration.maximumCount = maximumCount
    configuration.timeToLive = .milliseconds(ttlMilliseconds)
    print(
      "soak: \(seconds) s, sweeper \(sweeper ? "on" : "off"), \(threads) threads, bound \(maximumCount), ttl \(ttlMilliseconds) ms"
    )
    let report = try Soak.run(configuration) { print($0) }
    print(report.summary)
    if !report.passed || footprint.bytesPerCache > footprintLimit { throw ExitCode.failure }
  }
}
