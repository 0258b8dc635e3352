import Dispatch
import Testing

@testable import Cortado

/// A removal or write is a barrier: no load or computation that began before
/// it stores its result afterwards, and no caller arriving after it receives
/// that result. Cancellation of one caller never fails another, and a loader
/// that loads its own key fails fast instead of hanging. Each test drives one
/// interleaving deterministically through the load observer.
@Suite("Loading: barriers, abandonment and recursion", .timeLimit(.minutes(2)))
struct LoadBarrierTests {
  let clock = ManualClock()
  let events = LoadEvents<Int>()

  func cache(stripes: Int = 1, freshness: Freshness = .never) -> Cache<Int, Int> {
    makeCache(Int.self, Int.self, maximumCount: 100, clock: clock, stripes: stripes) { configuration in
      configuration.freshness = freshness
      configuration._loadObserver = events.observer
    }
  }

  // Defect 3: the last waiter of L1 is cancelled (L1 abandoned); L2 stores a
  // newer value; L1's loader ignores cancellation and returns later.
  @Test func anAbandonedLoadNeverOverwritesANewerValue() async throws {
    let cache = cache()
    let old = Gate()
    let first = Task {
      try await cache.loadValue(forKey: 1) { _ in
        await old.wait()
        return 100
      }
    }
    await events.wait(for: .started(1))
    first.cancel()
    await #expect(throws: CancellationError.self) { try await first.value }
    await events.wait(for: .left(1, abandoned: true))
    #expect(try await cache.loadValue(forKey: 1) { _ in 200 } == 200)
    #expect(cache[1] == 200)
    old.open()
    await events.wait(times: 2) { $0.isFinish }
    #expect(events.count(.finished(1, stored: false)) == 1, "the abandoned load stored nothing")
    #expect(cache[1] == 200)
  }

  // Defect 3, the other order: the abandoned load finishes first, with no
  // newer load; it still stores nothing (nobody asked for its value).
  @Test func anAbandonedLoadStoresNothingEvenWhenAlone() async throws {
    let cache = cache()
    let old = Gate()
    let first = Task {
      try await cache.loadValue(forKey: 1) { _ in
        await old.wait()
        return 100
      }
    }
    await events.wait(for: .started(1))
    first.cancel()
    await events.wait(for: .left(1, abandoned: true))
    old.open()
    await events.wait(for: .finished(1, stored: false))
    #expect(cache[1] == nil)
  }

