import Testing

@_spi(Testing) @testable import Cortado

/// `refresh(forKey:using:)` and `refreshAll(_:using:)`.
@Suite("Explicit refresh")
struct RefreshTests {
  let clock = ManualClock()

  func cache(onFailure: (@Sendable (Int, any Error) -> Void)? = nil) -> Cache<Int, Int> {
    makeCache(Int.self, Int.self, maximumCount: 100, timeToLive: .seconds(60), clock: clock, stripes: 2) {
      $0.onLoadFailure = onFailure
    }
  }

  @Test func readersKeepTheCurrentValueUntilTheNewOneLands() async throws {
    let cache = cache()
    cache[1] = 10
    let gate = Gate()
    #expect(
      cache.refresh(forKey: 1) { _ in
        await gate.wait()
        return 11
      })
    #expect(await eventually { cache._isLoading(1) })
    #expect(cache[1] == 10)
    #expect(try await cache.loadValue(forKey: 1) { _ in 99 } == 10, "a loading read is a hit meanwhile")
    gate.open()
    #expect(await eventually { cache[1] == 11 })
    #expect(cache.statistics.refreshCount == 1)
    #expect(cache.entry(forKey: 1)?.remainingTimeToLive == .seconds(60), "the new value is a new write")
  }

  @Test func oneRefreshAtATime() async throws {
    let cache = cache()
    cache[1] = 10
    let gate = Gate()
    let calls = Locked(0)
    let loader: @Sendable (Int) async throws -> Int = { _ in
      calls.withLock { $0 += 1 }
      await gate.wait()
      return 11
    }
    #expect(cache.refresh(forKey: 1, using: loader))
    #expect(!cache.refresh(forKey: 1, using: loader), "single flight")
    gate.open()
    #expect(await eventually { cache[1] == 11 && !cache._isLoading(1) })
    #expect(calls.current == 1)
    #expect(cache.refresh(forKey: 1, using: loader), "a new refresh once the last one is over")
    #expect(await eventually { !cache._isLoading(1) })
  }

  @Test func aRefreshOfAnAbsentKeyLoadsItAndCallersJoin() async throws {
    let cache = cache()
    let gate = Gate()
    let calls = Locked(0)
    let loader: @Sendable (Int) async throws -> Int = { _ in
      calls.withLock { $0 += 1 }
      await gate.wait()
      return 5
    }
    #expect(cache.refresh(forKey: 1, using: loader))
    let reader = Task { try await cache.loadValue(forKey: 1, using: loader) }
    #expect(await eventually { cache._waiters(forKey: 1) == 1 })
    gate.open()
    #expect(try await reader.value == 5)
    #expect(cache[1] == 5)
    #expect(calls.current == 1)
  }

  @Test func aFailedRefreshKeepsTheValueAndIsReported() async throws {
    struct Failure: Error {}
    let reported = Locked(0)
    let cache = cache(onFailure: { _, error in if error is Failure { reported.withLock { $0 += 1 } } })
    cache[1] = 10
    cache.refresh(forKey: 1) { _ in throw Failure() }
    #expect(await eventually { reported.current == 1 && !cache._isLoading(1) })
    #expect(cache[1] == 10)
    #expect(cache.statistics.loadFailureCount == 1)
    #expect(cache.refresh(forKey: 1) { _ in 12 }, "the failure is not remembered")
    #expect(await eventually { cache[1] == 12 })
  }

  @Test func aWriteDuringARefreshWins() async throws {
    let cache = cache()
    cache[1] = 10
    let gate = Gate()
    cache.refresh(forKey: 1) { _ in
      await gate.wait()
      return 11
    }
    #expect(await eventually { cache._isLoading(1) })
    cache[1] = 20
    gate.open()
    #expect(await eventually { !cache._isLoading(1) })
    #expect(cache[1] == 20)
  }

  @Test func refreshAllLoadsEveryKeyWithOneBatchCall() async throws {
    let cache = cache()
    for key in 1...4 { cache[key] = key }
    let calls = Locked<[[Int]]>([])
    let gate = Gate()
    // Key 4 already has a load in flight: it is left to that load.
    cache.refresh(forKey: 4) { _ in
      await gate.wait()
      return 400
    }
    let started = cache.refreshAll([1, 2, 3, 4, 2]) { keys in
      calls.withLock { $0.append(keys.sorted()) }
      return [1: 100, 2: 200]  // nothing for 3
    }
    #expect(started == [1, 2, 3])
    #expect(await eventually { (1...3).allSatisfy { !cache._isLoading($0) } })
    #expect(calls.current == [[1, 2, 3]])
    #expect(cache[1] == 100 && cache[2] == 200)
    #expect(cache[3] == 3, "a key the loader left out keeps its value")
    gate.open()
    #expect(await eventually { cache[4] == 400 })
    #expect(cache.statistics.refreshCount == 4)
  }

  @Test(.timeLimit(.minutes(1))) func shutdownCancelsARefresh() async throws {
    let cache = cache()
    cache[1] = 10
    let started = Locked(false)
    cache.refresh(forKey: 1) { _ in
      started.withLock { $0 = true }
      try await Task.sleep(for: .seconds(3_600))
      return 11
    }
    #expect(await eventually { started.current })
    await cache.shutdown()
    #expect(!cache._isLoading(1))
    #expect(cache[1] == 10)
  }

  @Test("due refreshes of a batch read go to the batch loader together", arguments: [64, 2])
  func dueRefreshesAreBatched(limit: Int) async throws {
    let cache = makeCache(Int.self, Int.self, maximumCount: 100, clock: clock, stripes: 4) {
      $0.freshness = Freshness(timeToLive: .seconds(60), refreshAfter: .seconds(10))
      $0.maximumRefreshBatch = limit
    }
    let calls = Locked<[[Int]]>([])
    let loader: @Sendable ([Int]) async throws -> [Int: Int] = { keys in
      calls.withLock { $0.append(keys.sorted()) }
      return Dictionary(uniqueKeysWithValues: keys.map { ($0, $0 + 100) })
    }
    for key in 1...5 { cache[key] = key }
    clock.advance(by: .seconds(10))
    #expect(try await cache.loadValues(forKeys: 1...5, using: loader) == [1: 1, 2: 2, 3: 3, 4: 4, 5: 5])
    #expect(await eventually { (1...5).allSatisfy { cache[$0] == $0 + 100 } })
    let refreshCalls = calls.current
    #expect(refreshCalls.count == (limit >= 5 ? 1 : 3), "refreshes in calls of at most \(limit) keys")
    #expect(refreshCalls.allSatisfy { $0.count <= limit })
    #expect(refreshCalls.flatMap { $0 }.sorted() == [1, 2, 3, 4, 5])
    #expect(cache.statistics.refreshCount == 5)
  }

  @Test func aRefreshBatchLimitBelowOneIsRejected() {
    var configuration = Cache<Int, Int>.Configuration(maximumCount: 10)
    configuration.maximumRefreshBatch = 0
    let error = #expect(throws: CacheConfigurationError.self) { try Cache(configuration: configuration) }
    #expect(error?.field == .maximumRefreshBatch)
  }

  func batchingCache(limit: Int = 64, calls: Locked<[[Int]]>) -> Cache<Int, Int> {
    makeCache(Int.self, Int.self, maximumCount: 100, clock: clock, stripes: 4) {
      $0.freshness = Freshness(timeToLive: .seconds(60), refreshAfter: .seconds(10))
      $0.maximumRefreshBatch = limit
      $0.refreshBatching = .init(maximumDelay: .seconds(1)) { keys in
        calls.withLock { $0.append(keys.sorted()) }
        return Dictionary(uniqueKeysWithValues: keys.map { ($0, $0 + 100) })
      }
    }
  }

  @Test func refreshBatchingCoalescesTheRefreshesOfSingleReads() async throws {
    let calls = Locked<[[Int]]>([])
    let cache = batchingCache(calls: calls)
    for key in 1...5 { cache[key] = key }
    clock.advance(by: .seconds(10))
    for key in 1...5 {
      let value = try await cache.loadValue(forKey: key) { _ in
        Issue.record("the read's own loader is not used for a batched refresh")
        return -1
      }
      #expect(value == key, "the read returns the current value at once")
    }
    #expect(calls.current.isEmpty, "the batch waits up to its delay for more")
    clock.advance(by: .seconds(1))
    #expect(await eventually { (1...5).allSatisfy { cache[$0] == $0 + 100 } })
    #expect(calls.current == [[1, 2, 3, 4, 5]])
  }

  @Test func aFullRefreshBatchLeavesAtOnce() async throws {
    let calls = Locked<[[Int]]>([])
    let cache = batchingCache(limit: 2, calls: calls)
    for key in 1...5 { cache[key] = key }
    clock.advance(by: .seconds(10))
    for key in 1...5 { _ = try await cache.loadValue(forKey: key) { $0 } }
    #expect(await eventually { calls.current.count == 2 })
    #expect(calls.current.sorted { $0[0] < $1[0] } == [[1, 2], [3, 4]])
    clock.advance(by: .seconds(1))
    #expect(await eventually { calls.current.count == 3 && cache[5] == 105 })
  }

  @Test(.timeLimit(.minutes(1))) func shutdownStartsAndCancelsWaitingRefreshes() async throws {
    let calls = Locked<[[Int]]>([])
    let cache = batchingCache(calls: calls)
    cache[1] = 1
    clock.advance(by: .seconds(10))
    _ = try await cache.loadValue(forKey: 1) { $0 }
    #expect(cache._isLoading(1))
    await cache.shutdown()
    #expect(!cache._isLoading(1), "nothing is left waiting for a batch")
  }

  @Test func aNegativeBatchDelayIsRejected() {
    var configuration = Cache<Int, Int>.Configuration(maximumCount: 10)
    configuration.refreshBatching = .init(maximumDelay: .seconds(-1)) { _ in [:] }
    let error = #expect(throws: CacheConfigurationError.self) { try Cache(configuration: configuration) }
    #expect(error?.field == .refreshBatching)
  }

  /// A batch loader that reads another key of its own batch, which expired
  /// meanwhile, fails fast instead of joining its own load and waiting for
  /// itself (every item of a batch is on the loader's chain).
  @Test(.timeLimit(.minutes(1))) func aBatchLoaderThatReadsItsOwnKeyFailsFast() async throws {
    let box = Locked<Cache<Int, Int>?>(nil)
    let inner = Locked<[String]>([])
    let cache = makeCache(Int.self, Int.self, maximumCount: 100, clock: clock, stripes: 2) {
      $0.freshness = Freshness(timeToLive: .seconds(15), refreshAfter: .seconds(10))
      $0.refreshBatching = .init(maximumDelay: .seconds(10)) { keys in
        do {
          _ = try await box.current!.loadValue(forKey: 2) { _ in 0 }
          inner.withLock { $0.append("loaded") }
        } catch {
          inner.withLock { $0.append("\(error)") }
        }
        return Dictionary(uniqueKeysWithValues: keys.map { ($0, $0 + 100) })
      }
    }
    box.withLock { $0 = cache }
    cache[1] = 1
    cache[2] = 2
    clock.advance(by: .seconds(10))
    for key in 1...2 { _ = try await cache.loadValue(forKey: key) { $0 } }
    clock.advance(by: .seconds(10))  // both expire; the batch leaves
    #expect(await eventually { !inner.current.isEmpty && !cache._isLoading(1) && !cache._isLoading(2) })
    #expect(inner.current.first?.contains("recursiveLoad") == true, "got \(inner.current)")
  }

  @Test func aRefreshReplacesAnAbandonedLoad() async throws {
    let cache = cache()
    let gate = Gate()
    let caller = Task {
      try await cache.loadValue(forKey: 1) { _ in
        await gate.wait()
        return 5
      }
    }
    #expect(await eventually { cache._waiters(forKey: 1) == 1 })
    caller.cancel()
    #expect(await eventually { cache._waiters(forKey: 1) == 0 })
    #expect(cache.refresh(forKey: 1) { _ in 7 }, "the abandoned load stores nothing, so a refresh starts")
    #expect(await eventually { cache[1] == 7 })
    gate.open()
    _ = try? await caller.value
    #expect(cache[1] == 7)
  }
}
