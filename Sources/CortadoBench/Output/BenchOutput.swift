/// Prints a ``BenchReport`` as tables or as JSON.
package enum BenchOutput {
  /// The throughput table, memory table and goal checks.
  package static func text(_ report: BenchReport, markdown: Bool = false) -> String {
    let configuration = report.configuration
    func render(_ table: TextTable) -> String { markdown ? table.markdown() : table.rendered() }
    let seconds = Format.fixed(
      Double(configuration.duration.components.seconds)
        + Double(configuration.duration.components.attoseconds) / 1e18, digits: 2)
    var text = """
      Throughput: capacity \(Format.grouped(configuration.capacity)) entries; Zipf(\(KeyStreams.exponent)) keys over \
      \(Format.grouped(configuration.capacity)) (read, all hits) or \(Format.grouped(configuration.keySpace)) (mixed, write, load); \
      median of \(configuration.rounds) interleaved rounds of \(seconds) s per cell.
      Machine: \(report.machine.summary).

      """
    var table = TextTable(
      headers: [
        "workload", "threads", "implementation", "ops/s", "ns/op", "cpu ns/op", "× best baseline", "hit ratio",
      ],
      alignments: [.left, .right, .left, .right, .right, .right, .right, .right])
    for measurement in report.measurements {
      table.append([
        measurement.workload.rawValue,
        String(measurement.threads),
        measurement.implementation.rawValue,
        Format.rate(measurement.operationsPerSecond),
        Format.fixed(measurement.nanosecondsPerOperation, digits: 1),
        measurement.cpuNanosecondsPerOperation.map { Format.fixed($0, digits: 1) } ?? "–",
        report.ratioToBestBaseline(measurement).map { Format.fixed($0, digits: 2) } ?? "–",
        measurement.hitRatio.map { Format.percent($0) + "%" } ?? "–",
      ])
    }
    text += (markdown ? "\n" : "") + render(table)
    text += "\nImplementations:\n"
    for implementation in BenchImplementation.allCases
    where report.measurements.contains(where: { $0.implementation == implementation }) {
      text += "  \(implementation.rawValue): \(implementation.summary)\n"
    }
    text += """
      ns/op = threads × elapsed / operations (wall clock). cpu ns/op = the worker threads' CPU time / operations: \
      it leaves out time a thread waited for a core, so it is the steadier figure on a shared machine.
      Baselines: dict-lock-lru, nscache.

      """

    if !report.memory.isEmpty {
      let entries = Format.grouped(report.memory[0].entries)
      text +=
        "\nMemory: resident-set growth while filling one cache with \(entries) Int → Int entries, each in a fresh process.\n"
      if markdown { text += "\n" }
      var memory = TextTable(headers: ["implementation", "bytes/entry", "beyond 16-byte payload"])
      for measurement in report.memory {
        memory.append([
          measurement.implementation.rawValue, Format.fixed(measurement.bytesPerEntry, digits: 1),
          Format.fixed(measurement.overheadPerEntry, digits: 1),
        ])
      }
      text += render(memory)
    }

    let checks = PerformanceGoals.evaluate(report)
    text += "\nPerformance goals, on the medians above:\n"
    if markdown { text += "\n" }
    var goals = TextTable(
      headers: ["goal", "target", "measured", "met", "numbers"],
      alignments: [.left, .right, .right, .left, .left])
    for check in checks {
      goals.append([
        check.name, check.goal, check.measuredText,
        check.isMet.map { $0 ? "yes" : "NO" } ?? "n/a", check.detail,
      ])
    }
    text += render(goals)
    return text
  }

  /// The report as JSON: `machine`, `configuration`, `throughput` (one
  /// object per cell), `memory` and `goals`.
  package static func json(_ report: BenchReport) -> String {
    let configuration = report.configuration
    let throughput: [JSONValue] = report.measurements.map { measurement in
      .object([
        ("implementation", .string(measurement.implementation.rawValue)),
        ("workload", .string(measurement.workload.rawValue)),
        ("threads", .int(measurement.threads)),
        ("opsPerSecond", .double(measurement.operationsPerSecond.rounded())),
        ("nsPerOp", .double((measurement.nanosecondsPerOperation * 100).rounded() / 100)),
        ("cpuNsPerOp", measurement.cpuNanosecondsPerOperation.map { .double(($0 * 100).rounded() / 100) } ?? .null),
        (
          "ratioToBestBaseline",
          report.ratioToBestBaseline(measurement).map { .double(($0 * 1000).rounded() / 1000) } ?? .null
        ),
        ("hitRatio", measurement.hitRatio.map { .double($0) } ?? .null),
        ("rounds", .array(measurement.rounds.map { .double($0.rounded()) })),
      ])
    }
    let memory: [JSONValue] = report.memory.map { measurement in
      .object([
        ("implementation", .string(measurement.implementation.rawValue)),
        ("entries", .int(measurement.entries)),
        ("residentGrowthBytes", .int(measurement.residentGrowth)),
        ("bytesPerEntry", .double((measurement.bytesPerEntry * 10).rounded() / 10)),
        ("overheadPerEntry", .double((measurement.overheadPerEntry * 10).rounded() / 10)),
      ])
    }
    let goals: [JSONValue] = PerformanceGoals.evaluate(report).map { check in
      .object([
        ("goal", .string(check.name)),
        ("target", .string(check.goal)),
        ("unit", .string(check.unit)),
        ("measured", check.value.map { .double(($0 * 1000).rounded() / 1000) } ?? .null),
        ("met", check.isMet.map { .bool($0) } ?? .null),
      ])
    }
    let seconds =
      Double(configuration.duration.components.seconds) + Double(configuration.duration.components.attoseconds) / 1e18
    let document = JSONValue.object([
      (
        "machine",
        .object([
          ("processor", .string(report.machine.processor)),
          ("processorCount", .int(report.machine.processorCount)),
          ("operatingSystem", .string(report.machine.operatingSystem)),
        ])
      ),
      (
        "configuration",
        .object([
          ("capacity", .int(configuration.capacity)),
          ("keySpace", .int(configuration.keySpace)),
          ("zipfExponent", .double(KeyStreams.exponent)),
          ("durationSeconds", .double(seconds)),
          ("rounds", .int(configuration.rounds)),
          ("threads", .array(configuration.threads.map { .int($0) })),
        ])
      ),
      ("throughput", .array(throughput)),
      ("memory", .array(memory)),
      ("goals", .array(goals)),
    ])
    return document.pretty(expandingLevels: 2) + "\n"
  }
}
