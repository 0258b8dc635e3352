import Cortado
import CortadoTestSupport
import Foundation
import Testing

@testable import CortadoHybrid

/// Every interleaving of two callers' fills of one key with this instance's
/// removal or write and with cancellation, run deterministically against a
/// `HybridCache` and compared with `LoadOracle`, in memory *and* in the store
/// (defects 1 and 2 each live in some of these orders).
@Suite("HybridCache: every interleaving of fills, writes and cancellation", .timeLimit(.minutes(5)))
struct FillInterleavingTests {
  static let loaderValues = ["A": 100, "B": 200]

  static let scenarios: [(name: String, steps: [LoadStep], before: [(LoadStep, LoadStep)])] = {
    let base: [(LoadStep, LoadStep)] = [(.start("A"), .finish("A")), (.start("B"), .finish("B"))]
    return [
      ("removal", [.start("A"), .finish("A"), .start("B"), .finish("B"), .remove], base),
      ("write", [.start("A"), .finish("A"), .start("B"), .finish("B"), .write(300)], base),
      (
        "A cancelled, removal", [.start("A"), .cancel("A"), .finish("A"), .start("B"), .finish("B"), .remove],
        base + [(.start("A"), .cancel("A"))]
      ),
    ]
  }()

  @Test("every order agrees with the oracle, in memory and in the store", arguments: scenarios.indices)
  func everyOrder(_ index: Int) async throws {
    let scenario = Self.scenarios[index]
    for order in linearExtensions(scenario.steps, before: scenario.before) {
      if let failure = try await Self.run(order) {
        Issue.record(
          Comment(rawValue: "\(scenario.name): \(order.map(\.description).joined(separator: " → ")): \(failure)"))
        return
      }
    }
  }

  static func run(_ order: [LoadStep]) async throws -> String? {
    let world = World()
    let events = LockedState<[_LoadEvent<String>]>([])
    let configuration = world.configuration { configuration in
      configuration._loadObserver = { event in events.withLock { $0.append(event) } }
    }
    let cache = try HybridCache<Int>(store: world.server.makeStore(), configuration: configuration)
    func count(_ matches: (_LoadEvent<String>) -> Bool) -> Int { events.withLock { $0.filter(matches).count } }
    var oracle = LoadOracle(loaderValues: loaderValues)
    let gates = ["A": Gate(), "B": Gate()]
    var tasks: [String: Task<Int, any Error>] = [:]
    let done = LockedState<Set<String>>([])
    let started = Counter()  // loaders that have begun
    for step in order {
      let settling = Comment(rawValue: "settling \(step) in \(order.map(\.description).joined(separator: " → "))")
      switch step {
      case .start(let caller):
        // Settled once the caller joined a fill, or its own fill reached its
        // loader (the flight's `.started` comes earlier: before the fill's
        // task runs, a cancellation would end the fill without loading).
        let before = count {
          if case .joined = $0 { return true }
          return false
        }
        let loaderCalls = started.value
        let gate = gates[caller]!
        let value = loaderValues[caller]!
        tasks[caller] = Task {
          defer { done.withLock { _ = $0.insert(caller) } }
          return try await cache.loadValue(forKey: "k") { _ in
            started.increment()
            await gate.wait()
            return value
          }
        }
        await eventually(settling) {
          done.withLock { $0.contains(caller) } || started.value > loaderCalls
            || count {
              if case .joined = $0 { return true }
              return false
            } > before
        }

      case .cancel(let caller):
        tasks[caller]!.cancel()
        await eventually(settling) { done.withLock { $0.contains(caller) } }
      case .finish(let caller):
        let running = oracle.isRunning(caller)
        let before = count {
          if case .finished = $0 { return true }
          return false
        }
        await gates[caller]!.open()
        if running {
          await eventually(settling) {
            count {
              if case .finished = $0 { return true }
              return false
            } > before
          }
        }
      case .remove:
        await cache.removeValue(forKey: "k")
      case .write(let value):
        try await cache.setValue(value, forKey: "k")
      }
      oracle.apply(step)
    }
    for (caller, task) in tasks {
      let got: Int?
      do { got = try await task.value } catch { got = nil }
      guard let expected = oracle.results[caller], got == expected else {
        return
          "\(caller) got \(got.map(String.init) ?? "an error"), expected \(String(describing: oracle.results[caller]))"
      }
    }
    let stored = world.server.entry(forKey: cache.storageKey(forKey: "k")).flatMap { entry -> Int? in
      guard case .success(let envelope) = HybridEnvelope.decode(entry.bytes) else { return nil }
      return try? JSONDecoder().decode(Int.self, from: Data(envelope.payload))
    }
    if stored != oracle.value {
      return "the store holds \(String(describing: stored)), expected \(String(describing: oracle.value))"
    }
    let read = await cache.value(forKey: "k")
    if read != oracle.value {
      return "the cache reads \(String(describing: read)), expected \(String(describing: oracle.value))"
    }
    return nil
  }
}
