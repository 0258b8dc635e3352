#if Redis
  import CortadoHybrid
  import NIOCore
  import Testing
  @testable import CortadoRedis

  /// `RedisStore` without a server: configuration, fail fast, the mapping of client
  /// events to store events (driven directly), the bounded streams, the pub/sub
  /// message format and reply parsing. The behaviour against Redis is in
  /// `Integration/HybridRedisTests.swift`.
  @Suite("RedisStore (no server)")
  struct RedisStoreTests {
    /// A store over a client that is never started (so it never connects).
    func idleStore(
      invalidation: RedisInvalidationConfiguration = .automatic(
        prefixes: ["ns:"], fallbackChannel: "ns:__invalidations"),
      eventBufferLimit: Int = 10_000
    ) throws -> RedisStore {
      var configuration = RedisClientConfiguration(port: 1)
      configuration.invalidation = invalidation
      return try RedisStore(client: RedisClient(configuration: configuration), eventBufferLimit: eventBufferLimit)
    }

    func info(epoch: UInt64, _ invalidation: RedisActiveInvalidation) -> RedisConnectionInfo {
      RedisConnectionInfo(epoch: epoch, clientID: Int64(epoch), serverVersion: "7.0.15", invalidation: invalidation)
    }

    /// Everything buffered in `stream` (the store's only open stream): finishes
    /// it (buffered events stay readable) and reads it to the end.
    func drain(_ store: RedisStore, _ stream: AsyncStream<RemoteCacheEvent>) async -> [RemoteCacheEvent] {
      let continuations = store.shared.withLock { Array($0.subscribers.values) }
      for continuation in continuations { continuation.finish() }
      var events: [RemoteCacheEvent] = []
      for await event in stream { events.append(event) }
      return events
    }

    @Test(
      "configuration: the namespace's tracking prefix, NOLOOP, .automatic unless chosen; invalid setups are refused")
    func configuration() throws {
      let derived = try RedisStore.clientConfiguration(RedisClientConfiguration(), namespace: "myapp:users")
      #expect(derived.invalidation.mode == .automatic)
      #expect(derived.invalidation.prefixes == [RedisStore.trackingPrefix(namespace: "myapp:users")])
      #expect(
        RedisStore.trackingPrefix(namespace: "myapp:users")
          == HybridCacheConfiguration(namespace: "myapp:users").namespacePrefix)
      #expect(derived.invalidation.prefixes == ["myapp:users:"])
      #expect(derived.invalidation.channel == "myapp:users:__invalidations")
      #expect(derived.invalidation.noLoop)
      var strict = RedisClientConfiguration()
      strict.invalidation = .tracking(prefixes: ["other:"], noLoop: false)
      let kept = try RedisStore.clientConfiguration(strict, namespace: "n")
      #expect(kept.invalidation.mode == .tracking && kept.invalidation.prefixes == ["n:"] && kept.invalidation.noLoop)
      var pubSub = RedisClientConfiguration()
      pubSub.invalidation = .pubSub(channel: "mine")
      #expect(
        try RedisStore.clientConfiguration(pubSub, namespace: "n").invalidation
          == .init(mode: .pubSub, prefixes: ["n:"], channel: "mine"))
      #expect(throws: RedisStoreError.self) {
        try RedisStore.clientConfiguration(RedisClientConfiguration(), namespace: "")
      }

      #expect(throws: RedisStoreError.self) { try idleStore(invalidation: .none) }
      #expect(throws: RedisStoreError.self) { try idleStore(invalidation: .tracking(prefixes: ["ns:"], noLoop: false)) }
      #expect(throws: RedisStoreError.self) { try idleStore(eventBufferLimit: 15) }
      let store = try idleStore()
      #expect(store.instanceID.count == 32 && store.instanceID.allSatisfy(\.isHexDigit))
      #expect(try idleStore().instanceID != store.instanceID)
    }

    @Test("not connected: state connecting, every call fails at once without waiting")
    func failFast() async throws {
      let store = try idleStore()
      #expect(store.state == .connecting)
      #expect(store.activeInvalidation == nil)
      let start = ContinuousClock.now
      await #expect(throws: RedisStoreError.notConnected) { _ = try await store.get("ns:k") }
      await #expect(throws: RedisStoreError.notConnected) { _ = try await store.get(["ns:k"]) }
      await #expect(throws: RedisStoreError.notConnected) {
        try await store.set("ns:k", bytes: [1], timeToLive: .seconds(1))
      }
      await #expect(throws: RedisStoreError.notConnected) {
        _ = try await store.setIfNotNewer("ns:k", bytes: [1], timeToLive: .seconds(1), createdAtMilliseconds: 1)
      }
      await #expect(throws: RedisStoreError.notConnected) { try await store.remove(["ns:k"]) }
      #expect(try await store.get([String]()) == [])
      try await store.remove([])
      #expect(ContinuousClock.now - start < .seconds(5))
      await store.shutdown()
      #expect(store.state == .disconnected)
      var iterator = store.invalidations().makeAsyncIterator()
      #expect(await iterator.next() == nil, "a stream made after shutdown is finished")
    }

    @Test("client events become store events, in order, with the state mirrored")
    func eventMapping() async throws {
      let store = try idleStore()
      let stream = store.invalidations()
      let other = RedisInvalidationMessage.keys(instance: Array(repeating: 7, count: 16), keys: ["ns:a", "ns:b"])
        .encoded()
      let own = RedisInvalidationMessage.keys(instance: store.instanceBytes, keys: ["ns:own"]).encoded()
      let otherAll = RedisInvalidationMessage.all(instance: Array(repeating: 7, count: 16)).encoded()
      func send(_ event: RedisClientEvent) {
        RedisStore.handle(event, shared: store.shared, channel: store.channel, instance: store.instanceBytes)
      }
      send(.connected(info(epoch: 1, .tracking(prefixes: ["ns:"]))))
      #expect(store.state == .connected)
      #expect(store.activeInvalidation == .tracking(prefixes: ["ns:"]))
      send(.keys(["ns:k"]))
      send(.flushAll)
      send(.eventsDropped)
      send(.disconnected(RedisDisconnectReason(.closedByPeer, "gone")))
      #expect(store.state == .disconnected)
      #expect(store.activeInvalidation == nil)
      send(.connected(info(epoch: 2, .pubSub(channel: "ns:__invalidations"))))
      #expect(store.activeInvalidation == .pubSub(channel: "ns:__invalidations"))
      send(.message(channel: "ns:__invalidations", payload: other))
      send(.message(channel: "ns:__invalidations", payload: own))  // ignored: our own write
      send(.message(channel: "elsewhere", payload: other))  // ignored: not the fallback channel
      send(.message(channel: "ns:__invalidations", payload: [1, 2, 3]))  // unreadable: .all
      send(.message(channel: "ns:__invalidations", payload: otherAll))
      let events = await drain(store, stream)
      #expect(
        events == [
          .reconnected, .keys(["ns:k"]), .all, .all, .disconnected, .reconnected, .keys(["ns:a", "ns:b"]), .all, .all,
        ])

      // The client's shutdown: streams finish; later ones are finished at once.
      let open = store.invalidations()
      RedisStore.finish(store.shared)
      #expect(store.state == .disconnected)
      var iterator = open.makeAsyncIterator()
      #expect(await iterator.next() == nil)
      var late = store.invalidations().makeAsyncIterator()
      #expect(await late.next() == nil)
    }

    @Test("a consumer that falls behind loses the oldest events but is told: .all, and the current connection state")
    func boundedStreams() async throws {
      let store = try idleStore(eventBufferLimit: 16)
      let stream = store.invalidations()
      func send(_ event: RedisClientEvent) {
        RedisStore.handle(event, shared: store.shared, channel: store.channel, instance: store.instanceBytes)
      }
      send(.connected(info(epoch: 1, .tracking(prefixes: ["ns:"]))))
      for index in 0..<100 { send(.keys(["ns:\(index)"])) }
      var events = await drain(store, stream)
      #expect(events.count <= 16)
      #expect(events.contains(.all), "lost keys are reported as .all")
      #expect(events.contains(.reconnected), "the lost .reconnected is reported again")
      #expect(events.last == .keys(["ns:99"]) || events.last == .all)
      #expect(events.contains(.keys(["ns:99"])), "the newest event is kept")

      // Lost while disconnected: the replacement says so.
      let second = store.invalidations()
      for index in 0..<20 { send(.keys(["ns:x\(index)"])) }
      send(.disconnected(RedisDisconnectReason(.closedByPeer, "gone")))
      for index in 0..<40 { send(.keys(["ns:y\(index)"])) }
      events = await drain(store, second)
      #expect(events.count <= 16)
      #expect(events.last(where: \.isConnectionEvent) == .disconnected)
      #expect(events.contains(.all))

      // A consumer that keeps up loses nothing.
      send(.connected(info(epoch: 2, .tracking(prefixes: ["ns:"]))))
      for round in 0..<5 {
        let stream = store.invalidations()
        for index in 0..<10 { send(.keys(["ns:\(round).\(index)"])) }
        events = await drain(store, stream)
        #expect(events == (0..<10).map { .keys(["ns:\(round).\($0)"]) })
      }
    }

    @Test("the pub/sub message: round trip; anything else is unreadable, never a crash")
    func messageFormat() {
      let instance = (0..<16).map { UInt8($0 * 3) }
      let keys = ["ns:a", "", "ns:é🙂", String(repeating: "k", count: 300), "ns:with\nnewline\u{0}"]
      let message = RedisInvalidationMessage.keys(instance: instance, keys: keys)
      let bytes = message.encoded()
      #expect(Array(bytes.prefix(4)) == [0x43, 0x49, 1, 1])
      #expect(Array(bytes[4..<20]) == instance)
      #expect(RedisInvalidationMessage.decode(bytes) == message)
      #expect(
        RedisInvalidationMessage.decode(RedisInvalidationMessage.all(instance: instance).encoded())
          == .all(instance: instance))
      #expect(
        RedisInvalidationMessage.decode(RedisInvalidationMessage.keys(instance: instance, keys: []).encoded())
          == .keys(instance: instance, keys: []))

      #expect(RedisInvalidationMessage.decode([]) == nil)
      #expect(RedisInvalidationMessage.decode(Array(bytes.prefix(19))) == nil, "truncated header")
      #expect(RedisInvalidationMessage.decode(Array(bytes.dropLast())) == nil, "truncated key")
      #expect(RedisInvalidationMessage.decode(bytes + [0]) == nil, "trailing bytes")
      var other = bytes
      other[2] = 2
      #expect(RedisInvalidationMessage.decode(other) == nil, "another version")
      other = bytes
      other[3] = 9
      #expect(RedisInvalidationMessage.decode(other) == nil, "an unknown operation")
      other = bytes
      other[0] = 0
      #expect(RedisInvalidationMessage.decode(other) == nil, "no magic")
      let invalidUTF8 = [0x43, 0x49, 1, 1] + instance + [1, 2, 0xC3, 0x28]
      #expect(RedisInvalidationMessage.decode(invalidUTF8) == nil)
      let hugeCount = [0x43, 0x49, 1, 1] + instance + [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
      #expect(RedisInvalidationMessage.decode(hugeCount) == nil)
      let overlongVarint = [0x43, 0x49, 1, 1] + instance + Array(repeating: 0xFF, count: 11)
      #expect(RedisInvalidationMessage.decode(overlongVarint) == nil)

      var generator = SeededGenerator(seed: 99)
      for _ in 0..<3_000 {
        var fuzzed = bytes
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
          let index = Int.random(in: 0..<fuzzed.count, using: &generator)
          fuzzed[index] = UInt8.random(in: 0...255, using: &generator)
        }
        fuzzed = Array(fuzzed.prefix(Int.random(in: 0...fuzzed.count, using: &generator)))
        _ = RedisInvalidationMessage.decode(fuzzed)
        let random = (0..<Int.random(in: 0...64, using: &generator)).map { _ in
          UInt8.random(in: 0...255, using: &generator)
        }
        _ = RedisInvalidationMessage.decode([0x43, 0x49, 1] + random)
      }
    }

    @Test("replies: GET/PTTL shapes, PTTL -1 and -2, lifetimes rounded up to whole milliseconds for PX")
    func replies() throws {
      let bytes = RESPValue.bulk(bytes: [1, 2])
      #expect(
        try RedisStore.entry(value: bytes, ttl: .integer(-1), command: "GET")
          == RemoteCacheEntry(bytes: [1, 2], timeToLive: nil))
      #expect(try RedisStore.entry(value: bytes, ttl: .integer(-2), command: "GET") == nil)
      #expect(
        try RedisStore.entry(value: bytes, ttl: .integer(0), command: "GET")
          == RemoteCacheEntry(bytes: [1, 2], timeToLive: .zero))
      #expect(
        try RedisStore.entry(value: bytes, ttl: .integer(1_500), command: "GET")
          == RemoteCacheEntry(bytes: [1, 2], timeToLive: .milliseconds(1_500)))
      #expect(try RedisStore.entry(value: .null, ttl: .integer(5), command: "GET") == nil)
      #expect(try RedisStore.entry(value: .bulkString(nil), ttl: .integer(-2), command: "GET") == nil)
      #expect(
        try RedisStore.entry(value: .bulk(bytes: []), ttl: .integer(-1), command: "GET")
          == RemoteCacheEntry(bytes: [], timeToLive: nil))
      #expect(throws: RedisStoreError.self) { try RedisStore.entry(value: bytes, ttl: .integer(-3), command: "GET") }
      #expect(throws: RedisStoreError.self) { try RedisStore.entry(value: bytes, ttl: .bulk("5"), command: "GET") }
      #expect(throws: RedisStoreError.self) {
        try RedisStore.entry(value: .integer(5), ttl: .integer(5), command: "GET")
      }
      #expect(throws: RedisStoreError.self) {
        try RedisStore.entry(value: .array([]), ttl: .integer(5), command: "MGET")
      }
      #expect(throws: RedisClientError.self) {
        try RedisStore.entry(value: .simpleError("WRONGTYPE x"), ttl: .integer(5), command: "GET")
      }
      #expect(throws: RedisClientError.self) {
        try RedisStore.entry(value: bytes, ttl: .simpleError("ERR"), command: "GET")
      }
      #expect(throws: Never.self) { try RedisStore.expectOK(.simpleString("OK"), "SET") }
      #expect(throws: RedisStoreError.self) { try RedisStore.expectOK(.null, "SET") }
      #expect(RedisStore.shape(.bulk(bytes: [1, 2, 3])) == "a bulk string of 3 bytes", "shapes never show content")

      #expect(Duration.seconds(1).redisStoreMilliseconds == 1_000)
      #expect(Duration.nanoseconds(1).redisStoreMilliseconds == 1)
      #expect(Duration.nanoseconds(1_000_001).redisStoreMilliseconds == 2)
      #expect(Duration.milliseconds(60_000).redisStoreMilliseconds == 60_000)
      #expect(Duration.zero.redisStoreMilliseconds == 1)
      #expect(Duration.milliseconds(-5).redisStoreMilliseconds == 1)
      #expect(Duration.seconds(Int64.max).redisStoreMilliseconds == 1_000_000_000_000_000)
    }
  }
#endif
