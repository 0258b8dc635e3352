/// What a ``HybridCache`` write or removal did.
public enum HybridWriteResult: Sendable, Hashable {
  /// Memory and the store are both updated.
  case stored
  /// Memory is updated; the store could not be reached, so the operation
  /// waits in the recovery queue for the next reconnect.
  case queued
  /// Memory is updated; the value is larger than
  /// ``HybridCacheConfiguration/maximumValueBytes`` and was not sent to the
  /// store (any older value there is removed).
  case localOnly
  /// Memory is updated; the store could not be reached and replay is off
  /// (``HybridCacheConfiguration/recoveryQueueCapacity`` is 0).
  case dropped
}

/// The former name of ``HybridWriteResult``.
@available(*, deprecated, renamed: "HybridWriteResult")
public typealias HybridWriteOutcome = HybridWriteResult
