/// A cache configuration that cannot work, with the field at fault.
///
/// Thrown by ``Cache/init(configuration:)``. The convenience initialisers stop
/// the program with the same message instead.
public struct CacheConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The configuration fields that can be invalid.
  public enum Field: String, Sendable, Hashable, CaseIterable {
    /// ``Cache/Configuration/maximumCount``.
    case maximumCount
    /// ``Cache/Configuration/maximumCost``.
    case maximumCost
    /// ``Freshness/timeToLive``.
    case timeToLive
    /// ``Freshness/timeToIdle``.
    case timeToIdle
    /// ``Freshness/refreshAfter``.
    case refreshAfter
    /// ``Freshness/staleIfError``.
    case staleIfError
    /// ``Freshness/failureTimeToLive``.
    case failureTimeToLive
    /// ``Freshness/jitter``.
    case jitter
    /// ``Cache/Configuration/stripeCount``.
    case stripeCount
    /// ``Cache/Configuration/maximumRefreshBatch``.
    case maximumRefreshBatch
    /// ``Cache/Configuration/refreshBatching``.
    case refreshBatching
  }

  /// The field at fault.
  public var field: Field
  /// What is wrong with it.
  public var message: String

  /// Creates an error for `field`.
  public init(field: Field, message: String) {
    self.field = field
    self.message = message
  }

  public var description: String { "Invalid cache configuration: \(field.rawValue) \(message)" }
}
