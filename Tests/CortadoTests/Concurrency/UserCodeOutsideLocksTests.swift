import Dispatch
import Testing

@testable import Cortado

/// User code never runs under a stripe lock: it may call back into the cache.
/// (Suspected defect 17.) The keys' `==` is the exception every hash table
/// makes: it runs during lookups, so it must be fast and must not use the
/// cache; the documentation says so, and these tests show what does hold.
@Suite("User code runs outside the cache's locks", .timeLimit(.minutes(2)))
struct UserCodeOutsideLocksTests {
  let clock = ManualClock()

  /// A key whose hashing reads the cache back while `reentrant` is set.
  struct ReentrantKey: Hashable, Sendable {
    var id: Int
    static let cache = Locked<Cache<ReentrantKey, Int>?>(nil)
    static let reentrant = Locked(false)

    func hash(into hasher: inout Hasher) {
      if ReentrantKey.reentrant.current, let cache = ReentrantKey.cache.current {
        _ = cache.count  // takes every stripe lock
      }
      hasher.combine(id)
    }
  }

  @Test func removeAllWhereHashesKeysOutsideTheLock() async {
    let cache = makeCache(ReentrantKey.self, Int.self, maximumCount: 100, clock: clock)
    ReentrantKey.cache.withLock { $0 = cache }
    defer { ReentrantKey.cache.withLock { $0 = nil } }
    for id in 0..<10 { cache[ReentrantKey(id: id)] = id }
    let done = DispatchSemaphore(value: 0)
    let removed = Locked(0)
    DispatchQueue.global().async {
      ReentrantKey.reentrant.withLock { $0 = true }
      removed.withLock { $0 = cache.removeAll { key, _ in key.id.isMultiple(of: 2) } }
      ReentrantKey.reentrant.withLock { $0 = false }
      done.signal()
    }
    let finished = await waitOffPool(done, seconds: 30)
    #expect(finished, "hashing under the lock deadlocked")
    if finished { #expect(removed.current == 5) }
  }

  /// An error whose `deinit` uses the cache that remembered it.
  final class ReentrantError: Error, @unchecked Sendable {
    let cache: Cache<Int, Int>
    let released: Locked<Int>
    init(cache: Cache<Int, Int>, released: Locked<Int>) {
      self.cache = cache
      self.released = released
    }
    deinit {
      _ = cache.count  // deadlocks if released under a stripe lock
      released.withLock { $0 += 1 }
    }
  }

  @Test func rememberedErrorsAreReleasedOutsideTheLock() async throws {
    let cache = makeCache(Int.self, Int.self, maximumCount: 100, clock: clock) {
      $0.freshness = Freshness(failureTimeToLive: .seconds(10))
    }
    let released = Locked(0)
    for key in 0..<3 {
      do {
        _ = try await cache.loadValue(forKey: key) { [cache] _ in throw ReentrantError(cache: cache, released: released)
        }
      } catch {}
    }
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      cache[0] = 0  // a write forgets the remembered failure
      cache.removeAll()  // forgets them all
      done.signal()
    }
    let finished = await waitOffPool(done, seconds: 30)
    #expect(finished, "an error's deinit ran under the lock")
    if finished { #expect(released.current == 3) }
  }
}