  // Defect 4: after `removeValue` returns, a new load runs its own loader
  // instead of joining the one that began before the removal.
  @Test("a load after a removal does not join the older load", arguments: ["removeValue", "removeAll", "write"])
  func aLoadAfterARemovalStartsAfresh(_ barrier: String) async throws {
    let cache = cache()
    let old = Gate()
    let first = Task {
      try await cache.loadValue(forKey: 1) { _ in
        await old.wait()
        return 100
      }
    }
    await events.wait(for: .started(1))
    switch barrier {
    case "removeValue": cache.removeValue(forKey: 1)
    case "removeAll": cache.removeAll()
    default: cache[1] = 150
    }
    if barrier == "write" {
      #expect(
        try await cache.loadValue(forKey: 1) { _ in
          Issue.record("loaded over a live value")
          return 0
        } == 150)
    } else {
      let second = Task { try await cache.loadValue(forKey: 1) { _ in 200 } }
      #expect(try await second.value == 200, "the later caller ran its own loader")
      await events.wait(for: .started(1), times: 2)
      #expect(events.count(.joined(1)) == 0)
    }
    old.open()
    #expect(try await first.value == 100, "the earlier caller still gets its value")
    await events.wait(for: .finished(1, stored: false))
    #expect(cache[1] == (barrier == "write" ? 150 : 200), "the newer state wins")
  }

  // Defect 4 for `value(forKey:orInsert:)`: a computation that began before
  // a removal is neither joined nor stored afterwards.
  @Test func aComputationAfterARemovalStartsAfresh() async throws {
    let cache = cache()
    let inside = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let firstDone = DispatchSemaphore(value: 0)
    let firstResult = Locked<Int?>(nil)
    DispatchQueue.global().async {
      let value = cache.value(forKey: 1) {
        inside.signal()
        release.wait()
        return 100
      }
      firstResult.withLock { $0 = value }
      firstDone.signal()
    }
    inside.wait()
    cache.removeValue(forKey: 1)
    let secondDone = DispatchSemaphore(value: 0)
    let secondResult = Locked<Int?>(nil)
    DispatchQueue.global().async {
      secondResult.withLock { $0 = cache.value(forKey: 1) { 200 } }
      secondDone.signal()
    }
    // The second caller must not wait for the first computation.
    let finished = await waitOffPool(secondDone, seconds: 30)
    release.signal()
    #expect(finished, "the later caller waited for the computation that began before the removal")
    if !finished { secondDone.wait() }
    firstDone.wait()
    #expect(secondResult.current == 200)
    #expect(firstResult.current == 100)
    #expect(cache[1] == 200, "the superseded computation did not store")
  }

  // Defect 5: a caller of one of a batch's keys joins the batch and is
  // cancelled; the batch caller itself was never cancelled and must succeed.
  @Test func anotherCallersCancellationNeverFailsABatch() async throws {
    let cache = cache(stripes: 4)
    let other = CancellableGate()
    let batchGate = CancellableGate()
    // Key 1 is loaded by someone else, so the batch caller waits for it.
    let loaderOfOne = Task {
      try await cache.loadValue(forKey: 1) { _ in
        try await other.wait()
        return 10
      }
    }
    await events.wait(for: .started(1))
    let batch = Task {
      try await cache.loadValues(forKeys: [1, 2]) { keys in
        try await batchGate.wait()
        return Dictionary(uniqueKeysWithValues: keys.map { ($0, $0 * 100) })
      }
    }
    await events.wait(for: .joined(1))
    let single = Task {
      try await cache.loadValue(forKey: 2) { _ in
        Issue.record("joined, not loaded")
        return 0
      }
    }
    await events.wait(for: .joined(2))
    single.cancel()
    await #expect(throws: CancellationError.self) { try await single.value }
    await events.wait(for: .left(2, abandoned: false))
    other.open()
    batchGate.open()
    #expect(try await loaderOfOne.value == 10)
    #expect(try await batch.value == [1: 10, 2: 200])
    #expect(cache[2] == 200)
  }

  // Suspected 15: with the batch abandoned under it, the batch caller used to
  // start a second load over a live one another caller had started.
  @Test func aBatchLoadIsNeverDuplicated() async throws {
    let cache = cache(stripes: 4)
    let other = CancellableGate()
    let batchGate = CancellableGate()
    let singleCalls = Locked(0)
    let batchCalls = Locked(0)
    let loaderOfOne = Task {
      try await cache.loadValue(forKey: 1) { _ in
        try await other.wait()
        return 10
      }
    }
    await events.wait(for: .started(1))
    let batch = Task {
      try await cache.loadValues(forKeys: [1, 2]) { keys in
        batchCalls.withLock { $0 += 1 }
        try await batchGate.wait()
        return Dictionary(uniqueKeysWithValues: keys.map { ($0, $0 * 100) })
      }
    }
    await events.wait(for: .joined(1))
    let leaver = Task {
      try await cache.loadValue(forKey: 2) { _ in
        singleCalls.withLock { $0 += 1 }
        return -1
      }
    }
    await events.wait(for: .joined(2))
    leaver.cancel()
    await events.wait(for: .left(2, abandoned: false))
    let late = Task {
      try await cache.loadValue(forKey: 2) { _ in
        singleCalls.withLock { $0 += 1 }
        return -2
      }
    }
    await events.wait(for: .joined(2), times: 2)
    other.open()
    batchGate.open()
    #expect(try await late.value == 200)
    #expect(try await batch.value == [1: 10, 2: 200])
    #expect(singleCalls.current == 0 && batchCalls.current == 1, "one load of key 2, not two")
    _ = try await loaderOfOne.value
  }

  // Defect 6: a loader that loads its own key fails fast instead of hanging
  // and wedging the key.
  @Test func aLoaderThatLoadsItsOwnKeyFailsFast() async throws {
    let cache = cache()
    let inner = Locked<(any Error)?>(nil)
    let value = try await cache.loadValue(forKey: 1) { key in
      do {
        _ = try await cache.loadValue(forKey: key) { _ in 5 }
      } catch {
        inner.withLock { $0 = error }
      }
      return 10
    }
    #expect(value == 10)
    #expect(inner.current as? CacheLoadError == .recursiveLoad(key: "1"))
    // The key is not wedged.
    cache.removeValue(forKey: 1)
    #expect(try await cache.loadValue(forKey: 1) { _ in 11 } == 11)
  }

  @Test func recursionIsFoundThroughOtherKeysAndTasks() async throws {
    let cache = cache(stripes: 4)
    await #expect(throws: CacheLoadError.recursiveLoad(key: "1")) {
      _ = try await cache.loadValue(forKey: 1) { _ in
        // 1 → 2 (in a child task) → 1 again.
        try await Task {
          try await cache.loadValue(forKey: 2) { _ in try await cache.loadValue(forKey: 1) { _ in 3 } }
        }.value
      }
    }
    await #expect(throws: CacheLoadError.recursiveLoad(key: "7")) {
      _ = try await cache.loadValues(forKeys: [7, 8]) { keys in
        [7: try await cache.loadValue(forKey: 7) { _ in 0 }]
      }
    }
    #expect(try await cache.loadValue(forKey: 7) { _ in 70 } == 70, "the batch key is not wedged")
  }

  @Test func aMemoizedFunctionThatCallsItselfWithTheSameInputFailsFast() async throws {
    let box = Locked<Memoized<Int, Int>?>(nil)
    let function = Memoized(maximumCount: 10) { (n: Int) async throws -> Int in
      guard let me = box.current else { return 0 }
      return n == 0 ? 1 : try await me(n)
    }
    box.withLock { $0 = function }
    await #expect(throws: CacheLoadError.recursiveLoad(key: "3")) { try await function(3) }
    #expect(try await function(0) == 1)
    box.withLock { $0 = nil }  // the function reaches itself through the box: break the cycle
  }

  // Parallel loads of different keys inside a loader are not recursion.
  @Test func aLoaderMayLoadOtherKeys() async throws {
    let cache = cache()
    let value = try await cache.loadValue(forKey: 1) { _ in
      try await cache.loadValue(forKey: 2) { _ in 20 } + 1
    }
    #expect(value == 21)
  }
}

/// Waits for `semaphore` on a thread outside the cooperative pool; false if
/// it was not signalled within `seconds` (a bound, not a sleep: the happy
/// path returns as soon as it is signalled).
func waitOffPool(_ semaphore: DispatchSemaphore, seconds: Int) async -> Bool {
  await withCheckedContinuation { continuation in
    DispatchQueue.global().async {
      continuation.resume(returning: semaphore.wait(timeout: .now() + .seconds(seconds)) == .success)
    }
  }
}
