import Cortado
import Foundation
import Testing

@testable import CortadoHybrid
@testable import CortadoHybridTesting

@Suite("HybridCache: recovery queue and replay")
struct RecoveryTests {
  @Test func removalWhileDisconnectedIsReplayedAfterReconnect() async throws {
    let world = World()
    let (a, storeA) = try world.instance()
    let (b, _) = try world.instance()
    try await a.setValue("v", forKey: "k")
    await eventually { b.statistics.invalidatedKeys == 1 }
    #expect(await b.value(forKey: "k") == "v")

    storeA.disconnect()
    #expect(await a.removeValue(forKey: "k") == .queued)
    #expect(a.pendingRecoveryCount == 1)
    #expect(await a.value(forKey: "k") == nil)  // gone locally at once
    #expect(world.storedValue(a, "k") == "v")  // not yet in the store
    #expect(await b.value(forKey: "k") == "v")  // B has not heard of it

    storeA.reconnect()
    await a.replayRecoveryQueue()
    #expect(a.pendingRecoveryCount == 0)
    #expect(world.server.entry(forKey: a.storageKey(forKey: "k")) == nil)
    #expect(a.statistics.recoveryReplayed == 1)
    // B gets the late invalidation from the replayed removal.
    await eventually { b.statistics.invalidatedKeys == 2 }
    #expect(await b.value(forKey: "k") == nil)
  }

  @Test func replayedWriteCannotOverwriteANewerValue() async throws {
    let world = World()
    let (a, storeA) = try world.instance()
    let (b, _) = try world.instance()

    world.wallClock.set(1_000)
    storeA.disconnect()
    await eventually { a.isDegraded }
    #expect(try await a.setValue("old", forKey: "k") == .queued)
    world.wallClock.set(2_000)
    #expect(try await b.setValue("newer", forKey: "k") == .stored)

    storeA.reconnect()
    await a.replayRecoveryQueue()
    #expect(a.statistics.recoveryRefused == 1)
    #expect(world.storedValue(a, "k") == "newer")
    await eventually { !a.isDegraded }
    #expect(await a.value(forKey: "k") == "newer")  // A's own write was retired by the reconnect
  }

  @Test func replayedWriteWinsOverAnOlderValue() async throws {
    let world = World()
    let (a, storeA) = try world.instance()
    let (b, _) = try world.instance()
    world.wallClock.set(1_000)
    try await b.setValue("older", forKey: "k")
    world.wallClock.set(2_000)
    storeA.disconnect()
    #expect(try await a.setValue("mine", forKey: "k") == .queued)

    storeA.reconnect()
    await a.replayRecoveryQueue()
    #expect(a.statistics.recoveryReplayed == 1)
    #expect(world.storedValue(a, "k") == "mine")
    // The replayed write is an ordinary write for the others: B drops its copy.
    await eventually { b.statistics.invalidatedKeys >= 1 }
    #expect(await b.value(forKey: "k") == "mine")
  }

  @Test func replayKeepsWhatIsLeftOfTheLifetimeAndDropsExpiredWrites() async throws {
    let world = World()
    let (a, store) = try world.instance()
    store.disconnect()
    try await a.setValue("short", forKey: "short", options: HybridCacheOptions(timeToLive: .seconds(5)))
    try await a.setValue("long", forKey: "long", options: HybridCacheOptions(timeToLive: .seconds(60)))
    world.clock.advance(by: .seconds(10))
    store.reconnect()
    await a.replayRecoveryQueue()
    #expect(a.statistics.recoveryDropped == 1)
    #expect(world.server.entry(forKey: a.storageKey(forKey: "short")) == nil)
    #expect(world.server.entry(forKey: a.storageKey(forKey: "long"))?.timeToLive == .seconds(50))
  }

  @Test func failedReplayStaysQueued() async throws {
    let world = World()
    let (a, store) = try world.instance()
    store.disconnect()
    await a.removeValue(forKey: "x")
    try await a.setValue("v", forKey: "y")
    store.reconnect()
    store.failNextCalls(10)
    await a.replayRecoveryQueue()
    #expect(a.pendingRecoveryCount == 2)
    store.failNextCalls(0)
    await a.replayRecoveryQueue()
    #expect(a.pendingRecoveryCount == 0)
    #expect(world.storedValue(a, "y") == "v")
  }

