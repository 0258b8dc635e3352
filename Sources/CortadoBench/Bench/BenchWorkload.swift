/// What the threads of a throughput run do.
package enum BenchWorkload: String, CaseIterable, Sendable {
  /// 100% gets on a warm cache: every key of the read key space is present,
  /// so this measures the cost of a hit.
  case read
  /// 90% gets, 10% sets, over a key space larger than the cache (so gets
  /// miss and sets evict).
  case mixed
  /// 100% sets over the larger key space: inserts, replacements, evictions.
  case write
  /// Get-or-load (compute if absent) with a cheap loader, over the larger
  /// key space.
  case load

  /// Parses a comma-separated list; `nil`, empty or `all` means every
  /// workload.
  package static func parseList(_ text: String?) throws(BenchError) -> [BenchWorkload] {
    guard let text, !text.isEmpty, text.lowercased() != "all" else { return allCases }
    var workloads: [BenchWorkload] = []
    for part in text.split(separator: ",") {
      guard let workload = BenchWorkload(rawValue: part.trimmingSpaces.lowercased()) else {
        throw .unknownWorkload(String(part))
      }
      if !workloads.contains(workload) { workloads.append(workload) }
    }
    return workloads
  }
}

/// Why a benchmark could not run.
package enum BenchError: Error, Equatable, CustomStringConvertible {
  /// `--workloads` named an unknown workload.
  case unknownWorkload(String)
  /// `--implementations` named an unknown implementation.
  case unknownImplementation(String)
  /// An option out of range (the message says which).
  case invalidOption(String)
  /// A memory-measuring child process failed.
  case memoryProbeFailed(String)

  package var description: String {
    switch self {
    case .unknownWorkload(let name):
      return "unknown workload '\(name)'; expected: \(BenchWorkload.allCases.map(\.rawValue).joined(separator: ", "))"
    case .unknownImplementation(let name):
      return
        "unknown implementation '\(name)'; expected: \(BenchImplementation.allCases.map(\.rawValue).joined(separator: ", "))"
    case .invalidOption(let message):
      return message
    case .memoryProbeFailed(let message):
      return "memory measurement failed: \(message)"
    }
  }
}
