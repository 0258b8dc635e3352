/// Why an entry left the cache, as reported to the removal listener.
///
/// ```swift
/// var configuration = Cache<String, Connection>.Configuration(maximumCount: 100)
/// configuration.onRemoval = { key, connection, reason in
///     if reason != .replaced { connection.close() }
/// }
/// ```
public enum RemovalReason: Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// Its lifetime ended (time to live, time to idle or a per-entry lifetime),
  /// or it was written with a lifetime that had already ended.
  case expired
  /// The eviction policy removed it to stay within `maximumCount` or
  /// `maximumCost`.
  case evicted
  /// It was removed explicitly: `removeValue(forKey:)`, assigning `nil`,
  /// `removeAll()` or `removeAll(where:)`.
  case removed
  /// A new value was written under the same key; the notification carries the
  /// old value.
  case replaced
  /// It was never stored: its cost exceeds `maximumCost`, or the cache stores
  /// nothing (`maximumCount: 0`). The notification carries the new value.
  case rejected

  /// Whether the cache removed the entry on its own (expiry or eviction),
  /// rather than because of a call that named its key.
  public var wasAutomatic: Bool { self == .expired || self == .evicted }

  public var description: String {
    switch self {
    case .expired: return "expired"
    case .evicted: return "evicted"
    case .removed: return "removed"
    case .replaced: return "replaced"
    case .rejected: return "rejected"
    }
  }
}
