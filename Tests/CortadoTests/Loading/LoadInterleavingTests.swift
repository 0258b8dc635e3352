import CortadoTestSupport
import Testing

@testable import Cortado

/// Every interleaving of join, cancel, finish and write for two callers of
/// one key, run deterministically against `Cache` and compared with
/// `LoadOracle` (defects 3–5 and suspected 15 each live in one of them).
@Suite("Loading: every interleaving of join, cancel, finish and write", .timeLimit(.minutes(5)))
struct LoadInterleavingTests {
  static let loaderValues = ["A": 100, "B": 200]

  static let scenarios: [(name: String, steps: [LoadStep], before: [(LoadStep, LoadStep)])] = {
    let base: [(LoadStep, LoadStep)] = [
      (.start("A"), .cancel("A")), (.start("A"), .finish("A")), (.start("B"), .finish("B")),
    ]
    return [
      ("A cancelled, B, removal", [.start("A"), .cancel("A"), .finish("A"), .start("B"), .finish("B"), .remove], base),
      (
        "A cancelled, B, write", [.start("A"), .cancel("A"), .finish("A"), .start("B"), .finish("B"), .write(300)], base
      ),
      (
        "both cancelled, removal",
        [.start("A"), .cancel("A"), .finish("A"), .start("B"), .cancel("B"), .finish("B"), .remove],
        base + [(.start("B"), .cancel("B"))]
      ),
    ]
  }()

  @Test("every order agrees with the oracle", arguments: scenarios.indices)
  func everyOrder(_ index: Int) async {
    let scenario = Self.scenarios[index]
    let orders = linearExtensions(scenario.steps, before: scenario.before)
    #expect(orders.count >= 60, "the scenario has many interleavings")
    for order in orders {
      if let failure = await Self.run(order) {
        Issue.record(
          Comment(rawValue: "\(scenario.name): \(order.map(\.description).joined(separator: " → ")): \(failure)"))
        return
      }
    }
  }

  /// Runs one order; returns what disagreed with the oracle, if anything.
  static func run(_ order: [LoadStep]) async -> String? {
    let events = LoadEvents<Int>()
    let cache = makeCache(Int.self, Int.self, maximumCount: 100, clock: ManualClock(), stripes: 1) {
      $0._loadObserver = events.observer
    }
    var oracle = LoadOracle(loaderValues: loaderValues)
    let gates = ["A": Gate(), "B": Gate()]
    var tasks: [String: Task<Int, any Error>] = [:]
    let done = Locked<Set<String>>([])
    for step in order {
      switch step {
      case .start(let caller):
        let before = events.count { $0.isStartOrJoin }
        let gate = gates[caller]!
        let value = loaderValues[caller]!
        tasks[caller] = Task {
          defer { done.withLock { _ = $0.insert(caller) } }
          return try await cache.loadValue(forKey: 1) { _ in
            await gate.wait()  // ignores cancellation
            return value
          }
        }
        _ = await eventually { events.count(where: { $0.isStartOrJoin }) > before || done.current.contains(caller) }
      case .cancel(let caller):
        tasks[caller]!.cancel()
        _ = await eventually { done.current.contains(caller) }
      case .finish(let caller):
        let running = oracle.isRunning(caller)
        let before = events.count { $0.isFinish }
        gates[caller]!.open()
        if running { _ = await eventually { events.count(where: { $0.isFinish }) > before } }
      case .remove:
        cache.removeValue(forKey: 1)
      case .write(let value):
        cache[1] = value
      }
      oracle.apply(step)
    }
    for (caller, task) in tasks {
      let got: Int?
      do { got = try await task.value } catch { got = nil }
      guard let expected = oracle.results[caller], got == expected else {
        return
          "\(caller) got \(got.map(String.init) ?? "cancelled"), expected \(String(describing: oracle.results[caller]))"
      }
    }
    if cache[1] != oracle.value {
      return "the cache holds \(String(describing: cache[1])), expected \(String(describing: oracle.value))"
    }
    return nil
  }
}
