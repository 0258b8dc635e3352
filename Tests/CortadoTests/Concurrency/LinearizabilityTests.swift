import CortadoTestSupport
import Foundation
import Testing

@_spi(Testing) @testable import Cortado

/// Random concurrent histories of get, set, remove, removeAll, count,
/// `value(forKey:orInsert:)`, `loadValue`, `loadValues`, cancellation and clock
/// advances, from several threads and tasks at once, each checked for
/// linearizability against a sequential model (see `LinearizabilityChecker`).
///
/// CI runs a bounded number per scenario; set `CORTADO_LINEARIZABILITY_HISTORIES`
/// for longer runs, and `CORTADO_LINEARIZABILITY_SEED` to replay one seed.
@Suite("Linearizability: concurrent histories agree with the model", .serialized)
struct LinearizabilityTests {
  struct Scenario: Sendable, CustomStringConvertible {
    var policy: EvictionPolicy
    var capacity: Int
    var timeToLive: Duration?
    var stripes: Int
    var description: String {
      "\(policy.name) capacity \(capacity) ttl \(timeToLive.map { "\($0)" } ?? "none") stripes \(stripes)"
    }
  }

  static let scenarios: [Scenario] = {
    var result: [Scenario] = []
    for policy in [EvictionPolicy.lru, .lfu, .fifo, .windowTinyLFU, .random(seed: 3)] {
      for timeToLive in [nil, Duration.seconds(1)] {
        result.append(Scenario(policy: policy, capacity: 2, timeToLive: timeToLive, stripes: 1))
        result.append(Scenario(policy: policy, capacity: 8, timeToLive: timeToLive, stripes: 2))
      }
    }
    return result
  }()

  static var historiesPerScenario: Int {
    ProcessInfo.processInfo.environment["CORTADO_LINEARIZABILITY_HISTORIES"].flatMap(Int.init) ?? 150
  }

  @Test("random histories are linearizable", arguments: scenarios)
  func historiesAreLinearizable(_ scenario: Scenario) async {
    let fixed = ProcessInfo.processInfo.environment["CORTADO_LINEARIZABILITY_SEED"].flatMap(UInt64.init)
    let base =
      UInt64(abs(scenario.description.hashValue & 0xFFFF)) << 32
      | UInt64(UInt32(truncatingIfNeeded: Int64(Date().timeIntervalSince1970)))
    let count = fixed == nil ? Self.historiesPerScenario : 1
    // The driver blocks its threads; never block the cooperative pool,
    // which runs the loaders.
    let failure = Locked<String?>(nil)
    await offPool {
      for index in 0..<count {
        let seed = fixed ?? base &+ UInt64(index)
        if let message = Self.check(scenario, seed: seed) {
          failure.withLock { $0 = message }
          return
        }
      }
    }
    if let message = failure.current { Issue.record(Comment(rawValue: message)) }
  }

  /// Runs and checks one history; returns what went wrong (with the seed).
  static func check(_ scenario: Scenario, seed: UInt64) -> String? {
    let clock = ManualClock()
    var configuration = Cache<Int, Int>.Configuration(
      maximumCount: scenario.capacity, timeToLive: scenario.timeToLive, evictionPolicy: scenario.policy, clock: clock)
    configuration.sweepsExpiredEntries = false
    configuration.stripeCount = scenario.stripes
    let cache = try! Cache(configuration: configuration)
    var driver = HistoryDriver()
    driver.clock = scenario.timeToLive == nil ? nil : clock
    var outcome = driver.run(CacheSubject(cache: cache), seed: seed)
    let checker = LinearizabilityChecker(
      capacity: scenario.capacity,
      timeToLive: scenario.timeToLive.map { $0._nanosecondsClamped } ?? .max,
      clockValues: outcome.clockValues)
    var linearizable = checker.isLinearizable(outcome.history)
    if let lone = LinearizabilityChecker.supersededUpdatesOverlapAWrite(outcome.history) {
      linearizable = false
      outcome.unexpected.append("superseded without an overlapping write: \(lone)")
    }
    let bounded = cache.count <= scenario.capacity
    if outcome.unexpected.isEmpty && linearizable && bounded {
      cache._checkInvariants()
      return nil
    }
    return """
      \(scenario), seed \(seed) (replay with CORTADO_LINEARIZABILITY_SEED=\(seed)): \
      \(linearizable ? "" : "not linearizable; ")\(bounded ? "" : "over its bound; ")\(outcome.unexpected.joined(separator: "; "))
      \(outcome.history.map(\.description).joined(separator: "\n"))
      """
  }

