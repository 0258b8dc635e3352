import CortadoHybrid

/// The checks every `RemoteCacheStore` must pass for
/// `HybridCache` to keep its promises: run them against your own store.
///
/// Cortado runs them against ``InMemoryRemoteStore`` and against `RedisStore`
/// on a real `redis-server`, so the fake cannot drift from the real store.
///
/// ```swift
/// let subject = RemoteCacheStoreContract.Subject(
///   writer: try MyStore(namespace: "contract"), observer: try MyStore(namespace: "contract"),
///   keyPrefix: "contract:")
/// try await RemoteCacheStoreContract.check(subject)
/// ```
///
/// The checks use fresh random keys under the subject's prefix and remove
/// them at the end; they never flush the store.
public enum RemoteCacheStoreContract {
  /// Two connected stores on the same data, as two application instances
  /// would hold them.
  public struct Subject: Sendable {
    /// The store that writes.
    public var writer: any RemoteCacheStore
    /// Another store on the same data, which must hear of the writer's
    /// changes.
    public var observer: any RemoteCacheStore
    /// A prefix both stores report invalidations for; every key checked
    /// starts with it.
    public var keyPrefix: String

    /// Creates a subject.
    public init(writer: any RemoteCacheStore, observer: any RemoteCacheStore, keyPrefix: String) {
      self.writer = writer
      self.observer = observer
      self.keyPrefix = keyPrefix
    }
  }

  /// Runs every check; throws the first ``RemoteCacheStoreContractViolation``.
  ///
  /// - Parameters:
  ///   - subject: The two stores to check, and the key prefix to use.
  ///   - timeout: How long to wait for an invalidation before
  ///   declaring it lost (a bound, not a measurement: a passing run returns as
  ///   soon as each event arrives).
  public static func check(_ subject: Subject, timeout: Duration = .seconds(10)) async throws {
    try checkConnected(subject)
    try checkTrackedPrefixes(subject)
    try await checkReadsAndWrites(subject)
    try await checkCompareAndSet(subject)
    try await checkKeepingTimeToLive(subject)
    try await checkInvalidations(subject, timeout: timeout)
  }

  // MARK: The checks

  static func checkConnected(_ subject: Subject) throws {
    for (name, store) in [("writer", subject.writer), ("observer", subject.observer)] {
      try expect(store.state == .connected, "state", "the \(name) reports \(store.state), not connected")
    }
  }

  static func checkTrackedPrefixes(_ subject: Subject) throws {
    for store in [subject.writer, subject.observer] {
      guard let prefixes = store.trackedPrefixes else { continue }
      try expect(
        prefixes.contains { subject.keyPrefix.hasPrefix($0) }, "trackedPrefixes",
        "\(prefixes) does not cover \"\(subject.keyPrefix)\"")
    }
  }

  static func checkReadsAndWrites(_ subject: Subject) async throws {
    let store = subject.writer
    let a = freshKey(subject)
    let b = freshKey(subject)
    let missing = freshKey(subject)
    defer { Task { [store] in try? await store.remove([a, b]) } }

    try expect(try await store.get(missing) == nil, "get", "a key never written is not nil")
    try await store.set(a, bytes: [1, 2, 3], timeToLive: .seconds(60))
    let read = try await store.get(a)
    try expect(read?.bytes == [1, 2, 3], "get", "read \(String(describing: read?.bytes)) after writing [1, 2, 3]")
    let lifetime = read?.timeToLive
    try expect(
      lifetime.map { $0 > .zero && $0 <= .seconds(60) } ?? false, "get",
      "the remaining lifetime \(String(describing: lifetime)) is not in (0, 60 s]")
    try expect(
      try await subject.observer.get(a)?.bytes == [1, 2, 3], "get", "the other store does not read the write")

    try await store.set(a, bytes: [4], timeToLive: .seconds(60))
    try expect(try await store.get(a)?.bytes == [4], "set", "a write does not replace the value")

    try await store.set(b, bytes: [5], timeToLive: .seconds(60))
    let several = try await store.get([b, missing, a])
    try expect(
      several.map { $0?.bytes } == [[5], nil, [4]], "get(keys)",
      "read \(several.map { $0?.bytes }) for [b, missing, a]; expected [[5], nil, [4]] in order")

    try await store.remove([a, missing])
    try expect(try await store.get(a) == nil, "remove", "a removed key is still read")
    try expect(try await store.get(b)?.bytes == [5], "remove", "removing a removed a key it was not given")
  }

