@_spi(Testing) import Cortado
import Foundation

/// Runs an operation sequence on a real single-stripe `Cache` and on
/// `ReferenceModel`, comparing every answer, the evictions, the bounds and
/// the cache's internal invariants after each step. Shared by the
/// property-based tests and the cache-operation fuzzer.
package enum CacheModelCheck {
  package enum Operation: CustomStringConvertible, Sendable {
    case get(Int)
    case set(Int)
    case setWithLifetime(Int, milliseconds: Int)
    case remove(Int)
    case contains(Int)
    case advance(milliseconds: Int)
    case count
    case snapshot
    case compute(Int)
    case removeAll
    /// `insertValue(_:forKey:)`.
    case insert(Int)
    /// `compute(forKey:_:)`: a new value, or removal of a value divisible by 3.
    case update(Int)
    /// `modifyValue(forKey:_:)`.
    case modify(Int)
    /// `setValue(_:forKey:lifetime: .keepRemaining(otherwise: ttl))`.
    case setKeepingRemaining(Int, milliseconds: Int)

    package var description: String {
      switch self {
      case .get(let key): return "get(\(key))"
      case .set(let key): return "set(\(key))"
      case .setWithLifetime(let key, let ms): return "set(\(key), ttl: \(ms)ms)"
      case .remove(let key): return "remove(\(key))"
      case .contains(let key): return "contains(\(key))"
      case .advance(let ms): return "advance(\(ms)ms)"
      case .count: return "count"
      case .snapshot: return "snapshot"
      case .compute(let key): return "compute(\(key))"
      case .removeAll: return "removeAll"
      case .insert(let key): return "insert(\(key))"
      case .update(let key): return "update(\(key))"
      case .modify(let key): return "modify(\(key))"
      case .setKeepingRemaining(let key, let ms): return "set(\(key), keepRemaining otherwise ttl: \(ms)ms)"
      }
    }
  }

  package struct Scenario: Sendable, CustomStringConvertible {
    package var policy: EvictionPolicy
    package var maximumCount: Int?
    package var timeToLive: Duration?
    package var timeToIdle: Duration?

    package init(policy: EvictionPolicy, maximumCount: Int?, timeToLive: Duration? = nil, timeToIdle: Duration? = nil) {
      self.policy = policy
      self.maximumCount = maximumCount
      self.timeToLive = timeToLive
      self.timeToIdle = timeToIdle
    }

    package var description: String {
      "\(policy) max=\(maximumCount.map(String.init) ?? "nil") ttl=\(timeToLive.map { "\($0)" } ?? "nil") tti=\(timeToIdle.map { "\($0)" } ?? "nil")"
    }
  }

  /// Removal notifications, in order.
  final class RemovalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [(key: Int, reason: RemovalReason)] = []
    func append(_ key: Int, _ reason: RemovalReason) { lock.withLock { events.append((key, reason)) } }
    func take() -> [(key: Int, reason: RemovalReason)] {
      lock.withLock {
        defer { events.removeAll() }
        return events
      }
    }
  }

  /// Runs `operations`; returns the first disagreement, or nil.
  package static func run(_ operations: [Operation], _ scenario: Scenario) -> String? {
    let clock = ManualClock()
    let log = RemovalLog()
    var configuration = Cache<Int, Int>.Configuration(
      maximumCount: scenario.maximumCount, timeToLive: scenario.timeToLive, timeToIdle: scenario.timeToIdle,
      evictionPolicy: scenario.policy, clock: clock)
    configuration.sweepsExpiredEntries = false
    configuration.stripeCount = 1
    configuration.onRemoval = { key, _, reason in log.append(key, reason) }
    let cache: Cache<Int, Int>
    do {
      cache = try Cache(configuration: configuration)
    } catch {
      return "invalid scenario \(scenario): \(error)"
    }
    let modelPolicy: ReferenceModel.Policy
    switch scenario.policy.name {
    case "lru": modelPolicy = .lru
    case "lfu": modelPolicy = .lfu
    case "fifo": modelPolicy = .fifo
    default: modelPolicy = .learned
    }
    var model = ReferenceModel(
      maximumCount: scenario.maximumCount, policy: modelPolicy,
      timeToLive: scenario.timeToLive.map(nanoseconds), timeToIdle: scenario.timeToIdle.map(nanoseconds))
    var nextValue = 0

    for (step, operation) in operations.enumerated() {
      // Built only when a step fails: formatting the whole sequence on every
      // step was most of a fuzz input's time.
      var context: String { "step \(step) \(operation) in \(scenario): \(operations)" }
      var expectedEviction: Int? = nil
      switch operation {
      case .get(let key):
        let actual = cache[key]
        let expected = model.get(key)
        if actual != expected {
          return "get \(String(describing: actual)) ≠ \(String(describing: expected)): \(context)"
        }
      case .set(let key):
        nextValue += 1
        cache[key] = nextValue
        expectedEviction = model.set(key, nextValue)
      case .setWithLifetime(let key, let milliseconds):
        nextValue += 1
        cache.setValue(nextValue, forKey: key, timeToLive: .milliseconds(milliseconds))
        expectedEviction = model.set(key, nextValue, timeToLive: Int64(milliseconds) * 1_000_000)
      case .compute(let key):
        nextValue += 1
        let candidate = nextValue
        let actual = cache.value(forKey: key) { candidate }
        let expected: Int
        if let existing = model.get(key) {
          expected = existing
        } else {
          expectedEviction = model.set(key, candidate)
          expected = candidate
        }
        if actual != expected { return "compute \(actual) ≠ \(expected): \(context)" }
      case .insert(let key):
        nextValue += 1
        let actual = cache.insertValue(nextValue, forKey: key)
        let expected = model.quietValue(key)
        switch actual {
        case .existing(let value) where value == expected: break
        case .inserted where expected == nil: expectedEviction = model.set(key, nextValue)
        case .rejected(.zeroCapacity) where expected == nil && scenario.maximumCount == 0: break
        default: return "insert \(actual) with \(String(describing: expected)) live: \(context)"
        }
      case .update(let key):
        nextValue += 1
        let candidate = nextValue
        var seen: Int?? = .none
        let actual = cache.compute(forKey: key) { current in
          seen = .some(current)
          if let current, current % 3 == 0 { return nil }
          return candidate
        }
        let expected = model.quietValue(key)
        guard seen == .some(expected) else {
          return "compute saw \(String(describing: seen)), model \(String(describing: expected)): \(context)"
        }
        switch actual {
        case .removed where expected != nil && expected! % 3 == 0: _ = model.remove(key)
        case .stored(let value) where value == candidate && (expected ?? 1) % 3 != 0:
          expectedEviction = model.set(key, candidate)
        case .rejected(.zeroCapacity) where scenario.maximumCount == 0: break
        default: return "compute \(actual) with \(String(describing: expected)) live: \(context)"
        }
      case .modify(let key):
        nextValue += 1
        let candidate = nextValue
        let actual = cache.modifyValue(forKey: key) { $0 = candidate }
        let replaced = model.replaceKeepingLifetime(key, candidate)
        switch actual {
        case .stored(let value) where value == candidate && replaced: break
        case .unchanged where !replaced: break
        default: return "modify \(actual), model replaced: \(replaced): \(context)"
        }
      case .setKeepingRemaining(let key, let milliseconds):
        nextValue += 1
        let otherwise = Freshness(timeToLive: .milliseconds(milliseconds), timeToIdle: scenario.timeToIdle)
        cache.setValue(nextValue, forKey: key, lifetime: .keepRemaining(otherwise: otherwise))
        if !model.replaceKeepingLifetime(key, nextValue) {
          expectedEviction = model.set(key, nextValue, timeToLive: Int64(milliseconds) * 1_000_000)
        }
      case .remove(let key):
        let actual = cache.removeValue(forKey: key)
        let expected = model.remove(key)
        if actual != expected {
          return "remove \(String(describing: actual)) ≠ \(String(describing: expected)): \(context)"
        }
      case .removeAll:
        cache.removeAll()
        model.entries.removeAll()
      case .contains(let key):
        if cache.contains(key) != model.contains(key) { return "contains: \(context)" }
      case .advance(let milliseconds):
        clock.advance(by: .milliseconds(milliseconds))
        model.now += Int64(milliseconds) * 1_000_000
      case .count:
        if cache.count != model.count { return "count \(cache.count) ≠ \(model.count): \(context)" }
      case .snapshot:
        let actual = cache.snapshot().map { [$0.key, $0.value] }
        let expected = model.snapshot.map { [$0.0, $0.1] }
        if actual != expected { return "snapshot \(actual) ≠ \(expected): \(context)" }
      }

      // Evictions reported by the cache must be the model's (exact policies)
      // or, for learned policies, live entries that the model then drops.
      cache.waitForRemovalNotifications()
      let evicted = log.take().filter { $0.reason == .evicted }.map(\.key)
      if modelPolicy == .learned {
        for key in evicted {
          if !model.contains(key) { return "evicted a key the model does not hold: \(key) at \(context)" }
          model.entries[key] = nil
        }
      } else if evicted != (expectedEviction.map { [$0] } ?? []) {
        return "evicted \(evicted), expected \(String(describing: expectedEviction)): \(context)"
      }
      if let maximumCount = scenario.maximumCount, cache.count > maximumCount { return "over the bound: \(context)" }
      cache._checkInvariants()
    }
    if cache.count != model.count { return "final count \(cache.count) ≠ \(model.count) in \(operations)" }
    return nil
  }

  static func nanoseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }
}