  // The checker itself: it must reject what breaks the promises.
  @Test func theCheckerRejectsAValueLoadedBeforeARemovalAndReturnedAfterIt() {
    let checker = LinearizabilityChecker(capacity: 8, timeToLive: .max, clockValues: [0])
    func operation(_ kind: HistoryOperation.Kind, _ invoke: Int, _ response: Int) -> HistoryOperation {
      HistoryOperation(kind: kind, thread: 0, invoke: invoke, response: response, clockBefore: 0, clockAfter: 0)
    }
    // A loads 1 (its loader starts at 2); B removes 1 (3–4); C loads 1 after
    // that (5–7) and gets A's value without loading: defect 4.
    let joinedAfterRemoval = [
      operation(.load(key: 1, result: 100), 1, 8),
      operation(.producerStart(key: 1, value: 100), 1, 2),
      operation(.remove(key: 1, result: .some(nil)), 3, 4),
      operation(.load(key: 1, result: 100), 5, 7),
    ]
    #expect(!checker.isLinearizable(joinedAfterRemoval))
    // The same, with C starting before the removal: allowed.
    var joinedBefore = joinedAfterRemoval
    joinedBefore[3] = operation(.load(key: 1, result: 100), 2, 7)
    #expect(checker.isLinearizable(joinedBefore))
    // An abandoned load's value stored over a newer one: defect 3.
    let abandoned = [
      operation(.producerStart(key: 1, value: 100), 1, 2),
      operation(.load(key: 1, result: nil), 1, 3),
      operation(.producerStart(key: 1, value: 200), 4, 5),
      operation(.load(key: 1, result: 200), 4, 6),
      operation(.get(key: 1, result: 100), 7, 8),
    ]
    #expect(!checker.isLinearizable(abandoned))
  }
}

/// A `Cache` as the history driver sees it.
struct CacheSubject: LinearizabilitySubject {
  let cache: Cache<Int, Int>

  var supportsCount: Bool { cache.stripeCount == 1 }
  var supportsCompute: Bool { true }
  var supportsBatch: Bool { true }
  var reportsRemovedValue: Bool { true }

  func removeAllGroups(_ keys: [Int]) -> [[Int]]? {
    let shift = cache.core.stripeShift
    let groups = Dictionary(grouping: keys) { key in
      Int(truncatingIfNeeded: UInt64(bitPattern: Int64(key.hashValue)) >> shift)
    }
    return groups.keys.sorted().map { groups[$0]! }
  }

  func get(_ key: Int) -> Int? { cache[key] }
  func set(_ key: Int, _ value: Int) { cache[key] = value }
  func remove(_ key: Int) -> Int? { cache.removeValue(forKey: key) }
  func removeAll() { cache.removeAll() }
  func count() -> Int { cache.count }
  func compute(_ key: Int, _ make: () -> Int) -> Int { cache.value(forKey: key, orInsert: make) }
  var supportsComputeFamily: Bool { true }
  var supportsLoadResults: Bool { true }
  func refresh(_ key: Int, _ loader: @escaping @Sendable (Int) async throws -> Int) -> Bool {
    cache.refresh(forKey: key, using: loader)
  }
  func load(_ key: Int, _ loader: @escaping @Sendable (Int) async throws -> CacheLoadResult<Int>) async throws -> Int {
    try await cache.loadValue(forKey: key, using: loader)
  }
  func insert(_ key: Int, _ value: Int) -> Int? {
    if case .existing(let current) = cache.insertValue(value, forKey: key) { return current }
    return nil
  }
  func update(_ key: Int, _ transform: (Int?) -> Int?) -> HistoryOperation.UpdateOutcome {
    HistoryOperation.UpdateOutcome(cache.compute(forKey: key, transform))
  }
  func modify(_ key: Int, _ transform: (Int) -> Int) -> HistoryOperation.UpdateOutcome {
    HistoryOperation.UpdateOutcome(cache.modifyValue(forKey: key) { $0 = transform($0) })
  }
  func load(_ key: Int, _ loader: @escaping @Sendable (Int) async throws -> Int) async throws -> Int {
    try await cache.loadValue(forKey: key, using: loader)
  }
  func loadBatch(_ keys: [Int], _ loader: @escaping @Sendable ([Int]) async throws -> [Int: Int]) async throws -> [Int:
    Int]
  {
    try await cache.loadValues(forKeys: keys, using: loader)
  }
  func quiesce() {
    for task in cache.core.inFlightLoadTasks() { blockingWait { await task.wait() } }
  }
}

extension HistoryOperation.UpdateOutcome {
  init(_ result: CacheComputeResult<Int>) {
    switch result {
    case .stored(let value): self = .stored(value)
    case .removed: self = .removed
    case .unchanged: self = .unchanged
    case .superseded: self = .superseded
    case .rejected: fatalError("nothing is too costly in these histories")
    }
  }
}