  static func checkCompareAndSet(_ subject: Subject) async throws {
    let store = subject.writer
    let key = freshKey(subject)
    defer { Task { [store] in try? await store.remove([key]) } }
    let older = envelope(createdAt: 1_000)
    let same = envelope(createdAt: 2_000)
    let newer = envelope(createdAt: 3_000)

    try expect(
      try await store.setIfNotNewer(key, bytes: same, timeToLive: .seconds(60), createdAtMilliseconds: 2_000),
      "setIfNotNewer", "did not write where no value was")
    try expect(
      try await !store.setIfNotNewer(key, bytes: older, timeToLive: .seconds(60), createdAtMilliseconds: 1_000),
      "setIfNotNewer", "wrote over a newer value")
    try expect(try await store.get(key)?.bytes == same, "setIfNotNewer", "a refused write changed the value")
    try expect(
      try await store.setIfNotNewer(key, bytes: same, timeToLive: .seconds(60), createdAtMilliseconds: 2_000),
      "setIfNotNewer", "did not write over a value of the same age")
    try expect(
      try await store.setIfNotNewer(key, bytes: newer, timeToLive: .seconds(60), createdAtMilliseconds: 3_000),
      "setIfNotNewer", "did not write over an older value")
    try expect(try await store.get(key)?.bytes == newer, "setIfNotNewer", "the newer value was not stored")
    try await store.set(key, bytes: [7, 7], timeToLive: .seconds(60))
    try expect(
      try await store.setIfNotNewer(key, bytes: older, timeToLive: .seconds(60), createdAtMilliseconds: 1_000),
      "setIfNotNewer", "did not write over bytes that are not an envelope")
  }

  static func checkKeepingTimeToLive(_ subject: Subject) async throws {
    let store = subject.writer
    let key = freshKey(subject)
    defer { Task { [store] in try? await store.remove([key]) } }
    let name = "setKeepingTimeToLive"
    // Optional: a store may decline it (the protocol's default does).
    let first: Duration
    do {
      first = try await store.setKeepingTimeToLive(key, bytes: [1], otherwise: .seconds(60))
    } catch RemoteCacheStoreError.unsupported {
      return
    }
    try expect(first > .seconds(59) && first <= .seconds(60), name, "a new key got \(first), not its fallback of 60 s")
    let kept = try await store.setKeepingTimeToLive(key, bytes: [2], otherwise: .seconds(3_600))
    try expect(kept <= .seconds(60), name, "a live key's lifetime became \(kept) instead of being kept")
    let read = try await store.get(key)
    try expect(read?.bytes == [2], name, "read \(String(describing: read?.bytes)) after keeping the lifetime")
    try expect(
      read?.timeToLive.map { $0 <= .seconds(60) } ?? false, name,
      "the stored lifetime \(String(describing: read?.timeToLive)) is not the kept one")
  }