  @Test func transientWriteFailureIsReplayedByTheNextSuccessfulWrite() async throws {
    let world = World()
    let (a, store) = try world.instance()
    store.failNextCalls(1)
    #expect(try await a.setValue("v", forKey: "k") == .queued)
    #expect(try await a.setValue("w", forKey: "other") == .stored)
    await a.replayRecoveryQueue()
    #expect(a.pendingRecoveryCount == 0)
    #expect(world.storedValue(a, "k") == "v")
  }

  @Test func boundedQueueNewestPerKeyWins() async throws {
    let world = World()
    let (a, store) = try world.instance(world.configuration { $0.recoveryQueueCapacity = 3 })
    store.disconnect()
    for key in ["k1", "k2", "k3"] { try await a.setValue("\(key)-1", forKey: key) }
    try await a.setValue("k1-2", forKey: "k1")  // replaces k1's write, now the newest
    #expect(a.pendingRecoveryCount == 3)
    try await a.setValue("k4-1", forKey: "k4")  // over capacity: the oldest (k2) is dropped
    #expect(a.pendingRecoveryCount == 3)
    #expect(a.statistics.recoveryDropped == 1)
    await a.removeValue(forKey: "k3")  // a removal replaces k3's write
    #expect(a.pendingRecoveryCount == 3)

    store.reconnect()
    await a.replayRecoveryQueue()
    #expect(world.server.keys == [a.storageKey(forKey: "k1"), a.storageKey(forKey: "k4")])
    #expect(world.storedValue(a, "k1") == "k1-2")
    #expect(a.statistics.recoveryReplayed == 3)
  }

  @Test func replayOffDropsTheOperation() async throws {
    let world = World()
    let (a, store) = try world.instance(world.configuration { $0.recoveryQueueCapacity = 0 })
    store.disconnect()
    #expect(try await a.setValue("v", forKey: "k") == .dropped)
    #expect(a.pendingRecoveryCount == 0)
  }

  @Test func recoveryQueueUnit() {
    var queue = RecoveryQueue(capacity: 2)
    #expect(queue.enqueue("a", .remove) == 0)
    #expect(queue.enqueue("b", .remove) == 0)
    #expect(queue.enqueue("a", .set(bytes: [1], timeToLive: 1, createdAtMilliseconds: 1, enqueuedAt: 0)) == 0)
    #expect(queue.enqueue("c", .remove) == 1)  // drops b, now the oldest
    #expect(queue.operation(forKey: "b") == nil)
    let sequence = queue.currentSequence
    queue.remove("a", enqueuedBefore: sequence)
    #expect(queue.count == 1)
    let items = queue.takeAll()
    #expect(items.map(\.key) == ["c"])
    #expect(queue.count == 0)
    // A requeued item does not replace a newer one.
    queue.enqueue("c", .set(bytes: [2], timeToLive: 1, createdAtMilliseconds: 2, enqueuedAt: 0))
    let requeued = queue.requeue(items[0])
    #expect(!requeued)
    // Many replacements keep the order compact and correct.
    for round in 0..<1_000 { queue.enqueue(round % 2 == 0 ? "x" : "y", .remove) }
    #expect(queue.takeAll().map(\.key) == ["x", "y"])
  }

  @Test func fakeCompareAndSetFollowsTheContract() async throws {
    let store = InMemoryRemoteStore()
    let older = envelopeBytes("older", key: "k", createdAt: 1_000)
    let newer = envelopeBytes("newer", key: "k", createdAt: 2_000)
    let same = envelopeBytes("same", key: "k", createdAt: 2_000)
    // Absent.
    #expect(try await store.setIfNotNewer("k", bytes: newer, timeToLive: .seconds(1), createdAtMilliseconds: 2_000))
    // Stored is newer.
    #expect(try await !store.setIfNotNewer("k", bytes: older, timeToLive: .seconds(1), createdAtMilliseconds: 1_000))
    // Equal: not newer.
    #expect(try await store.setIfNotNewer("k", bytes: same, timeToLive: .seconds(1), createdAtMilliseconds: 2_000))
    try await store.set("k", bytes: Array("garbage".utf8), timeToLive: .seconds(1))
    // Not an envelope.
    #expect(try await store.setIfNotNewer("k", bytes: older, timeToLive: .seconds(1), createdAtMilliseconds: 1_000))
    #expect(try await store.get("k")?.bytes == older)
  }
}

extension RecoveryQueue.Operation: Equatable {
  public static func == (lhs: Self, rhs: Self) -> Bool {
    switch (lhs, rhs) {
    case (.remove, .remove): return true
    case (.set(let a, let b, let c, let d), .set(let e, let f, let g, let h)):
      return a == e && b == f && c == g && d == h
    default: return false
    }
  }
}
