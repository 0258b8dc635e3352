import CortadoTestSupport
import PropertyBased
import Testing

@testable import Cortado

/// Random operation sequences, run on a real `Cache` and on `ReferenceModel`;
/// every answer must agree, and the cache's invariants must hold after every
/// step. Shrinking reports the smallest failing sequence.
@Suite("Property: cache agrees with a reference model")
struct PropertyTests {
  typealias Operation = CacheModelCheck.Operation
  typealias Scenario = CacheModelCheck.Scenario

  static func operations(keys: Int, lifetimes: Bool) -> Generator<[Operation], AnySequence<Any>> {
    zip(Gen.int(in: 0...99), Gen.int(in: 0...(keys - 1)), Gen.int(in: 0...3_000))
      .map { choice, key, amount -> Operation in
        switch choice {
        case 0..<30: return .get(key)
        case 30..<50: return .set(key)
        case 50..<52: return .insert(key)
        case 52..<55: return .update(key)
        case 55..<57: return .modify(key)
        case 57..<60: return lifetimes ? .setKeepingRemaining(key, milliseconds: amount - 200) : .modify(key)
        case 60..<67: return lifetimes ? .setWithLifetime(key, milliseconds: amount - 200) : .set(key)
        case 67..<74: return .remove(key)
        case 74..<78: return .contains(key)
        case 78..<81: return .compute(key)
        case 81..<91: return lifetimes ? .advance(milliseconds: amount / 3) : .get(key)
        case 91..<94: return .count
        case 94..<95: return .removeAll
        default: return .snapshot
        }
      }
      .array(of: 1...250)
      .eraseToAny()
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
      let failure = CacheModelCheck.run(operations, scenario)
      #expect(failure == nil, Comment(rawValue: failure ?? ""))
    }
  }
}
