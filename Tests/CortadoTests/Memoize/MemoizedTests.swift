import Testing

@testable import Cortado

@Suite("Memoization")
struct MemoizedTests {
  @Test func givesTheSameResultsAsTheFunctionAndCountsHits() async throws {
    let calls = Locked(0)
    let square = Memoized(maximumCount: 10) { (n: Int) async throws -> Int in
      calls.withLock { $0 += 1 }
      return n * n
    }
    for n in [1, 2, 3, 2, 1, 3, 3] {
      #expect(try await square(n) == n * n)
    }
    #expect(calls.current == 3)
    #expect(square.statistics.hitCount == 4)
    #expect(square.statistics.missCount == 3)
    square.removeAll()
    _ = try await square(1)
    #expect(calls.current == 4)
  }

  @Test func concurrentCallsShareOneComputation() async throws {
    let gate = Gate()
    let calls = Locked(0)
    let slow = Memoized { (n: Int) async throws -> Int in
      calls.withLock { $0 += 1 }
      await gate.wait()
      return n + 1
    }
    try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<50 { group.addTask { try await slow(1) } }
      #expect(await eventually { slow.cache._waiters(forKey: 1) == 50 })
      gate.open()
      for try await value in group { #expect(value == 2) }
    }
    #expect(calls.current == 1)
  }

  @Test func resultsExpire() async throws {
    let clock = ManualClock()
    var configuration = Cache<Int, Int>.Configuration(maximumCount: 10, timeToLive: .seconds(20), clock: clock)
    configuration.sweepsExpiredEntries = false
    let calls = Locked(0)
    let function = try Memoized(configuration: configuration) { (n: Int) async throws -> Int in
      calls.withLock { $0 += 1 }
      return n
    }
    _ = try await function(1)
    clock.advance(by: .seconds(19))
    _ = try await function(1)
    #expect(calls.current == 1)
    clock.advance(by: .seconds(1))
    _ = try await function(1)
    #expect(calls.current == 2)
  }

  @Test func instancesDoNotShareResults() async throws {
    // The bug cachetools' default `methodkey` has: two objects, one cache.
    final class Account: Sendable {
      let balance: Int
      let total: Memoized<Int, Int>
      init(balance: Int) {
        self.balance = balance
        total = Memoized { (extra: Int) async throws -> Int in balance + extra }
      }
    }
    let first = Account(balance: 100)
    let second = Account(balance: 200)
    #expect(try await first.total(1) == 101)
    #expect(try await second.total(1) == 201)
  }

  @Test func severalArguments() async throws {
    let calls = Locked(0)
    let join = Memoized { (a: String, b: Int) async throws -> String in
      calls.withLock { $0 += 1 }
      return "\(a)-\(b)"
    }
    #expect(try await join("x", 1) == "x-1")
    #expect(try await join("x", 2) == "x-2")
    #expect(try await join("x", 1) == "x-1")
    #expect(calls.current == 2)
    let three = Memoized { (a: Int, b: Int, c: Int) async throws -> Int in a + b + c }
    #expect(try await three(1, 2, 3) == 6)
    let four = Memoized { (a: Int, b: Int, c: Int, d: Int) async throws -> Int in a * b * c * d }
    #expect(try await four(1, 2, 3, 4) == 24)
  }

  @Test func failuresAreNotCached() async throws {
    let calls = Locked(0)
    let flaky = Memoized { (n: Int) async throws -> Int in
      let call = calls.withLock {
        $0 += 1
        return $0
      }
      if call == 1 { throw TestFailure() }
      return n
    }
    await #expect(throws: TestFailure.self) { try await flaky(1) }
    #expect(try await flaky(1) == 1)
  }

  @Test func synchronousFunctions() throws {
    let calls = Locked(0)
    let double = SyncMemoized(maximumCount: 4) { (n: Int) -> Int in
      calls.withLock { $0 += 1 }
      return n * 2
    }
    #expect(double(3) == 6)  // no `try`: the function does not throw
    #expect(double(3) == 6)
    #expect(calls.current == 1)
    #expect(double.statistics.hitCount == 1)

    let parse = SyncMemoized { (text: String) throws(TestFailure) -> Int in
      guard let value = Int(text) else { throw TestFailure(code: 1) }
      return value
    }
    #expect(try parse("12") == 12)
    #expect(throws: TestFailure(code: 1)) { try parse("x") }

    let add = SyncMemoized { (a: Int, b: Int) -> Int in a + b }
    #expect(add(2, 3) == 5)
    let add3 = SyncMemoized { (a: Int, b: Int, c: Int) -> Int in a + b + c }
    #expect(add3(1, 2, 3) == 6)
    let add4Calls = Locked(0)
    let add4 = SyncMemoized { (a: Int, b: Int, c: Int, d: Int) -> Int in
      add4Calls.withLock { $0 += 1 }
      return a + b + c + d
    }
    #expect(add4(1, 2, 3, 4) == 10)
    #expect(add4(1, 2, 3, 4) == 10)
    #expect(add4(4, 3, 2, 1) == 10)
    #expect(add4Calls.current == 2, "one call per distinct argument list")
  }

  @Test func syncMemoizedTakesAConfiguration() throws {
    var configuration = Cache<Int, Int>.Configuration(maximumCount: 2)
    configuration.evictionPolicy = .lru
    let square = try SyncMemoized(configuration: configuration) { (n: Int) -> Int in n * n }
    #expect(square(3) == 9)
    #expect(square.cache.configuration.evictionPolicy == .lru)
    #expect(throws: CacheConfigurationError.self) {
      _ = try SyncMemoized(configuration: Cache<Int, Int>.Configuration(maximumCount: -1)) { (n: Int) -> Int in n }
    }
  }
}
