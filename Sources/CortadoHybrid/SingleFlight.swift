import Cortado

/// One load per key at a time, shared by every caller of that key, with
/// `Cache.loadValue`'s cancellation rules (one caller's cancellation never
/// fails another; a load nobody waits for is abandoned), and nothing kept
/// once the load is over.
///
/// Built on a `Cache` that holds no entry (`maximumCount: 0`): its loading
/// machinery is exactly what a single flight needs, and keeping nothing means
/// every call after a load ends starts a new one.
struct SingleFlight<Value: Sendable>: Sendable {
  private let loads: Cache<String, Value>

  /// - Parameter observer: The test hook of the loads (see
  ///   `Cache.Configuration._loadObserver`).
  init(observer: (@Sendable (_LoadEvent<String>) -> Void)?) throws(CacheConfigurationError) {
    var configuration = Cache<String, Value>.Configuration(maximumCount: 0)
    configuration._loadObserver = observer
    loads = try Cache(configuration: configuration)
  }

  /// Runs `load` for `key` unless a load of `key` is in flight, in which
  /// case the caller joins it.
  func run(_ key: String, _ load: @escaping @Sendable () async throws -> Value) async throws -> Value {
    try await loads.loadValue(forKey: key) { _ in try await load() }
  }

  /// Detaches the load in flight for `key`, if any: callers arriving from
  /// now on start a new load instead of joining it.
  func detach(_ key: String) {
    loads.removeValue(forKey: key)
  }

  /// Cancels the loads in flight and waits for them.
  func shutdown() async {
    await loads.shutdown()
  }
}
