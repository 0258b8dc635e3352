/// The median of one implementation × workload × thread count.
package struct BenchMeasurement: Sendable, Equatable {
  /// The cache.
  package var implementation: BenchImplementation
  /// The workload.
  package var workload: BenchWorkload
  /// Threads running at once.
  package var threads: Int
  /// Median operations per second over the rounds (all threads together).
  package var operationsPerSecond: Double
  /// Every round's operations per second, in run order.
  package var rounds: [Double]
  /// Gets that hit, over all rounds (`nil` for workloads without gets).
  package var hitRatio: Double?
  /// Median CPU nanoseconds per operation: the worker threads' CPU time over
  /// their operations (`nil` if not measured).
  package var cpuNanosecondsPerOperation: Double?

  /// Creates a measurement.
  package init(
    implementation: BenchImplementation, workload: BenchWorkload, threads: Int,
    operationsPerSecond: Double, rounds: [Double], hitRatio: Double?,
    cpuNanosecondsPerOperation: Double? = nil
  ) {
    self.implementation = implementation
    self.workload = workload
    self.threads = threads
    self.operationsPerSecond = operationsPerSecond
    self.rounds = rounds
    self.hitRatio = hitRatio
    self.cpuNanosecondsPerOperation = cpuNanosecondsPerOperation
  }

  /// Nanoseconds per operation, as `threads × elapsed / operations`: the
  /// cost of one operation to the thread doing it.
  package var nanosecondsPerOperation: Double {
    operationsPerSecond > 0 ? Double(threads) * 1e9 / operationsPerSecond : .infinity
  }
}

/// Everything a throughput run produced.
package struct BenchReport: Sendable {
  /// What was run.
  package var configuration: BenchConfiguration
  /// One entry per measured cell, in table order.
  package var measurements: [BenchMeasurement]
  /// Memory per entry, when measured.
  package var memory: [MemoryMeasurement]
  /// The machine it ran on.
  package var machine: MachineDescription

  /// Creates a report.
  package init(
    configuration: BenchConfiguration, measurements: [BenchMeasurement], memory: [MemoryMeasurement],
    machine: MachineDescription
  ) {
    self.configuration = configuration
    self.measurements = measurements
    self.memory = memory
    self.machine = machine
  }

  /// The measurement of a cell, if it was run.
  package func measurement(_ implementation: BenchImplementation, _ workload: BenchWorkload, threads: Int)
    -> BenchMeasurement?
  {
    measurements.first { $0.implementation == implementation && $0.workload == workload && $0.threads == threads }
  }

  /// `measurement`'s throughput over the best baseline's in the same
  /// workload and thread count (`nil` if no baseline ran there).
  package func ratioToBestBaseline(_ measurement: BenchMeasurement) -> Double? {
    let best =
      measurements
      .filter {
        $0.implementation.isBaseline && $0.workload == measurement.workload && $0.threads == measurement.threads
      }
      .map(\.operationsPerSecond).max()
    guard let best, best > 0 else { return nil }
    return measurement.operationsPerSecond / best
  }
}
