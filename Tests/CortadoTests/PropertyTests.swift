import PropertyBased
import Testing

@testable import Cortado

/// Random operation sequences, run on a real `Cache` and on `ReferenceModel`;
/// every answer must agree, and the cache's invariants must hold after every
/// step. Shrinking reports the smallest failing sequence.
@Suite("Property: cache agrees with a reference model")
struct PropertyTests {
  enum Operation: CustomStringConvertible, Sendable {
    case get(Int)
    case set(Int)
    case setWithLifetime(Int, milliseconds: Int)
    case remove(Int)
    case contains(Int)
    case advance(milliseconds: Int)
    case count
    case snapshot

    var description: String {
      switch self {
      case .get(let key): return "get(\(key))"
      case .set(let key): return "set(\(key))"
      case .setWithLifetime(let key, let ms): return "set(\(key), ttl: \(ms)ms)"
      case .remove(let key): return "remove(\(key))"
      case .contains(let key): return "contains(\(key))"
      case .advance(let ms): return "advance(\(ms)ms)"
      case .count: return "count"
      case .snapshot: return "snapshot"
      }
    }
  }

  static func operations(keys: Int, lifetimes: Bool) -> Generator<[Operation], AnySequence<Any>> {
    zip(Gen.int(in: 0...99), Gen.int(in: 0...(keys - 1)), Gen.int(in: 0...3_000))
      .map { choice, key, amount -> Operation in
        switch choice {
        case 0..<35: return .get(key)
        case 35..<65: return .set(key)
        case 65..<72: return lifetimes ? .setWithLifetime(key, milliseconds: amount - 200) : .set(key)
        case 72..<80: return .remove(key)
        case 80..<85: return .contains(key)
        case 85..<95: return lifetimes ? .advance(milliseconds: amount / 3) : .get(key)
        case 95..<98: return .count
        default: return .snapshot
        }
      }
      .array(of: 1...250)
      .eraseToAny()
  }

  struct Scenario: Sendable, CustomStringConvertible {
    var policy: EvictionPolicy
    var maximumCount: Int?
    var timeToLive: Duration?
    var timeToIdle: Duration?
    var description: String {
      "\(policy) max=\(maximumCount.map(String.init) ?? "nil") ttl=\(timeToLive.map { "\($0)" } ?? "nil") tti=\(timeToIdle.map { "\($0)" } ?? "nil")"
    }
  }

  static let scenarios: [Scenario] = {
    var result: [Scenario] = []
    for policy in [EvictionPolicy.lru, .lfu, .fifo, .windowTinyLFU, .random(seed: 7)] {
      result.append(Scenario(policy: policy, maximumCount: 5))
      result.append(Scenario(policy: policy, maximumCount: 1))
      result.append(Scenario(policy: policy, maximumCount: 8, timeToLive: .milliseconds(700)))
      result.append(Scenario(policy: policy, maximumCount: 6, timeToLive: .seconds(2), timeToIdle: .milliseconds(400)))
    }
    result.append(Scenario(policy: .lru, maximumCount: nil, timeToLive: .milliseconds(500)))
    result.append(Scenario(policy: .lru, maximumCount: 0))
    return result
  }()

  @Test("random operations agree with the model", arguments: scenarios)
  func agreesWithModel(_ scenario: Scenario) async {
    let lifetimes = scenario.timeToLive != nil || scenario.timeToIdle != nil
    await propertyCheck(count: 60, input: Self.operations(keys: 12, lifetimes: lifetimes)) { operations in
      await Task.yield()  // CPU-bound: let the suite's other async tests run too
      Self.run(operations, scenario)
    }
  }

  /// Runs one sequence; records an issue at the first disagreement.
  static func run(_ operations: [Operation], _ scenario: Scenario) {
    let clock = ManualClock()
    let log = EventLog<Int, Int>()
    let cache = makeCache(Int.self, Int.self, maximumCount: scenario.maximumCount,
                          timeToLive: scenario.timeToLive, timeToIdle: scenario.timeToIdle,
                          policy: scenario.policy, clock: clock, log: log)
    let modelPolicy: ReferenceModel.Policy
    switch scenario.policy.name {
    case "lru": modelPolicy = .lru
    case "lfu": modelPolicy = .lfu
    case "fifo": modelPolicy = .fifo
    default: modelPolicy = .learned
    }
    var model = ReferenceModel(
      maximumCount: scenario.maximumCount, policy: modelPolicy,
      timeToLive: scenario.timeToLive.map { $0._nanosecondsClamped },
      timeToIdle: scenario.timeToIdle.map { $0._nanosecondsClamped })
    var nextValue = 0

    for (step, operation) in operations.enumerated() {
      let context = "step \(step) \(operation) in \(operations)"
      var expectedEviction: Int? = nil
      switch operation {
      case .get(let key):
        let actual = cache[key]
        let expected = model.get(key)
        #expect(actual == expected, "get: \(context)")
        if actual != expected { return }
      case .set(let key):
        nextValue += 1
        cache[key] = nextValue
        expectedEviction = model.set(key, nextValue)
      case .setWithLifetime(let key, let milliseconds):
        nextValue += 1
        cache.setValue(nextValue, forKey: key, timeToLive: .milliseconds(milliseconds))
        expectedEviction = model.set(key, nextValue, timeToLive: Int64(milliseconds) * 1_000_000)
      case .remove(let key):
        let actual = cache.removeValue(forKey: key)
        let expected = model.remove(key)
        #expect(actual == expected, "remove: \(context)")
        if actual != expected { return }
      case .contains(let key):
        #expect(cache.contains(key) == model.contains(key), "contains: \(context)")
      case .advance(let milliseconds):
        clock.advance(by: .milliseconds(milliseconds))
        model.now += Int64(milliseconds) * 1_000_000
      case .count:
        #expect(cache.count == model.count, "count: \(context)")
      case .snapshot:
        let actual = cache.snapshot().map { [$0.key, $0.value] }
        let expected = model.snapshot.map { [$0.0, $0.1] }
        #expect(actual == expected, "snapshot: \(context)")
        if actual != expected { return }
      }

      // Evictions reported by the cache must be the model's (exact policies)
      // or, for learned policies, live entries that the model then drops.
      cache.waitForRemovalNotifications()
      let evicted = log.take().filter { $0.reason == .evicted }.map(\.key)
      if modelPolicy == .learned {
        for key in evicted {
          #expect(model.contains(key), "evicted a key the model does not hold: \(key) at \(context)")
          model.entries[key] = nil
        }
      } else {
        #expect(evicted == (expectedEviction.map { [$0] } ?? []), "eviction: \(context)")
        if evicted != (expectedEviction.map { [$0] } ?? []) { return }
      }
      if let maximumCount = scenario.maximumCount {
        #expect(cache.count <= maximumCount, "bound: \(context)")
      }
      cache._checkInvariants()
    }
    #expect(cache.count == model.count, "final count in \(operations)")
  }
}
