import Cortado
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread-safe record of removal notifications, for tests.
final class EventLog<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
  struct Event {
    var key: Key
    var value: Value
    var reason: RemovalReason
  }

  private var lock = pthread_mutex_t()
  private var storage: [Event] = []

  init() { pthread_mutex_init(&lock, nil) }
  deinit { pthread_mutex_destroy(&lock) }

  /// A listener that appends to this log.
  var listener: @Sendable (Key, Value, RemovalReason) -> Void {
    { [self] key, value, reason in self.append(Event(key: key, value: value, reason: reason)) }
  }

  func append(_ event: Event) {
    pthread_mutex_lock(&lock)
    storage.append(event)
    pthread_mutex_unlock(&lock)
  }

  var events: [Event] {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    return storage
  }

  /// Returns and forgets the events recorded so far.
  func take() -> [Event] {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    let result = storage
    storage.removeAll()
    return result
  }

  func reasons(for key: Key) -> [RemovalReason] {
    events.filter { $0.key == key }.map(\.reason)
  }
}

/// A lock-protected value for tests.
final class Locked<T>: @unchecked Sendable {
  private var lock = pthread_mutex_t()
  private var value: T

  init(_ value: T) {
    self.value = value
    pthread_mutex_init(&lock, nil)
  }

  deinit { pthread_mutex_destroy(&lock) }

  func withLock<R>(_ body: (inout T) throws -> R) rethrows -> R {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    return try body(&value)
  }

  var current: T { withLock { $0 } }
}

/// Builds a deterministic test cache: manual clock, no background sweeper,
/// one stripe unless asked otherwise.
func makeCache<Key: Hashable & Sendable, Value: Sendable>(
  _: Key.Type = Key.self, _: Value.Type = Value.self,
  maximumCount: Int? = nil,
  maximumCost: Int? = nil,
  timeToLive: Duration? = nil,
  timeToIdle: Duration? = nil,
  policy: EvictionPolicy = .default,
  clock: ManualClock,
  log: EventLog<Key, Value>? = nil,
  stripes: Int? = 1,
  configure: (inout Cache<Key, Value>.Configuration) -> Void = { _ in }
) -> Cache<Key, Value> {
  var configuration = Cache<Key, Value>.Configuration(
    maximumCount: maximumCount, maximumCost: maximumCost, timeToLive: timeToLive,
    timeToIdle: timeToIdle, evictionPolicy: policy, clock: clock)
  configuration.sweepsExpiredEntries = false
  configuration.stripeCount = stripes
  configuration.onRemoval = log?.listener
  configure(&configuration)
  return try! Cache(configuration: configuration)
}
