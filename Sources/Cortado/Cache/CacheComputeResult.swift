/// What ``Cache/compute(forKey:_:)`` or ``Cache/modifyValue(forKey:_:)``
/// did to the key.
///
/// ## Topics
/// ### Outcomes
/// - ``stored(_:)``
/// - ``removed``
/// - ``unchanged``
/// - ``superseded``
/// - ``rejected(reason:)``
/// ### Inspecting
/// - ``storedValue``
public enum CacheComputeResult<Value: Sendable>: Sendable {
  /// The closure's value is now the key's value (inserted or replacing).
  case stored(Value)
  /// The closure returned `nil` for a live value: the key was removed.
  case removed
  /// Nothing changed: the closure returned `nil` for an absent key, or (for
  /// `modifyValue`) the key had no live value.
  case unchanged
  /// A write or removal of the key landed while the closure ran; that newer
  /// change wins and the closure's result was dropped, as a load's is.
  case superseded
  /// The closure's value could not be stored (see
  /// ``CacheWriteResult/Rejection``); the key's previous value was removed,
  /// so the cache never serves an outdated value in its place.
  case rejected(reason: CacheWriteResult<Value>.Rejection)

  /// The key's value after the operation, when the closure's result was stored.
  public var storedValue: Value? {
    if case .stored(let value) = self { return value }
    return nil
  }
}
