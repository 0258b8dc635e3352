import Cortado
import CortadoTestSupport
import Foundation
import Testing

@testable import CortadoHybrid

/// Random concurrent histories of one `HybridCache` instance (reads, writes,
/// removals and loads, over an in-memory store), checked for
/// linearizability: a fill that began before a write or removal of this
/// instance neither lands in the store after it nor is joined by callers that
/// arrive after it (defects 1 and 2). Across instances, invalidation is
/// asynchronous by design, so only one instance is checked.
@Suite("HybridCache: concurrent histories agree with the model", .serialized)
struct HybridLinearizabilityTests {
  static var histories: Int {
    ProcessInfo.processInfo.environment["CORTADO_LINEARIZABILITY_HISTORIES"].flatMap(Int.init) ?? 150
  }

  @Test("random histories of one instance are linearizable", arguments: [1, 8])
  func historiesAreLinearizable(localCapacity: Int) async {
    let fixed = ProcessInfo.processInfo.environment["CORTADO_LINEARIZABILITY_SEED"].flatMap(UInt64.init)
    let base = UInt64(localCapacity) << 40 | UInt64(UInt32(truncatingIfNeeded: Int64(Date().timeIntervalSince1970)))
    let failure = LockedState<String?>(nil)
    let count = fixed == nil ? Self.histories : 1
    await offPool {
      for index in 0..<count {
        let seed = fixed ?? base &+ UInt64(index)
        if let message = Self.check(localCapacity: localCapacity, seed: seed) {
          failure.withLock { $0 = message }
          return
        }
      }
    }
    if let message = failure.withLock({ $0 }) { Issue.record(Comment(rawValue: message)) }
  }

  static func check(localCapacity: Int, seed: UInt64) -> String? {
    let world = World()
    let configuration = world.configuration { $0.localMaximumCount = localCapacity }
    let cache = try! HybridCache<Int>(store: world.server.makeStore(), configuration: configuration)
    var driver = HistoryDriver()
    // A fill whose last caller leaves while its value is already on its way
    // to the store completes that write (the abandonment is only seen as
    // task cancellation): cancelled loads are checked by the deterministic
    // tests instead (`FillBarrierTests`).
    driver.cancellationRate = 0
    let outcome = driver.run(HybridSubject(cache: cache), seed: seed)
    let checker = LinearizabilityChecker(capacity: .max, timeToLive: .max, clockValues: outcome.clockValues)
    if outcome.unexpected.isEmpty && checker.isLinearizable(outcome.history) { return nil }
    return """
      local capacity \(localCapacity), seed \(seed) (replay with CORTADO_LINEARIZABILITY_SEED=\(seed)): \
      \(outcome.unexpected.joined(separator: "; "))
      \(outcome.history.map(\.description).joined(separator: "\n"))
      """
  }
}

/// One `HybridCache` as the history driver sees it.
struct HybridSubject: LinearizabilitySubject {
  let cache: HybridCache<Int>

  var supportsCount: Bool { false }
  var supportsCompute: Bool { false }
  var supportsBatch: Bool { false }
  var reportsRemovedValue: Bool { false }
  func removeAllGroups(_ keys: [Int]) -> [[Int]]? { nil }

  func get(_ key: Int) -> Int? { blockingWait { [cache] in await cache.value(forKey: "k\(key)") } }
  func set(_ key: Int, _ value: Int) {
    blockingWait { [cache] in _ = try? await cache.setValue(value, forKey: "k\(key)") }
  }
  func remove(_ key: Int) -> Int? {
    blockingWait { [cache] in _ = await cache.removeValue(forKey: "k\(key)") }
    return nil
  }
  func removeAll() {}
  func count() -> Int { 0 }
  func compute(_ key: Int, _ make: () -> Int) -> Int { make() }
  var supportsComputeFamily: Bool { false }
  var supportsLoadResults: Bool { false }
  func refresh(_ key: Int, _ loader: @escaping @Sendable (Int) async throws -> Int) -> Bool { false }
  func load(_ key: Int, _ loader: @escaping @Sendable (Int) async throws -> CacheLoadResult<Int>) async throws -> Int {
    try await load(key) { try await loader($0).value }
  }
  func insert(_ key: Int, _ value: Int) -> Int? { nil }
  func update(_ key: Int, _ transform: (Int?) -> Int?) -> HistoryOperation.UpdateOutcome { .unchanged }
  func modify(_ key: Int, _ transform: (Int) -> Int) -> HistoryOperation.UpdateOutcome { .unchanged }
  func load(_ key: Int, _ loader: @escaping @Sendable (Int) async throws -> Int) async throws -> Int {
    try await cache.loadValue(forKey: "k\(key)") { _ in try await loader(key) }
  }
  func loadBatch(_ keys: [Int], _ loader: @escaping @Sendable ([Int]) async throws -> [Int: Int]) async throws -> [Int:
    Int]
  {
    [:]
  }
  func quiesce() {}  // no cancellations, so every load ended with its callers
}
