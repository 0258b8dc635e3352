import Cortado
import Foundation

/// Everything that can be configured about a ``HybridCache``.
///
/// ```swift
/// var configuration = HybridCacheConfiguration(namespace: "shop:prices")
/// configuration.defaultOptions = HybridCacheOptions(timeToLive: .seconds(300), localTimeToLive: .seconds(30))
/// configuration.localMaximumCount = 50_000
/// let prices = try HybridCache<Price>(store: redisStore, configuration: configuration)
/// ```
public struct HybridCacheConfiguration: Sendable {
  /// The namespace of the cache's keys in the shared store, such as
  /// `"myapp:users"`. Store keys are `<namespace>:c<format>.<schema>:<key>`.
  ///
  /// Caches sharing a store need namespaces that do not start with one
  /// another (Redis refuses overlapping tracking prefixes). Must not be empty.
  public var namespace: String

  /// The lifetimes and fail-safe used when a call passes no options.
  /// Default: fresh for 5 minutes, no shorter local lifetime, no fail-safe.
  public var defaultOptions: HybridCacheOptions

  /// The most entries kept in memory (L1); `nil` for no limit. Default 10,000.
  public var localMaximumCount: Int?

  /// The memory lifetime of values cached while invalidations are not
  /// flowing (the store is disconnected or reconnecting). Default 2 seconds.
  public var degradedLocalTimeToLive: Duration

  /// Keys longer than this many UTF-8 bytes are hashed in the store (the full
  /// key is kept in the value and checked). Default 1,024; at least 64.
  public var maximumKeyBytes: Int

  /// Values whose envelope is larger than this many bytes are cached in
  /// memory only, never sent to the store. Default 1 MiB.
  public var maximumValueBytes: Int

  /// The most failed writes and removals kept for replay after a reconnect
  /// (one per key; beyond it the oldest is dropped). Default 10,000; 0 turns
  /// replay off.
  public var recoveryQueueCapacity: Int

  /// A deadline for each store call, on top of the store's own; `nil` (the
  /// default) relies on the store's. A call that passes it counts as a miss
  /// (reads) or a failed write.
  public var remoteTimeout: Duration?

  /// The version of `Value`'s encoded shape. Change it when the type changes
  /// incompatibly: it is part of every store key, so old and new versions of
  /// the application use different keys instead of overwriting each other.
  public var schemaVersion: UInt64

  /// Encodes values for the store. Default: ``JSONValueCodec``.
  public var codec: any HybridValueCodec

  /// The clock for memory lifetimes, as for a `Cache`: set it with
  /// ``setClock(_:)`` (for example a `ManualClock` in tests). Default:
  /// `ContinuousClock`.
  public var clock: CacheClock

  /// The wall clock that stamps each written value's creation time, used to
  /// stop a replayed write from overwriting a newer one. Default: `Date()`.
  public var currentDate: @Sendable () -> Date

  /// Called when a replay pass ends, before the replay decides whether to end
  /// (tests only, through `@testable import`: it lets a test deliver an
  /// event at exactly that point).
  var _replayPassEnded: (@Sendable () -> Void)? = nil

  /// Sees the single flight's join, cancel and finish points (tests only).
  var _loadObserver: (@Sendable (_LoadEvent<String>) -> Void)? = nil

  /// Creates a configuration with the defaults.
  public init(namespace: String, defaultOptions: HybridCacheOptions = HybridCacheOptions(timeToLive: .seconds(300))) {
    self.namespace = namespace
    self.defaultOptions = defaultOptions
    self.localMaximumCount = 10_000
    self.degradedLocalTimeToLive = .seconds(2)
    self.maximumKeyBytes = 1_024
    self.maximumValueBytes = 1 << 20
    self.recoveryQueueCapacity = 10_000
    self.remoteTimeout = nil
    self.schemaVersion = 0
    self.codec = JSONValueCodec()
    self.clock = .continuous
    self.currentDate = { Date() }
  }

  /// Replaces the clock for memory lifetimes (the same call as
  /// `Cache.Configuration.setClock(_:)`).
  public mutating func setClock(_ clock: some Clock<Duration>) {
    self.clock = CacheClock(clock)
  }

  /// The prefix of every store key of this configuration.
  public var keyPrefix: String {
    "\(namespace):c\(HybridEnvelope.formatVersion).\(schemaVersion):"
  }

  /// The prefix of every store key of this namespace, whatever the format
  /// and schema version: the namespace and a colon. A store must report
  /// invalidations for it (``RemoteCacheStore/trackedPrefixes``).
  public var namespacePrefix: String { namespace + ":" }

  /// The namespace and a colon.
  @available(
    *, deprecated, renamed: "namespacePrefix",
    message: "a Redis notion: RedisStore.trackingPrefix(namespace:) gives the prefix a Redis client tracks"
  )
  public var trackingPrefix: String { namespacePrefix }

  /// Whether a store that reports invalidations for `prefixes` (`nil`:
  /// unknown) covers every key of this namespace.
  func isCovered(by prefixes: [String]?) -> Bool {
    guard let prefixes else { return true }
    return prefixes.contains { namespacePrefix.hasPrefix($0) }
  }

  /// Checks the configuration; throws for the first invalid field.
  public func validate() throws(HybridCacheConfigurationError) {
    if namespace.isEmpty {
      throw HybridCacheConfigurationError(field: "namespace", message: "must not be empty")
    }
    try defaultOptions.validate()
    if let localMaximumCount, localMaximumCount < 0 {
      throw HybridCacheConfigurationError(
        field: "localMaximumCount", message: "must not be negative (got \(localMaximumCount))")
    }
    try HybridCacheConfigurationError.positive(degradedLocalTimeToLive, "degradedLocalTimeToLive")
    if maximumKeyBytes < 64 {
      throw HybridCacheConfigurationError(
        field: "maximumKeyBytes", message: "must be at least 64 (got \(maximumKeyBytes))")
    }
    if maximumValueBytes < 1 {
      throw HybridCacheConfigurationError(
        field: "maximumValueBytes", message: "must be positive (got \(maximumValueBytes))")
    }
    if recoveryQueueCapacity < 0 {
      throw HybridCacheConfigurationError(
        field: "recoveryQueueCapacity", message: "must not be negative (got \(recoveryQueueCapacity))")
    }
    if let remoteTimeout { try HybridCacheConfigurationError.positive(remoteTimeout, "remoteTimeout") }
    if !(1...127).contains(codec.identifier) {
      throw HybridCacheConfigurationError(
        field: "codec", message: "identifier must be between 1 and 127 (got \(codec.identifier))")
    }
  }
}

/// An invalid ``HybridCacheConfiguration`` or ``HybridCacheOptions`` field.
public struct HybridCacheConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The field's name, such as `"timeToLive"`.
  public var field: String
  /// What is wrong with it.
  public var message: String

  /// Creates an error.
  public init(field: String, message: String) {
    self.field = field
    self.message = message
  }

  /// The field and the problem, for logs.
  public var description: String { "HybridCache: \(field) \(message)" }

  static func positive(_ value: Duration, _ field: String) throws(HybridCacheConfigurationError) {
    if value <= .zero {
      throw HybridCacheConfigurationError(field: field, message: "must be positive (got \(value))")
    }
  }
}
