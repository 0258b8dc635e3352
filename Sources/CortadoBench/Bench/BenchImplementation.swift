/// The caches a throughput run compares, all in the same process.
package enum BenchImplementation: String, CaseIterable, Sendable {
  /// Cortado's default: W-TinyLFU, 60 s time to live, `ContinuousClock`.
  case cortado
  /// Cortado with LRU eviction and a 60 s time to live.
  case cortadoLRU = "cortado-lru"
  /// Cortado's default with the opt-in `CoarseClock`: shows the clock's share.
  case cortadoCoarse = "cortado-coarse"
  /// Cortado's default without a time to live: the hit cost with no clock.
  case cortadoNoTTL = "cortado-no-ttl"
  /// Cortado with LRU and no time to live.
  case cortadoLRUNoTTL = "cortado-lru-no-ttl"
  /// Baseline: a `Dictionary` of linked-list nodes behind a `pthread_mutex`,
  /// LRU order, 60 s expiry checked on every get.
  case lockedDictionary = "dict-lock-lru"
  /// Baseline: Foundation's `NSCache` with `countLimit` (no expiry).
  case nsCache = "nscache"
  /// Reference: an unbounded `[Int: Int]` read with no lock, the physical
  /// limit for a lookup. Only measured for `read` (it is never written, so
  /// several threads may read it).
  case dictionary

  /// A one-line description for tables.
  package var summary: String {
    switch self {
    case .cortado: return "Cortado W-TinyLFU, TTL 60 s"
    case .cortadoLRU: return "Cortado LRU, TTL 60 s"
    case .cortadoCoarse: return "Cortado W-TinyLFU, TTL 60 s, CoarseClock"
    case .cortadoNoTTL: return "Cortado W-TinyLFU, no TTL"
    case .cortadoLRUNoTTL: return "Cortado LRU, no TTL"
    case .lockedDictionary: return "Dictionary + pthread mutex + LRU list, TTL 60 s"
    case .nsCache: return "NSCache, countLimit, no TTL"
    case .dictionary: return "[Int: Int], read only, no lock, unbounded"
    }
  }

  /// The baselines Cortado's rows are compared with.
  package var isBaseline: Bool { self == .lockedDictionary || self == .nsCache }

  /// Whether the combination is measured (the reference is read-only by
  /// definition).
  package func supports(_ workload: BenchWorkload, threads: Int) -> Bool {
    self != .dictionary || workload == .read
  }

  /// Parses a comma-separated list; `nil`, empty or `all` means every one.
  package static func parseList(_ text: String?) throws(BenchError) -> [BenchImplementation] {
    guard let text, !text.isEmpty, text.lowercased() != "all" else { return allCases }
    var implementations: [BenchImplementation] = []
    for part in text.split(separator: ",") {
      guard let implementation = BenchImplementation(rawValue: part.trimmingSpaces.lowercased()) else {
        throw .unknownImplementation(String(part))
      }
      if !implementations.contains(implementation) { implementations.append(implementation) }
    }
    return implementations
  }
}
