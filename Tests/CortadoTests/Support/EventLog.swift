import Cortado

/// A thread-safe record of removal notifications, for tests.
final class EventLog<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  struct Event {
    var key: Key
    var value: Value
    var reason: RemovalReason
  }

  private let storage = LockedState<[Event]>([])

  /// A listener that appends to this log.
  var listener: @Sendable (Key, Value, RemovalReason) -> Void {
    { [self] key, value, reason in self.append(Event(key: key, value: value, reason: reason)) }
  }

  func append(_ event: Event) {
    storage.withLock { $0.append(event) }
  }

  var events: [Event] { storage.withLock { $0 } }

  /// Returns and forgets the events recorded so far.
  func take() -> [Event] {
    storage.withLock { events in
      defer { events.removeAll() }
      return events
    }
  }

  func reasons(for key: Key) -> [RemovalReason] {
    events.filter { $0.key == key }.map(\.reason)
  }
}

/// A lock-protected value for tests (the package's one lock).
final class Locked<T>: Sendable {
  private let state: LockedState<T>

  init(_ value: T) { state = LockedState(value) }

  func withLock<R, E: Error>(_ body: (inout T) throws(E) -> R) throws(E) -> R {
    try state.withLock(body)
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
