/// What a loader returns when it decides how its value is cached: accepted
/// by the overloads of ``Cache/loadValue(forKey:using:)-(_,(Key)->CacheLoadResult<Value>)``
/// and ``Cache/loadValues(forKeys:using:)-(_,([Key])->[Key:CacheLoadResult<Value>])``.
///
/// ```swift
/// // An OAuth token lives as long as the server says.
/// let token = try await tokens.loadValue(forKey: client) { client in
///     let response = try await authServer.token(for: client)
///     return .cached(response.token, freshness: .timeToLive(.seconds(response.expiresIn - 30)))
/// }
///
/// // A degraded answer goes to the callers but is not remembered.
/// let price = try await prices.loadValue(forKey: sku) { sku in
///     guard let live = try? await pricing.price(sku) else { return .uncached(Price.placeholder) }
///     return .cached(live)
/// }
/// ```
///
/// ## Topics
/// ### Results
/// - ``cached(_:freshness:)``
/// - ``uncached(_:)``
/// ### Inspecting
/// - ``value``
public enum CacheLoadResult<Value: Sendable>: Sendable {
  /// Return the value and cache it, with `freshness` instead of the cache's
  /// own lifetime when given (as ``Cache/setValue(_:forKey:freshness:)``; an
  /// invalid one is rejected and the value is only returned).
  case cached(Value, freshness: Freshness? = nil)
  /// Return the value to every caller waiting for this load, and store
  /// nothing (a refreshed entry keeps its current value). Callers arriving
  /// after the load ends start a new one.
  case uncached(Value)

  /// The value, cached or not.
  public var value: Value {
    switch self {
    case .cached(let value, _), .uncached(let value): return value
    }
  }
}
