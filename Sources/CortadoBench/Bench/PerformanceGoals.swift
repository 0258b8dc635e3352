/// A performance goal checked against a run.
package struct TargetCheck: Sendable, Equatable {
  /// What is measured.
  package var name: String
  /// The goal, e.g. `≤ 2.0×`.
  package var goal: String
  /// The measured ratio, if the run included the cells it needs.
  package var value: Double?
  /// Whether the goal was met (`nil` when not measured).
  package var isMet: Bool?
  /// The numbers behind the ratio.
  package var detail: String
}

/// Cortado's performance goals, checked on a run's medians: the cost of a
/// hit next to an unsynchronised `Dictionary`, mixed throughput next to a
/// locked dictionary with LRU, and read scaling from one thread to two. They
/// are reported as measured, met or not.
package enum PerformanceGoals {
  /// Every goal, hit cost first.
  package static func evaluate(_ report: BenchReport) -> [TargetCheck] {
    func ns(_ implementation: BenchImplementation, _ workload: BenchWorkload, _ threads: Int) -> Double? {
      report.measurement(implementation, workload, threads: threads)?.nanosecondsPerOperation
    }
    func cpu(_ implementation: BenchImplementation, _ workload: BenchWorkload, _ threads: Int) -> Double? {
      report.measurement(implementation, workload, threads: threads)?.cpuNanosecondsPerOperation
    }
    func ops(_ implementation: BenchImplementation, _ workload: BenchWorkload, _ threads: Int) -> Double? {
      report.measurement(implementation, workload, threads: threads)?.operationsPerSecond
    }
    func check(_ name: String, _ goal: String, _ value: Double?, _ passes: (Double) -> Bool, _ detail: String)
      -> TargetCheck
    {
      TargetCheck(
        name: name, goal: goal, value: value, isMet: value.map(passes),
        detail: value == nil ? "not measured (needs: \(detail))" : detail)
    }
    let capacity = Format.grouped(report.configuration.capacity)
    var checks: [TargetCheck] = []

    let reference = ns(.dictionary, .read, 1)
    for (implementation, limit, label) in [
      (BenchImplementation.cortadoNoTTL, 2.0, "without TTL"),
      (.cortado, 3.0, "with 60 s TTL"),
      (.cortadoCoarse, 3.0, "with 60 s TTL, CoarseClock"),
    ] {
      let cost = ns(implementation, .read, 1)
      let ratio = cost.flatMap { cost in reference.map { cost / $0 } }
      var detail = cost.flatMap { cost in
        reference.map {
          "\(Format.fixed(cost, digits: 1)) ns vs \(Format.fixed($0, digits: 1)) ns (\(implementation.rawValue) vs dictionary, read, 1 thread, \(capacity) entries)"
        }
      }
      // The same ratio in CPU time, which a busy neighbour does not inflate.
      if let cpuCost = cpu(implementation, .read, 1), let cpuReference = cpu(.dictionary, .read, 1), cpuReference > 0 {
        detail? +=
          "; CPU time \(Format.fixed(cpuCost, digits: 1)) ns vs \(Format.fixed(cpuReference, digits: 1)) ns = \(Format.fixed(cpuCost / cpuReference, digits: 2))×"
      }
      checks.append(
        check(
          "get-hit cost \(label) vs unsynchronised Dictionary", "≤ \(Format.fixed(limit, digits: 1))×", ratio,
          { $0 <= limit },
          detail ?? "\(implementation.rawValue) and dictionary, read, 1 thread"))
    }

    let mixedCortado = ops(.cortado, .mixed, 2)
    let mixedBaseline = ops(.lockedDictionary, .mixed, 2)
    let mixedRatio = mixedCortado.flatMap { a in mixedBaseline.map { a / $0 } }
    checks.append(
      check(
        "mixed, 2 threads, vs Dictionary + lock + LRU", "≥ 3.0×", mixedRatio, { $0 >= 3 },
        mixedRatio == nil
          ? "cortado and dict-lock-lru, mixed, 2 threads"
          : "\(Format.rate(mixedCortado!))ops/s vs \(Format.rate(mixedBaseline!))ops/s"))

    let read1 = ops(.cortado, .read, 1)
    let read2 = ops(.cortado, .read, 2)
    let scaling = read1.flatMap { one in read2.map { $0 / one } }
    checks.append(
      check(
        "read throughput, 2 threads vs 1", "≥ 1.8×", scaling, { $0 >= 1.8 },
        scaling == nil
          ? "cortado, read, 1 and 2 threads"
          : "\(Format.rate(read2!))ops/s vs \(Format.rate(read1!))ops/s (cortado)"))
    return checks
  }
}
