/// The outcome of one policy at one capacity.
public struct SimulationResult: Sendable, Equatable {
  /// The policy's label (``SimulatedPolicy/label(weighted:)``).
  public var policy: String
  /// Whether this row is the offline optimum.
  public var isOptimal: Bool
  /// The capacity: entries, or total size with `--weighted`.
  public var capacity: Int
  /// Requests replayed.
  public var requests: Int
  /// Requests that found their key.
  public var hits: Int

  /// Creates a result.
  public init(policy: String, isOptimal: Bool, capacity: Int, requests: Int, hits: Int) {
    self.policy = policy
    self.isOptimal = isOptimal
    self.capacity = capacity
    self.requests = requests
    self.hits = hits
  }

  /// `hits / requests` (0 for an empty trace).
  public var hitRatio: Double {
    requests == 0 ? 0 : Double(hits) / Double(requests)
  }
}

/// Everything a simulation produced, ready to print or chart.
public struct SimulationReport: Sendable {
  /// The trace, as described to the user.
  public var source: String
  /// A short title for the trace.
  public var title: String
  /// Requests replayed.
  public var requests: Int
  /// Distinct keys, when a first pass counted them.
  public var distinctKeys: Int?
  /// Whether capacities are total sizes.
  public var weighted: Bool
  /// The capacities, ascending.
  public var capacities: [Int]
  /// The policies' labels, in the order asked for.
  public var policies: [String]
  /// One result per policy and capacity, policy-major.
  public var results: [SimulationResult]

  /// Creates a report.
  public init(source: String, title: String, requests: Int, distinctKeys: Int?, weighted: Bool,
              capacities: [Int], policies: [String], results: [SimulationResult]) {
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
  public func result(policy: String, capacity: Int) -> SimulationResult? {
    results.first { $0.policy == policy && $0.capacity == capacity }
  }
}
