/// The capacities to simulate: entry counts (or total cost, with
/// `--weighted`), or fractions of the trace's distinct keys (or bytes).
package enum CapacityPlan: Sendable, Equatable {
  /// Absolute capacities.
  case counts([Int])
  /// Fractions of the distinct keys (of their total size, with `--weighted`).
  case fractions([Double])

  /// The plan used for a file trace when none is given.
  package static let defaultFractions = CapacityPlan.fractions([0.001, 0.003, 0.01, 0.03, 0.1, 0.3])

  /// Parses `--capacity`: positive integers, with optional `k`/`m`/`g`
  /// suffixes and `_` separators (`500,2k,1_000_000`).
  package static func parseCounts(_ text: String) throws(SimulationError) -> CapacityPlan {
    var counts: [Int] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let item = part.trimmingSpaces.replacingUnderscores.lowercased()
      var multiplier = 1
      var digits = Substring(item)
      switch item.last {
      case "k":
        multiplier = 1_000
        digits = digits.dropLast()
      case "m":
        multiplier = 1_000_000
        digits = digits.dropLast()
      case "g":
        multiplier = 1_000_000_000
        digits = digits.dropLast()
      default: break
      }
      guard let value = Int(digits), value > 0 else { throw .invalidCapacity(part.trimmingSpaces) }
      let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
      guard !overflow else { throw .invalidCapacity(part.trimmingSpaces) }
      counts.append(product)
    }
    return .counts(counts)
  }

  /// Parses `--capacity-fraction`: positive numbers (`0.01,0.1`).
  package static func parseFractions(_ text: String) throws(SimulationError) -> CapacityPlan {
    var fractions: [Double] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      guard let value = Double(part.trimmingSpaces), value > 0, value.isFinite else {
        throw .invalidCapacity(part.trimmingSpaces)
      }
      fractions.append(value)
    }
    return .fractions(fractions)
  }

  /// Whether resolving needs the trace's distinct-key count.
  var needsProfile: Bool {
    if case .fractions = self { return true }
    return false
  }

  /// The capacities, ascending and without duplicates; fractions are taken
  /// of `distinct` and rounded, with a floor of 1.
  package func resolve(distinct: Int) -> [Int] {
    switch self {
    case .counts(let counts):
      return Array(Set(counts)).sorted()
    case .fractions(let fractions):
      return Array(Set(fractions.map { max(1, Int((Double(distinct) * $0).rounded())) })).sorted()
    }
  }
}
