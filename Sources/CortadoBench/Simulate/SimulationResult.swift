/// The outcome of one policy at one capacity.
package struct SimulationResult: Sendable, Equatable {
  /// The policy's label (``SimulatedPolicy/label(weighted:)``).
  package var policy: String
  /// Whether this row is the offline optimum.
  package var isOptimal: Bool
  /// The capacity: entries, or total size with `--weighted`.
  package var capacity: Int
  /// Requests replayed.
  package var requests: Int
  /// Requests that found their key.
  package var hits: Int

  /// Creates a result.
  package init(policy: String, isOptimal: Bool, capacity: Int, requests: Int, hits: Int) {
    self.policy = policy
    self.isOptimal = isOptimal
    self.capacity = capacity
    self.requests = requests
    self.hits = hits
  }

  /// `hits / requests` (0 for an empty trace).
  package var hitRatio: Double {
    requests == 0 ? 0 : Double(hits) / Double(requests)
  }
}

/// Everything a simulation produced, ready to print or chart.
package struct SimulationReport: Sendable {
  /// The trace, as described to the user.
  package var source: String
  /// A short title for the trace.
  package var title: String
  /// Requests replayed.
  package var requests: Int
  /// Distinct keys, when a first pass counted them.
  package var distinctKeys: Int?
  /// Whether capacities are total sizes.
  package var weighted: Bool
  /// The capacities, ascending.
  package var capacities: [Int]
  /// The policies' labels, in the order asked for.
  package var policies: [String]
  /// One result per policy and capacity, policy-major.
  package var results: [SimulationResult]

  /// Creates a report.
  package init(
    source: String, title: String, requests: Int, distinctKeys: Int?, weighted: Bool,
    capacities: [Int], policies: [String], results: [SimulationResult]
  ) {
    self.source = source
    self.title = title
    self.requests = requests
    self.distinctKeys = distinctKeys
    self.weighted = weighted
    self.capacities = capacities
    self.policies = policies
    self.results = results
  }

  /// The result for `policy` at `capacity`.
  package func result(policy: String, capacity: Int) -> SimulationResult? {
    results.first { $0.policy == policy && $0.capacity == capacity }
  }
}
