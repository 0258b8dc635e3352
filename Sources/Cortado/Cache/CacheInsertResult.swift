/// What ``Cache/insertValue(_:forKey:)`` did: insert-if-absent, reported as
/// a value.
///
/// ```swift
/// switch sessions.insertValue(session, forKey: token) {
/// case .inserted: break
/// case .existing(let current): throw DuplicateSession(current.id)
/// case .rejected(let reason): log("not cached: \(reason)")
/// }
/// ```
///
/// ## Topics
/// ### Outcomes
/// - ``inserted``
/// - ``existing(_:)``
/// - ``rejected(reason:)``
/// ### Inspecting
/// - ``isInserted``
public enum CacheInsertResult<Value: Sendable>: Sendable {
  /// The key had no live value; the value is now stored.
  case inserted
  /// The key already had this live value, which was left as it is.
  case existing(Value)
  /// The key had no live value and the value could not be stored (see
  /// ``CacheWriteResult/Rejection``); the cache is unchanged.
  case rejected(reason: CacheWriteResult<Value>.Rejection)

  /// Whether the given value is now in the cache.
  public var isInserted: Bool {
    if case .inserted = self { return true }
    return false
  }
}
