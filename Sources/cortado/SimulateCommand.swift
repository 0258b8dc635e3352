import ArgumentParser
import CortadoBench

/// `cortado simulate`: hit ratios of policies on a trace.
struct SimulateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Replay a trace through every policy at every capacity and report hit ratios.",
    discussion: """
      Every request is a get on a real Cortado cache (one stripe, single-threaded); a miss \
      inserts the key. `optimal` is Belady's offline optimum from next-use distances; it needs \
      a first pass over the trace, and memory of 4 bytes per request, plus 1 bit per request \
      per capacity, plus a dictionary of distinct keys while the first pass runs (about \
      475 MB for 100 million requests at 6 capacities). Other policies stream the trace in \
      constant memory. Runs are reproducible: the command restarts itself with \
      SWIFT_DETERMINISTIC_HASHING=1.

      Synthetic traces (--synthetic NAME[:param=value,...]):
        zipf   alpha=0.99 keys=100000 length=1000000
        scan   hot=5000 alpha=0.8 scan=20000 period=20000 length=1000000
        loop   keys=5000 length=1000000
        shift  alpha=0.99 keys=100000 period=100000 step=10000 length=1000000
      Each also takes seed=N (default: --seed). Generators chain with \
      phases:NAME(param=value,...)*COUNT,... (e.g. \
      phases:zipf(alpha=0.9,keys=20000)*600k,shift(keys=20000)*600k,loop(keys=3000)*600k); \
      each phase asks for keys of its own.

      --write-trace PATH writes the trace (synthetic or read from a file) as text, one \
      decimal key per line, instead of simulating: the input of the peer replayers in \
      Benchmarks/Peers/.

      Formats (--format): text (one key per line), csv (--column N, --size-column N, \
      --delimiter C, --header), oracle-general (libCacheSim binary: uint32 time, uint64 id, \
      uint32 size, int64 next access; .zst and .gz are decompressed through zstd/gzip), arc \
      (`start count ignore ignore` per line).
      """
  )

  @Option(help: ArgumentHelp("A trace file.", valueName: "path"))
  var trace: String?

  @Option(
    help: ArgumentHelp(
      "The trace file's format: text, csv, oracle-general or arc (default: text).", valueName: "format"))
  var format: String?

  @Option(help: "csv: the 1-based column holding the key.")
  var column = 1

  @Option(name: .customLong("size-column"), help: "csv: the 1-based column holding the object size.")
  var sizeColumn: Int?

  @Option(help: "csv: the field delimiter (one character, or 'tab').")
  var delimiter = ","

  @Flag(help: "csv: skip the first line.")
  var header = false

  @Option(help: ArgumentHelp("A seeded synthetic trace instead of a file (see above).", valueName: "spec"))
  var synthetic: String?

  @Option(
    help: ArgumentHelp(
      "Comma-separated policies: w-tinylfu, lru, lfu, fifo, random, optimal (default: all).", valueName: "list"))
  var policy: String?

  @Option(
    help: ArgumentHelp(
      "Comma-separated capacities in entries (k/m suffixes allowed), or total size with --weighted.", valueName: "list")
  )
  var capacity: String?

  @Option(
    name: .customLong("capacity-fraction"),
    help: ArgumentHelp(
      "Comma-separated capacities as fractions of the distinct keys (or bytes with --weighted).", valueName: "list"))
  var capacityFraction: String?

  @Flag(help: "Use object sizes as cost: capacities bound the total size (size-aware traces only).")
  var weighted = false

  @Option(help: "Seed of synthetic traces and of the random policy.")
  var seed: UInt64 = 1

  @Option(help: "Stripes of each Cortado cache (1: one policy orders every entry).")
  var stripes = 1

  @Option(help: "Replay only the first N requests.")
  var limit: Int?

  @Flag(help: "Print a JSON array of {policy, capacity, requests, hits, hitRatio} and nothing else.")
  var json = false

  @Flag(help: "Print the table as Markdown.")
  var markdown = false

  @Option(help: ArgumentHelp("Write an SVG chart of hit ratio against capacity.", valueName: "path.svg"))
  var chart: String?

  @Option(
    name: .customLong("write-trace"),
    help: ArgumentHelp("Write the trace as text (one key per line) to a file instead of simulating.", valueName: "path")
  )
  var writeTrace: String?

  func validate() throws {
    if (trace == nil) == (synthetic == nil) {
      throw ValidationError("give exactly one of --trace PATH or --synthetic SPEC")
    }
    if synthetic != nil && (format != nil || sizeColumn != nil || header) {
      throw ValidationError("--format, --size-column and --header apply to --trace files only")
    }
    if capacity != nil && capacityFraction != nil {
      throw ValidationError("give --capacity or --capacity-fraction, not both")
    }
    if column < 1 { throw ValidationError("--column counts from 1 (got \(column))") }
    if let sizeColumn, sizeColumn < 1 { throw ValidationError("--size-column counts from 1 (got \(sizeColumn))") }
    if let limit, limit < 1 { throw ValidationError("--limit must be positive (got \(limit))") }
    if json && markdown { throw ValidationError("give --json or --markdown, not both") }
    if stripes < 1 || stripes > 1 << 16 {
      throw ValidationError("--stripes must be between 1 and 65536 (got \(stripes))")
    }
    if writeTrace != nil
      && (json || markdown || chart != nil || policy != nil || capacity != nil
        || capacityFraction != nil || weighted)
    {
      throw ValidationError("--write-trace only writes the trace: it takes no policy, capacity or output option")
    }
  }

  func run() throws {
    let source: TraceSource
    if let synthetic {
      source = .synthetic(try SyntheticSpec(parsing: synthetic, seed: seed))
    } else {
      source = .file(path: trace!, format: try fileFormat())
    }
    if let writeTrace {
      let count = try TraceTextWriter.write(source, limit: limit, to: writeTrace)
      print("Wrote \(count) requests of \(source) to \(writeTrace)")
      return
    }
    var capacities: CapacityPlan?
    if let capacity { capacities = try CapacityPlan.parseCounts(capacity) }
    if let capacityFraction { capacities = try CapacityPlan.parseFractions(capacityFraction) }
    var configuration = SimulationConfiguration(
      source: source, policies: try SimulatedPolicy.parseList(policy, seed: seed),
      capacities: capacities, weighted: weighted, limit: limit)
    configuration.stripes = stripes

    let report = try Simulator.run(configuration, progress: ProgressBar())
    if let chart {
      try TextFile.write(HitRatioChart.svg(panels: [ChartPanel(report: report)]), to: chart)
    }
    if json {
      print(SimulationOutput.json(report), terminator: "")
    } else {
      print(SimulationOutput.table(report, markdown: markdown), terminator: "")
      if let chart { print("Chart written to \(chart)") }
    }
  }

  private func fileFormat() throws -> TraceFileFormat {
    let name = try TraceFormatName(parsing: format ?? "text")
    if name != .csv && (sizeColumn != nil || header || column != 1 || delimiter != ",") {
      throw ValidationError("--column, --size-column, --delimiter and --header apply to --format csv only")
    }
    switch name {
    case .text: return .text
    case .oracleGeneral: return .oracleGeneral
    case .arc: return .arc
    case .csv:
      let separator: UInt8
      switch delimiter {
      case "tab", "\\t", "\t": separator = 0x09
      default:
        guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte != UInt8(ascii: "\"") else {
          throw ValidationError("--delimiter must be one ASCII character other than a quote (got '\(delimiter)')")
        }
        separator = byte
      }
      return .csv(CSVOptions(keyColumn: column, sizeColumn: sizeColumn, delimiter: separator, hasHeader: header))
    }
  }
}