  static func checkInvalidations(_ subject: Subject, timeout: Duration) async throws {
    let mine = freshKey(subject)
    let theirs = freshKey(subject)
    let writerEvents = EventsBox(subject.writer.invalidations())
    let observerEvents = EventsBox(subject.observer.invalidations())
    defer {
      Task { [writer = subject.writer] in try? await writer.remove([mine, theirs]) }
    }

    // The other store hears of a write and of a removal.
    try await subject.writer.set(mine, bytes: [1], timeToLive: .seconds(60))
    var observed = try await firstEvent(in: observerEvents, naming: mine, timeout: timeout)
    try expect(observed.named, "invalidations", "the other store never heard of a write (\(observed.seen))")
    try await subject.writer.remove([mine])
    observed = try await firstEvent(in: observerEvents, naming: mine, timeout: timeout)
    try expect(observed.named, "invalidations", "the other store never heard of a removal (\(observed.seen))")

    // The writer is not told of its own writes: by the time it hears of the
    // other store's write, which came after its own, nothing named its key.
    try await subject.observer.set(theirs, bytes: [2], timeToLive: .seconds(60))
    let heard = try await firstEvent(in: writerEvents, naming: theirs, timeout: timeout)
    try expect(heard.named, "invalidations", "the writer never heard of the other store's write (\(heard.seen))")
    try expect(
      !heard.seen.contains { if case .keys(let keys) = $0 { return keys.contains(mine) } else { return false } },
      "invalidations", "a store was told of its own write (\(heard.seen))")
  }

  // MARK: Helpers

  static func expect(_ condition: Bool, _ requirement: String, _ detail: @autoclosure () -> String) throws {
    guard condition else { throw RemoteCacheStoreContractViolation(requirement: requirement, detail: detail()) }
  }

  static func freshKey(_ subject: Subject) -> String {
    subject.keyPrefix + "contract." + String(UInt64.random(in: 0 ... .max), radix: 36)
  }

  /// A minimal envelope header with the given creation time.
  static func envelope(createdAt milliseconds: Int64) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: HybridEnvelope.headerSize)
    bytes[0] = HybridEnvelope.magic[0]
    bytes[1] = HybridEnvelope.magic[1]
    for index in 0..<8 {
      bytes[HybridEnvelope.createdAtOffset + index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * Int64(index)))
    }
    return bytes
  }

  /// Reads `events` until one names `key` (or says every key changed), or
  /// until `timeout`; returns whether it came and what was seen before.
  static func firstEvent(
    in box: EventsBox, naming key: String, timeout: Duration
  ) async throws -> (named: Bool, seen: [RemoteCacheEvent]) {
    try await withThrowingTaskGroup(of: (Bool, [RemoteCacheEvent])?.self) { group in
      group.addTask {
        var seen: [RemoteCacheEvent] = []
        while let event = await box.next() {
          seen.append(event)
          switch event {
          case .keys(let keys) where keys.contains(key): return (true, seen)
          case .all: return (true, seen)
          default: continue
          }
        }
        return (false, seen)
      }
      group.addTask {
        try await Task.sleep(for: timeout)
        return nil
      }
      let first = try await group.next() ?? nil
      group.cancelAll()
      return first.map { (named: $0.0, seen: $0.1) } ?? (named: false, seen: [])
    }
  }
}

/// One reader of a store's event stream, shared by the checks that wait on it
/// in child tasks.
final class EventsBox: @unchecked Sendable {
  // Only one task reads at a time (`firstEvent` awaits its group).
  private var iterator: AsyncStream<RemoteCacheEvent>.AsyncIterator

  init(_ stream: AsyncStream<RemoteCacheEvent>) { iterator = stream.makeAsyncIterator() }

  func next() async -> RemoteCacheEvent? { await iterator.next() }
}

/// A `RemoteCacheStore` broke the contract `HybridCache`
/// relies on.
public struct RemoteCacheStoreContractViolation: Error, Sendable, CustomStringConvertible {
  /// The requirement, named after the protocol member (`"get"`,
  /// `"setIfNotNewer"`, `"invalidations"`, …).
  public var requirement: String
  /// What happened instead.
  public var detail: String

  /// The requirement and what happened.
  public var description: String { "RemoteCacheStore contract, \(requirement): \(detail)" }
}
