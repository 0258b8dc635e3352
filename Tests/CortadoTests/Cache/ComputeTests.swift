import Dispatch
import Testing

@testable import Cortado

@Suite("value(forKey:orInsert:)")
struct ComputeTests {
  let clock = ManualClock()

  @Test func computesOnceAndStores() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, clock: clock)
    var calls = 0
    #expect(
      cache.value(
        forKey: "a",
        orInsert: {
          calls += 1
          return 1
        }) == 1)
    #expect(
      cache.value(
        forKey: "a",
        orInsert: {
          calls += 1
          return 2
        }) == 1)
    #expect(calls == 1)
    #expect(cache.statistics.hitCount == 1 && cache.statistics.missCount == 1)
  }

  @Test func concurrentCallersForOneKeyShareOneComputation() {
    let cache = makeCache(Int.self, Int.self, maximumCount: 100, clock: clock, stripes: 4)
    let calls = Locked(0)
    let results = Locked<[Int]>([])
    DispatchQueue.concurrentPerform(iterations: 16) { _ in
      let value = cache.value(
        forKey: 7,
        orInsert: {
          calls.withLock { $0 += 1 }
          // Long enough for the others to arrive and wait.
          var spin = 0
          for index in 0..<2_000_000 { spin &+= index }
          return 700 + (spin & 0)
        })
      results.withLock { $0.append(value) }
    }
    #expect(calls.current == 1)
    #expect(results.current == Array(repeating: 700, count: 16))
  }

  @Test func otherKeysAreNotBlocked() async {
    let cache = makeCache(Int.self, Int.self, maximumCount: 100, clock: clock)
    let started = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let slow = Thread {
      _ = cache.value(
        forKey: 1,
        orInsert: {
          started.signal()
          release.wait()
          return 1
        })
    }
    slow.start()
    started.wait()
    // While key 1 is being computed (same stripe), other keys work.
    #expect(cache.value(forKey: 2, orInsert: { 2 }) == 2)
    cache[3] = 3
    #expect(cache[3] == 3)
    release.signal()
    slow.join()
    #expect(cache[1] == 1)
  }

  @Test func aThrowingClosureStoresNothing() {
    struct Failure: Error {}
    let cache = makeCache(String.self, Int.self, maximumCount: 10, clock: clock)
    #expect(throws: Failure.self) {
      try cache.value(forKey: "a", orInsert: { () throws(Failure) -> Int in throw Failure() })
    }
    #expect(cache["a"] == nil)
    #expect(cache.value(forKey: "a", orInsert: { 5 }) == 5)
  }

  @Test func aWriteDuringTheComputationWins() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, clock: clock)
    let value = cache.value(
      forKey: "a",
      orInsert: {
        cache["a"] = 99  // a newer write while computing
        return 1
      })
    #expect(value == 1, "the caller gets the computed value")
    #expect(cache["a"] == 99, "but the newer write stays")
    _ = cache.value(
      forKey: "b",
      orInsert: {
        cache["b"] = 5
        cache["b"] = nil  // a removal also wins
        return 2
      })
    #expect(cache["b"] == nil)
  }

  @Test func askingForTheSameKeyInsideTheClosureStopsWithAMessage() async {
    await #expect(processExitsWith: .failure) {
      let cache = Cache<Int, Int>(maximumCount: 10)
      _ = cache.value(forKey: 1, orInsert: { cache.value(forKey: 1, orInsert: { 2 }) })
    }
  }

  @Test func theComputedValueGetsTheCacheLifetime() {
    let cache = makeCache(String.self, Int.self, maximumCount: 10, timeToLive: .seconds(3), clock: clock)
    _ = cache.value(forKey: "a", orInsert: { 1 })
    clock.advance(by: .seconds(3))
    #expect(cache["a"] == nil)
  }
}

/// A plain thread, for tests that need a blocked thread outside the
/// cooperative pool.
final class Thread: @unchecked Sendable {
  private let body: () -> Void
  private var thread = pthread_t()

  init(_ body: @escaping () -> Void) { self.body = body }

  func start() {
    let box = Unmanaged.passRetained(self)
    #if canImport(Darwin)
      var handle: pthread_t?
      pthread_create(
        &handle, nil,
        { raw in
          Unmanaged<Thread>.fromOpaque(raw).takeRetainedValue().body()
          return nil
        }, box.toOpaque())
      thread = handle!
    #else
      pthread_create(
        &thread, nil,
        { raw in
          Unmanaged<Thread>.fromOpaque(raw!).takeRetainedValue().body()
          return nil
        }, box.toOpaque())
    #endif
  }

  func join() { pthread_join(thread, nil) }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
