/// What `cortado` with no arguments runs: every policy on the four built-in
/// synthetic traces, a chart of them, and a quick throughput comparison.
/// Sized to finish well within a minute on two cores.
package enum Tour {
  /// The traces of the tour: the built-in generators, shortened.
  package static func traces(seed: UInt64 = 1) -> [SyntheticSpec] {
    SyntheticSpec.Kind.generators.map { kind in
      var spec = SyntheticSpec.preset(kind, seed: seed)
      spec.length = 300_000
      if kind == .shift { spec.period = 50_000 }
      return spec
    }
  }

  /// The quick benchmark: `read` and `mixed`, one and two threads, two
  /// rounds of 0.15 s.
  package static func benchConfiguration() -> BenchConfiguration {
    var configuration = BenchConfiguration()
    configuration.workloads = [.read, .mixed]
    configuration.duration = .milliseconds(150)
    configuration.rounds = 2
    configuration.streamLength = 1 << 18
    return configuration
  }

  /// How to add Caffeine to the tables (printed when it is not there).
  package static let caffeineHint =
    "To compare with Caffeine 2.6.2: apt-get install -y libcaffeine-java, then run"
    + " `cortado tour --caffeine-jar /usr/share/java/caffeine-2.6.2.jar` from the package's root.\n"

  /// Runs the tour, handing each finished section to `output` as it is
  /// ready; writes the chart to `chartPath`. With `caffeine`, each table
  /// gains Caffeine's row.
  package static func run(
    chartPath: String, caffeine: CaffeinePeer? = nil, progress: ProgressBar, output: (String) -> Void
  ) throws {
    output(
      """
      Cortado tour: hit ratios of every policy on four built-in synthetic traces,
      then a quick throughput comparison. See `cortado simulate --help` and
      `cortado bench --help` for the full tools.


      """)
    var panels: [ChartPanel] = []
    for spec in traces() {
      let configuration = SimulationConfiguration(
        source: .synthetic(spec), policies: SimulatedPolicy.all(seed: spec.seed))
      var report = try Simulator.run(configuration, progress: progress)
      if let caffeine {
        report.results += try caffeine.results(.synthetic(spec), capacities: report.capacities)
        report.policies.append(CaffeinePeer.label)
      }
      output(SimulationOutput.table(report) + "\n")
      panels.append(ChartPanel(report: report))
    }
    try TextFile.write(HitRatioChart.svg(panels: panels, title: "Cortado hit ratio vs capacity (tour)"), to: chartPath)
    output("Chart written to \(chartPath)\n")
    output(caffeine == nil ? caffeineHint + "\n" : "\n")

    let report = try Benchmark.run(benchConfiguration(), progress: progress)
    output(BenchOutput.text(report))
    output(
      """

      This was a quick run. For every workload, more rounds and memory per entry:
        swift run -c release cortado bench
      """ + "\n")
  }
}
