import Cortado
import Foundation
import Testing

@testable import CortadoHybrid
@testable import CortadoHybridTesting

/// Counts calls from any task.
final class Counter: Sendable {
  private let state = LockedState(0)
  @discardableResult
  func increment() -> Int {
    state.withLock {
      $0 += 1
      return $0
    }
  }
  var value: Int { state.withLock { $0 } }
}

/// A wall clock the test sets, in Unix milliseconds.
final class TestWallClock: Sendable {
  private let milliseconds: LockedState<Int64>
  init(_ start: Int64 = 1_700_000_000_000) { milliseconds = LockedState(start) }
  func set(_ value: Int64) { milliseconds.withLock { $0 = value } }
  var date: @Sendable () -> Date {
    { Date(timeIntervalSince1970: Double(self.milliseconds.withLock { $0 }) / 1_000) }
  }
}

/// Suspends loaders until the test opens it.
actor Gate {
  private var isOpen = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  func wait() async {
    if isOpen { return }
    await withCheckedContinuation { waiters.append($0) }
  }

  func open() {
    isOpen = true
    for waiter in waiters { waiter.resume() }
    waiters.removeAll()
  }
}

struct LoaderFailure: Error, Equatable {}

/// Waits (polling) until `condition` holds: invalidations arrive on the
/// cache's own task. Fails the test only after 60 seconds *and* 60 000 polls:
/// on a 2-core machine the whole suite runs in parallel and CPU-bound tests can
/// keep the cooperative pool busy for a long time, during which this task (and
/// the work it waits for) does not run at all. Counting polls makes the
/// deadline stretch with that starvation instead of failing because of it.
func eventually(
  _ comment: Comment? = nil,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ condition: () -> Bool
) async {
  let deadline = ContinuousClock.now + .seconds(60)
  var polls = 0
  while !condition() {
    polls += 1
    if polls >= 60_000 && ContinuousClock.now > deadline {
      Issue.record(comment ?? "condition not met within 60 s and 60 000 polls", sourceLocation: sourceLocation)
      return
    }
    try? await Task.sleep(for: .milliseconds(1))
  }
}

/// One simulated deployment: a server, its clock, and a wall clock.
struct World {
  let clock = ManualClock()
  let wallClock = TestWallClock()
  let server: InMemoryRemoteServer

  init() {
    server = InMemoryRemoteServer(clock: clock)
  }

  func configuration(
    timeToLive: Duration = .seconds(60),
    localTimeToLive: Duration? = nil,
    failSafe: HybridCacheOptions.FailSafe? = nil,
    _ adjust: (inout HybridCacheConfiguration) -> Void = { _ in }
  ) -> HybridCacheConfiguration {
    var configuration = HybridCacheConfiguration(
      namespace: "test",
      defaultOptions: HybridCacheOptions(timeToLive: timeToLive, localTimeToLive: localTimeToLive, failSafe: failSafe)
    )
    configuration.setClock(clock)
    configuration.currentDate = wallClock.date
    adjust(&configuration)
    return configuration
  }

  /// A cache on a new connection (one application instance).
  func instance(_ configuration: HybridCacheConfiguration? = nil) throws -> (HybridCache<String>, InMemoryRemoteStore) {
    let store = server.makeStore()
    return (try HybridCache<String>(store: store, configuration: configuration ?? self.configuration()), store)
  }

  /// The string value stored in the server under `key`'s storage key.
  func storedValue(_ cache: HybridCache<String>, _ key: String) -> String? {
    guard let entry = server.entry(forKey: cache.storageKey(forKey: key)),
      case .success(let envelope) = HybridEnvelope.decode(entry.bytes)
    else { return nil }
    return try? JSONDecoder().decode(String.self, from: Data(envelope.payload))
  }
}

/// An envelope for `value` under `key`, as a HybridCache with default
/// settings would write it.
func envelopeBytes(
  _ value: String,
  key: String,
  createdAt: Int64 = 1_700_000_000_000,
  freshFor: UInt64 = 60_000,
  staleFor: UInt64 = 0,
  codec: UInt8 = 1,
  schema: UInt64 = 0
) -> [UInt8] {
  HybridEnvelope(
    codecIdentifier: codec,
    createdAtMilliseconds: createdAt,
    freshForMilliseconds: freshFor,
    staleForMilliseconds: staleFor,
    schemaVersion: schema,
    key: key,
    payload: Array(try! JSONEncoder().encode(value))
  ).encoded()
}

/// A store that holds every `set` and `remove` until the test releases it,
/// so a test can read the store while an instance's own write is on its way.
final class HeldWritesStore: RemoteCacheStore {
  let base: InMemoryRemoteStore
  let gate = Gate()
  let heldWrites = Counter()
  /// Whether removals are held too (otherwise only `set`s are).
  let holdsRemovals: Bool

  init(_ base: InMemoryRemoteStore, holdsRemovals: Bool = true) {
    self.base = base
    self.holdsRemovals = holdsRemovals
  }

  var state: RemoteCacheStoreState { base.state }
  func get(_ key: String) async throws -> RemoteCacheEntry? { try await base.get(key) }
  func get(_ keys: [String]) async throws -> [RemoteCacheEntry?] { try await base.get(keys) }
  func set(_ key: String, bytes: [UInt8], timeToLive: Duration) async throws {
    heldWrites.increment()
    await gate.wait()
    try await base.set(key, bytes: bytes, timeToLive: timeToLive)
  }
  func setIfNotNewer(_ key: String, bytes: [UInt8], timeToLive: Duration, createdAtMilliseconds: Int64) async throws
    -> Bool
  {
    try await base.setIfNotNewer(
      key, bytes: bytes, timeToLive: timeToLive, createdAtMilliseconds: createdAtMilliseconds)
  }
  func remove(_ keys: [String]) async throws {
    if holdsRemovals {
      heldWrites.increment()
      await gate.wait()
    }
    try await base.remove(keys)
  }
  func invalidations() -> AsyncStream<RemoteCacheEvent> { base.invalidations() }
}
