import Dispatch
import Testing

@_spi(Testing) @testable import Cortado

@Suite("Removal listener")
struct ListenerTests {
  let clock = ManualClock()

  @Test func everyReasonIsReported() {
    let log = EventLog<String, Int>()
    let cache = makeCache(
      String.self, Int.self, maximumCount: 2, maximumCost: 100, timeToLive: .seconds(5),
      policy: .lru, clock: clock, log: log
    ) { $0.cost = { _, value in value } }
    cache["a"] = 1
    cache["a"] = 2  // replaced (1)
    cache["b"] = 3
    cache["c"] = 4  // evicted a (2)
    cache["b"] = nil  // removed (3)
    cache["d"] = 500  // rejected (500)
    clock.advance(by: .seconds(5))
    _ = cache["c"]  // expired (4)
    cache.waitForRemovalNotifications()
    #expect(log.events.map(\.reason) == [.replaced, .evicted, .removed, .rejected, .expired])
    #expect(log.events.map(\.value) == [1, 2, 3, 500, 4])
    #expect(
      RemovalReason.expired.wasAutomatic && RemovalReason.evicted.wasAutomatic && !RemovalReason.removed.wasAutomatic)
  }

  @Test func theListenerMayUseTheCache() {
    // Never called under a lock: reading and writing from the listener works.
    let holder = Locked<Cache<Int, Int>?>(nil)
    let seen = Locked<[Int?]>([])
    var configuration = Cache<Int, Int>.Configuration(maximumCount: 2, evictionPolicy: .lru, clock: clock)
    configuration.sweepsExpiredEntries = false
    configuration.onRemoval = { key, _, reason in
      guard reason == .evicted, let cache = holder.current else { return }
      seen.withLock { $0.append(cache[key]) }
      if key < 1_000 { cache[key + 1_000] = key }  // evicts again: delivered after this one
    }
    let cache = try! Cache(configuration: configuration)
    holder.withLock { $0 = cache }
    for key in 0..<5 { cache[key] = key }
    cache.waitForRemovalNotifications()
    #expect(seen.current.allSatisfy { $0 == nil })
    #expect(seen.current.count >= 6, "the listener's own writes evicted too")
    #expect(cache.count == 2)
    holder.withLock { $0 = nil }
  }

  @Test func notificationsForOneKeyArriveInOrderUnderConcurrency() async {
    // Each key has one writer that writes increasing values; any thread may
    // read, remove or evict. For each key, the values leaving the cache must
    // arrive in increasing order.
    let log = EventLog<Int, Int>()
    let cache = makeCache(
      Int.self, Int.self, maximumCount: 64, timeToLive: .milliseconds(50), clock: clock,
      log: log, stripes: 4)
    let writers = 4
    let keysPerWriter = 40
    DispatchQueue.concurrentPerform(iterations: writers + 2) { worker in
      var generator = SystemRandomNumberGenerator()
      if worker < writers {
        for value in 1...3_000 {
          let key = worker * keysPerWriter + Int.random(in: 0..<keysPerWriter, using: &generator)
          cache[key] = value
        }
      } else if worker == writers {
        for _ in 0..<3_000 {
          _ = cache.removeValue(forKey: Int.random(in: 0..<(writers * keysPerWriter), using: &generator))
        }
      } else {
        for _ in 0..<300 {
          clock.advance(by: .milliseconds(1))
          _ = cache[Int.random(in: 0..<(writers * keysPerWriter), using: &generator)]
        }
      }
    }
    cache.waitForRemovalNotifications()
    var last: [Int: Int] = [:]
    for event in log.events {
      if let previous = last[event.key] {
        #expect(event.value > previous, "key \(event.key): \(event.value) after \(previous) (\(event.reason))")
      }
      last[event.key] = event.value
    }
    cache._checkInvariants()
  }

  @Test func waitingFromInsideTheListenerDoesNotDeadlock() {
    let holder = Locked<Cache<Int, Int>?>(nil)
    let calls = Locked(0)
    var configuration = Cache<Int, Int>.Configuration(maximumCount: 1, clock: clock)
    configuration.sweepsExpiredEntries = false
    configuration.onRemoval = { _, _, _ in
      holder.current?.waitForRemovalNotifications()
      calls.withLock { $0 += 1 }
    }
    let cache = try! Cache(configuration: configuration)
    holder.withLock { $0 = cache }
    for key in 0..<4 { cache[key] = key }
    cache.waitForRemovalNotifications()
    #expect(calls.current == 3)
    holder.withLock { $0 = nil }
  }

  @Test func valuesAreReleasedOutsideTheLock() {
    // A value whose deinit uses the cache would deadlock if it were released
    // under the stripe lock.
    final class Reentrant: Sendable {
      let cache: Locked<Cache<Int, Reentrant>?>
      init(_ cache: Locked<Cache<Int, Reentrant>?>) { self.cache = cache }
      deinit { _ = cache.current?[-1] }
    }
    let holder = Locked<Cache<Int, Reentrant>?>(nil)
    let cache = makeCache(Int.self, Reentrant.self, maximumCount: 2, clock: clock)
    holder.withLock { $0 = cache }
    for key in 0..<10 { cache[key] = Reentrant(holder) }
    cache[0] = nil
    cache.removeAll()
    #expect(cache.isEmpty)
    holder.withLock { $0 = nil }
  }
}
