import Cortado

/// A policy a simulation can replay: one of Cortado's, or the offline optimum.
package enum SimulatedPolicy: Sendable, Hashable {
  /// A real ``Cortado/Cache`` with this eviction policy.
  case cortado(EvictionPolicy)
  /// Belady's optimum, computed from next-use distances: the upper bound.
  case optimal

  /// Every policy: Cortado's, then `optimal`. `random` gets `seed`.
  package static func all(seed: UInt64) -> [SimulatedPolicy] {
    EvictionPolicy.allPolicies.map { policy in
      policy.name == "random" ? .cortado(.random(seed: seed)) : .cortado(policy)
    } + [.optimal]
  }

  /// Parses a comma-separated list such as `lru,w-tinylfu,optimal`; `nil`,
  /// empty or `all` means every policy. Duplicates are dropped.
  package static func parseList(_ text: String?, seed: UInt64) throws(SimulationError) -> [SimulatedPolicy] {
    guard let text, !text.isEmpty, text.lowercased() != "all" else { return all(seed: seed) }
    var policies: [SimulatedPolicy] = []
    for part in text.split(separator: ",") {
      let name = part.trimmingSpaces
      let policy: SimulatedPolicy
      switch name.lowercased() {
      case "optimal", "belady", "opt", "min":
        policy = .optimal
      default:
        guard let parsed = EvictionPolicy(name: name, seed: seed) else { throw .unknownPolicy(name) }
        policy = .cortado(parsed)
      }
      if !policies.contains(policy) { policies.append(policy) }
    }
    if policies.isEmpty { throw .unknownPolicy(text) }
    return policies
  }

  /// The name shown in tables, JSON and charts. With sizes, the optimum is
  /// a heuristic (the exact size-aware optimum is NP-hard), and says so.
  package func label(weighted: Bool) -> String {
    switch self {
    case .cortado(let policy): return policy.name
    case .optimal: return weighted ? "optimal-heuristic" : "optimal"
    }
  }

  /// Whether this is the offline optimum (drawn dashed).
  package var isOptimal: Bool { self == .optimal }
}
