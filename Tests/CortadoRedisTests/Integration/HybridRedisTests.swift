#if Redis
  import CortadoHybrid
  import CortadoRedis
  import Foundation
  import NIOCore
  import Testing

  /// `HybridCache` on `RedisStore` against real `redis-server` processes. Several
  /// instances in one process, each with its own store and client (one connection,
  /// as `NOLOOP` works per connection), stand in for several machines.
  ///
  /// Serialized; deadlines are generous; nothing asserts tight timing. Invalidations
  /// are awaited through `ObservedStore`, which knows when a cache has finished
  /// handling each event.
  @Suite(
    "HybridCache on RedisStore against redis-server", .serialized,
    .enabled(if: RedisTestEnvironment.isAvailable, RedisTestEnvironment.skipMessage))
  struct HybridRedisTests {
    // MARK: The store's commands

    @Test("store commands: GET+PTTL, MGET in rounds, SET PX, UNLINK, the compare-and-set script; fail fast; shutdown")
    func storeCommands() async throws {
      try await withRedisServer { server, clients in
        let store = try RedisStore(configuration: server.configuration(), namespace: "cmd")
        #expect(store.state == .connecting)
        await #expect(throws: RedisStoreError.notConnected) { _ = try await store.get("cmd:k") }
        let events = store.invalidations()
        store.start()
        let info = try await store.waitUntilConnected(timeout: .seconds(10))
        #expect(store.state == .connected)
        #expect(info.invalidation == .tracking(prefixes: ["cmd:"]))
        #expect(store.activeInvalidation == .tracking(prefixes: ["cmd:"]))
        #expect(store.instanceID.count == 32)
        let admin = try await clients.connected(server.configuration())

        try await store.set("cmd:a", bytes: [1, 2, 3], timeToLive: .milliseconds(60_000.5))
        let a = try await store.get("cmd:a")
        #expect(a?.bytes == [1, 2, 3])
        let ttl = try #require(a?.timeToLive)
        #expect(ttl > .seconds(55) && ttl <= .milliseconds(60_001), "PX rounded up to whole milliseconds")
        try await admin.set("cmd:forever", value: [9])
        #expect(try await store.get("cmd:forever") == RemoteCacheEntry(bytes: [9], timeToLive: nil))
        #expect(try await store.get("cmd:missing") == nil)
        _ = try await admin.send("RPUSH", "cmd:list", "x")
        await #expect(throws: RedisClientError.self) { _ = try await store.get("cmd:list") }

        // 600 keys: three MGET rounds; one element per key, in order.
        var keys = (0..<600).map { "cmd:m\($0)" }
        for key in keys.prefix(300) { try await store.set(key, bytes: Array(key.utf8), timeToLive: .seconds(60)) }
        keys.insert("cmd:missing", at: 7)
        let entries = try await store.get(keys)
        #expect(entries.count == keys.count)
        for (index, key) in keys.enumerated() {
          let expected: [UInt8]? = key == "cmd:missing" || Int(key.dropFirst(5))! >= 300 ? nil : Array(key.utf8)
          #expect(entries[index]?.bytes == expected, "\(key)")
        }
        #expect(try await store.get([String]()) == [])

        try await store.remove(["cmd:a", "cmd:missing"])
        #expect(try await store.get("cmd:a") == nil)
        try await store.remove([])

        // The compare-and-set script, with real envelopes.
        func envelope(_ createdAt: Int64) -> [UInt8] {
          HybridEnvelope(
            codecIdentifier: 1, createdAtMilliseconds: createdAt, freshForMilliseconds: 1, staleForMilliseconds: 0,
            schemaVersion: 0, key: "c", payload: Array("\(createdAt)".utf8)
          ).encoded()
        }
        #expect(
          try await store.setIfNotNewer(
            "cmd:c", bytes: envelope(1_000), timeToLive: .seconds(60), createdAtMilliseconds: 1_000), "absent: written")
        #expect(
          try await store.setIfNotNewer(
            "cmd:c", bytes: envelope(999), timeToLive: .seconds(60), createdAtMilliseconds: 999) == false,
          "stored is newer")
        #expect(try await store.get("cmd:c")?.bytes == envelope(1_000))
        #expect(
          try await store.setIfNotNewer(
            "cmd:c", bytes: envelope(1_000), timeToLive: .seconds(60), createdAtMilliseconds: 1_000), "equal: written")
        #expect(
          try await store.setIfNotNewer(
            "cmd:c", bytes: envelope(1_700_000_000_123), timeToLive: .seconds(30),
            createdAtMilliseconds: 1_700_000_000_123))
        #expect(
          try await store.setIfNotNewer(
            "cmd:c", bytes: envelope(1_700_000_000_122), timeToLive: .seconds(60),
            createdAtMilliseconds: 1_700_000_000_122) == false)
        let replayed = try #require(try await store.get("cmd:c"))
        #expect(replayed.bytes == envelope(1_700_000_000_123))
        #expect(replayed.timeToLive.map { $0 <= .seconds(30) && $0 > .seconds(25) } == true, "written with its own PX")
        try await admin.set("cmd:n", value: envelope(-5))
        #expect(
          try await store.setIfNotNewer(
            "cmd:n", bytes: envelope(-6), timeToLive: .seconds(60), createdAtMilliseconds: -6) == false,
          "negative times compare as signed")
        try await admin.set("cmd:g", value: Array("not an envelope".utf8))
        #expect(
          try await store.setIfNotNewer(
            "cmd:g", bytes: envelope(1), timeToLive: .seconds(60), createdAtMilliseconds: 1), "not an envelope: written"
        )
        #expect(
          try await store.setIfNotNewer(
            "cmd:list", bytes: envelope(1), timeToLive: .seconds(60), createdAtMilliseconds: 1),
          "another type: overwritten")
        #expect(try await store.get("cmd:list")?.bytes == envelope(1))

        // Shutdown: `.disconnected`, the stream finishes, calls fail at once.
        await store.shutdown()
        #expect(store.state == .disconnected)
        await #expect(throws: RedisStoreError.notConnected) {
          try await store.set("cmd:z", bytes: [1], timeToLive: .seconds(1))
        }
        let seen: [RemoteCacheEvent] = try await withDeadline(.seconds(10)) {
          var seen: [RemoteCacheEvent] = []
          for await event in events { seen.append(event) }
          return seen
        }
        #expect(seen.first == .reconnected)
        #expect(seen.last == .disconnected)
        #expect(!seen.contains { if case .keys(let keys) = $0 { keys.contains("cmd:a") } else { false } }, "NOLOOP")
        var afterShutdown = store.invalidations().makeAsyncIterator()
        #expect(await afterShutdown.next() == nil)
      }
    }

    // MARK: Cross-instance invalidation

    @Test("A writes → B's and C's memory drop the key; A's own write does not come back (NOLOOP); A removes → B misses")
    func crossInstance() async throws {
      try await withRedisServer { server, clients in
        let a = try await makeInstance("a", server: server, clients: clients)
        let b = try await makeInstance("b", server: server, clients: clients)
        let c = try await makeInstance("c", server: server, clients: clients)
        #expect(a.store.activeInvalidation == .tracking(prefixes: ["hy:"]))
        try await expectCrossInstanceInvalidation(a, b, c)
      }
    }

    /// The shared scenario of the tracking and the pub/sub tests.
    func expectCrossInstanceInvalidation(_ a: HybridInstance, _ b: HybridInstance, _ c: HybridInstance) async throws {
      let key = "user:1"
      let v1 = try await a.cache.loadValue(forKey: key) { Stamp(key: $0, version: 1) }
      // A's fill wrote Redis: B and C were told (before they read, else their
      // reads could overlap the invalidation and, rightly, not be cached).
      #expect(await eventually { b.handled(key) == 1 && c.handled(key) == 1 })
      #expect(await b.cache.value(forKey: key) == v1)
      #expect(await c.cache.values(forKeys: [key, "user:none"]) == [key: v1])
      let localHits = b.statistics.localHits
      #expect(await b.cache.value(forKey: key) == v1)
      #expect(b.statistics.localHits == localHits + 1, "B serves the key from memory")

      let (handledB, handledC) = (b.handled(key), c.handled(key))
      #expect(try await a.cache.setValue(Stamp(key: key, version: 2), forKey: key) == .stored)
      #expect(
        await eventually { b.handled(key) > handledB && c.handled(key) > handledC }, "B and C handled the invalidation")
      let remoteHits = b.statistics.remoteHits
      #expect(await b.cache.value(forKey: key) == Stamp(key: key, version: 2))
      #expect(b.statistics.remoteHits == remoteHits + 1, "B's memory had dropped the key: it read Redis")
      #expect(await c.cache.value(forKey: key) == Stamp(key: key, version: 2))
      #expect(await a.cache.value(forKey: key) == Stamp(key: key, version: 2), "A reads its own write")

      // A fence: B writes another key; once A has handled that, any
      // invalidation of A's own earlier write would have been handled too.
      #expect(try await b.cache.setValue(Stamp(key: "fence", version: 1), forKey: "fence") == .stored)
      #expect(await eventually { a.handled("fence") == 1 })
      #expect(a.handled(key) == 0, "no invalidation for A's own writes")
      #expect(b.handled("fence") == 0, "nor for B's")

      let handledAfterWrite = b.handled(key)
      #expect(await a.cache.removeValue(forKey: key) == .stored)
      #expect(await eventually { b.handled(key) > handledAfterWrite })
      #expect(await b.cache.value(forKey: key) == nil)
      #expect(await c.cache.value(forKey: key) == nil)
      for instance in [a, b, c] {
        #expect(instance.statistics.remoteErrors == 0, "\(instance.name)")
        #expect(instance.statistics.rejectedRemoteValues == 0, "\(instance.name)")
      }
    }

    @Test("an external redis-cli SET under the namespace, key expiry and FLUSHDB reach every instance")
    func externalExpiryAndFlush() async throws {
      try await withRedisServer { server, clients in
        let a = try await makeInstance("a", server: server, clients: clients)
        let b = try await makeInstance("b", server: server, clients: clients)
        let admin = try await clients.connected(server.configuration())
        let key = "doc"
        try await a.cache.setValue(Stamp(key: key, version: 1), forKey: key)
        #expect(await b.cache.value(forKey: key) == Stamp(key: key, version: 1))

        // redis-cli (another client entirely) overwrites the key: both drop it.
        let storage = a.storageKey(key)
        let external = "written by another client"
        if try server.cli(["SET", storage, external]) == nil {
          try await admin.set(storage, value: Array(external.utf8))
        }
        #expect(
          await eventually { a.handled(key) == 1 && b.handled(key) == 2 },
          "both handled the external write (B: after A's)")
        #expect(await a.cache.value(forKey: key) == nil, "not an envelope: a miss")
        #expect(await b.cache.value(forKey: key) == nil)
        #expect(a.statistics.rejectedRemoteValues == 1 && b.statistics.rejectedRemoteValues == 1)
        #expect(try await admin.get(storage) == Array(external.utf8), "an unusable value is never deleted")

        // A key that expires in Redis is dropped everywhere.
        let short = HybridCacheOptions(timeToLive: .milliseconds(300))
        try await a.cache.setValue(Stamp(key: "short", version: 1), forKey: "short", options: short)
        #expect(await eventually { b.handled("short") == 1 })
        #expect(await b.cache.value(forKey: "short") == Stamp(key: "short", version: 1))
        #expect(
          await eventually(.seconds(15)) { a.handled("short") == 1 && b.handled("short") == 2 },
          "the expiry reached both (B: after A's write)")
        #expect(try await admin.pttl(a.storageKey("short")) == -2)

        // FLUSHDB: the epoch moves on every instance; nothing in memory is served.
        try await a.cache.setValue(Stamp(key: "f", version: 1), forKey: "f")
        #expect(await b.cache.value(forKey: "f") == Stamp(key: "f", version: 1))
        let (epochA, epochB) = (a.cache.invalidationEpoch, b.cache.invalidationEpoch)
        if try server.cli(["FLUSHDB"]) == nil { _ = try await admin.send("FLUSHDB") }
        #expect(await eventually { a.observed.handledAll == 1 && b.observed.handledAll == 1 })
        #expect(a.cache.invalidationEpoch > epochA && b.cache.invalidationEpoch > epochB)
        #expect(await a.cache.value(forKey: "f") == nil)
        #expect(await b.cache.value(forKey: "f") == nil)
      }
    }

    @Test(
      "pub/sub fallback (an ACL user without client|tracking): writes publish in their MULTI/EXEC; own messages are ignored"
    )
    func pubSubFallback() async throws {
      try await withRedisServer { server, clients in
        let admin = try await clients.connected(server.configuration())
        _ = try await admin.send("ACL", "SETUSER", "notrack", "on", ">pw", "~*", "&*", "+@all", "-client|tracking")
        func noTracking(_ configuration: inout RedisClientConfiguration) {
          configuration.username = "notrack"
          configuration.password = "pw"
        }
        let a = try await makeInstance("a", server: server, clients: clients, configure: noTracking)
        let b = try await makeInstance("b", server: server, clients: clients, configure: noTracking)
        let c = try await makeInstance("c", server: server, clients: clients, configure: noTracking)
        for instance in [a, b, c] {
          #expect(instance.store.activeInvalidation == .pubSub(channel: "hy:__invalidations"), "\(instance.name)")
        }
        try await expectCrossInstanceInvalidation(a, b, c)

        // The compare-and-set publishes only when it writes.
        let key = "cas"
        try await a.cache.setValue(Stamp(key: key, version: 1), forKey: key)
        #expect(await eventually { b.handled(key) == 1 && c.handled(key) == 1 })
        let newer = HybridEnvelope(
          codecIdentifier: 1, createdAtMilliseconds: .max, freshForMilliseconds: 60_000,
          staleForMilliseconds: 0, schemaVersion: 0, key: key, payload: Array("{}".utf8)
        ).encoded()
        #expect(
          try await c.store.setIfNotNewer(
            c.storageKey(key), bytes: newer, timeToLive: .seconds(60), createdAtMilliseconds: .max))
        #expect(await eventually { b.handled(key) == 2 && a.handled(key) == 1 })
        #expect(
          try await c.store.setIfNotNewer(
            c.storageKey(key), bytes: newer, timeToLive: .seconds(60), createdAtMilliseconds: 0) == false)
        // Fence: a write that does publish; the refused one published nothing before it.
        try await c.cache.setValue(Stamp(key: "fence2", version: 1), forKey: "fence2")
        #expect(await eventually { b.handled("fence2") == 1 })
        #expect(b.handled(key) == 2, "a refused compare-and-set publishes nothing")
        #expect(c.handled(key) == 1, "C ignored its own message")
        #expect(a.handled(key) == 1, "A ignored its own message")

        // A subscriber that is not a RedisStore sees the message format (magic, version, op).
        let listener = try await clients.connected(server.configuration())
        let recorder = await EventRecorder.start(listener)
        try await listener.subscribe(["hy:__invalidations"])
        try await a.cache.setValue(Stamp(key: "seen", version: 1), forKey: "seen")
        #expect(
          await recorder.waitUntil { events, _ in
            events.contains { event in
              guard case .message(_, let payload) = event else { return false }
              return payload.starts(with: [0x43, 0x49, 1, 1])
                && payload.suffix(a.storageKey("seen").utf8.count).elementsEqual(a.storageKey("seen").utf8)
            }
          })
      }
    }

    // MARK: Failures

    @Test("command timeout (CLIENT PAUSE): the read is a miss, the loader runs, the connection is recycled")
    func commandTimeout() async throws {
      try await withRedisServer { server, clients in
        let a = try await makeInstance("a", server: server, clients: clients) { $0.commandTimeout = .milliseconds(200) }
        let admin = try await clients.connected(server.configuration())
        _ = try await admin.send("CLIENT", "PAUSE", "1500", "ALL")
        let start = ContinuousClock.now
        let value = try await a.cache.loadValue(forKey: "cold") { Stamp(key: $0, version: 7) }
        let elapsed = ContinuousClock.now - start
        #expect(value == Stamp(key: "cold", version: 7))
        #expect(a.statistics.loaderCalls == 1)
        #expect(a.statistics.remoteErrors >= 1, "the read timed out")
        print(
          "HybridCache: a read under CLIENT PAUSE gave up and loaded after \(milliseconds(elapsed)) (deadline 200 ms)")
        #expect(
          await eventually(.seconds(20)) { a.observed.handledReconnects >= 2 && a.store.state == .connected },
          "reconnected after the pause, tracking on")
        #expect(try await a.cache.setValue(Stamp(key: "cold", version: 8), forKey: "cold") == .stored)
      }
    }

    @Test(
      "killed connection: reconnect, tracking restored, queued writes replayed; the compare-and-set keeps a newer value"
    )
    func killedConnection() async throws {
      try await withRedisServer { server, clients in
        let admin = try await clients.connected(server.configuration())
        _ = try await admin.send("ACL", "SETUSER", "insta", "on", ">pw", "~*", "&*", "+@all")
        let a = try await makeInstance(
          "a", server: server, clients: clients,
          configure: {
            $0.username = "insta"
            $0.password = "pw"
          },
          cache: { configuration in
            // A's clock is a minute behind: its queued write is older than B's.
            configuration.currentDate = { Date().addingTimeInterval(-60) }
          })
        let b = try await makeInstance("b", server: server, clients: clients)
        let first = try await a.store.waitUntilConnected(timeout: .seconds(5))
        try await b.cache.setValue(Stamp(key: "z", version: 1), forKey: "z")
        #expect(await a.cache.value(forKey: "z") == Stamp(key: "z", version: 1))

        // Cut A off: its user cannot log in again until switched back on.
        _ = try await admin.send("ACL", "SETUSER", "insta", "off")
        #expect(try await admin.send("CLIENT", "KILL", "USER", "insta") == .integer(1))
        #expect(await eventually { a.observed.handledDisconnects == 1 })
        #expect(a.store.state != .connected)
        #expect(a.cache.isDegraded)
        #expect(try await a.cache.setValue(Stamp(key: "x", version: 1), forKey: "x") == .queued)
        #expect(try await a.cache.setValue(Stamp(key: "y", version: 1), forKey: "y") == .queued)
        #expect(await a.cache.removeValue(forKey: "z") == .queued)
        #expect(a.cache.pendingRecoveryCount == 3)
        // Meanwhile another instance writes x.
        #expect(try await b.cache.setValue(Stamp(key: "x", version: 2), forKey: "x") == .stored)

        _ = try await admin.send("ACL", "SETUSER", "insta", "on")
        #expect(await eventually(.seconds(15)) { a.observed.handledReconnects >= 2 }, "A reconnected")
        await a.cache.replayRecoveryQueue()
        #expect(await eventually { a.cache.pendingRecoveryCount == 0 })
        #expect(a.statistics.recoveryRefused == 1, "x: B's newer value stays")
        #expect(a.statistics.recoveryReplayed == 2, "y written, z removed")
        #expect(!a.cache.isDegraded)

        let second = try await a.store.waitUntilConnected(timeout: .seconds(5))
        #expect(second.epoch > first.epoch)
        #expect(second.clientID != first.clientID)
        let trackingInfo = try await a.store.client.send("CLIENT", "TRACKINGINFO")
        #expect(
          trackingInfo.mapValue(forKey: "flags")?.elements?.compactMap(\.string).sorted() == ["bcast", "noloop", "on"])
        #expect(trackingInfo.mapValue(forKey: "prefixes")?.elements?.compactMap(\.string) == ["hy:"])

        // Redis: x is B's, y is A's, z is gone; B sees all of it.
        #expect(await b.cache.value(forKey: "x") == Stamp(key: "x", version: 2))
        #expect(await b.cache.value(forKey: "y") == Stamp(key: "y", version: 1))
        #expect(await eventually { await b.cache.value(forKey: "z") == nil }, "the replayed removal invalidated B")
        #expect(await a.cache.value(forKey: "x") == Stamp(key: "x", version: 2), "A's queued value was retired")
        // Invalidations flow to A again.
        let handled = a.handled("x")
        try await b.cache.setValue(Stamp(key: "x", version: 3), forKey: "x")
        #expect(await eventually { a.handled("x") > handled })
        #expect(await a.cache.value(forKey: "x") == Stamp(key: "x", version: 3))
      }
    }

    @Test("server restart on the same port: fail fast and fail-safe while down, queued write replayed, tracking back")
    func serverRestart() async throws {
      try await withRedisServer { server, clients in
        let a = try await makeInstance("a", server: server, clients: clients)
        let b = try await makeInstance("b", server: server, clients: clients)
        let failSafe = HybridCacheOptions(
          timeToLive: .seconds(600), failSafe: .init(maximumStaleness: .seconds(600), throttle: .seconds(1)))
        let original = try await a.cache.loadValue(forKey: "fs", options: failSafe) { Stamp(key: $0, version: 1) }

        await server.shutdown()
        #expect(await eventually { a.observed.handledDisconnects == 1 && b.observed.handledDisconnects == 1 })
        #expect(a.cache.isDegraded && b.cache.isDegraded)
        await #expect(throws: RedisStoreError.notConnected) { _ = try await a.store.get(a.storageKey("fs")) }
        let skips = a.statistics.remoteSkips
        let start = ContinuousClock.now
        #expect(
          try await a.cache.loadValue(forKey: "down") { Stamp(key: $0, version: 1) } == Stamp(key: "down", version: 1))
        print(
          "HybridCache: a load while Redis was down took \(milliseconds(ContinuousClock.now - start)) (no store call)")
        #expect(a.statistics.remoteSkips > skips, "fail fast: the store was not called")
        let stale = try await a.cache.loadValue(forKey: "fs", options: failSafe) { _ in throw LoaderDown() }
        #expect(stale == original, "fail-safe: the stale value while the loader fails")
        #expect(a.statistics.failSafeFallbacks == 1)
        #expect(try await a.cache.setValue(Stamp(key: "w", version: 1), forKey: "w") == .queued)

        try await server.start()
        #expect(
          await eventually(.seconds(20)) { a.observed.handledReconnects >= 2 && b.observed.handledReconnects >= 2 })
        await a.cache.replayRecoveryQueue()
        #expect(a.cache.pendingRecoveryCount == 0)
        #expect(
          await b.cache.value(forKey: "w") == Stamp(key: "w", version: 1), "the queued write reached the new server")
        let handled = a.handled("w")
        try await b.cache.setValue(Stamp(key: "w", version: 2), forKey: "w")
        #expect(await eventually { a.handled("w") > handled }, "tracking is back")
        #expect(await a.cache.value(forKey: "w") == Stamp(key: "w", version: 2))
      }
    }

    // MARK: Stampede, authentication, TLS

    @Test("stampede: 3 instances × 50 concurrent loads of a cold key call the loader at most 3 times")
    func stampede() async throws {
      try await withRedisServer { server, clients in
        var instances: [HybridInstance] = []
        for name in ["a", "b", "c"] { instances.append(try await makeInstance(name, server: server, clients: clients)) }
        let calls = Guarded(0)
        let results = try await withThrowingTaskGroup(of: Stamp.self) { group in
          for instance in instances {
            for _ in 0..<50 {
              group.addTask {
                try await instance.cache.loadValue(forKey: "hot") { key in
                  calls.withLock { $0 += 1 }
                  try await Task.sleep(for: .milliseconds(200))
                  return Stamp(key: key, version: 1)
                }
              }
            }
          }
          var results: [Stamp] = []
          for try await result in group { results.append(result) }
          return results
        }
        let loaderCalls = calls.withLock { $0 }
        print("Stampede: 150 concurrent loads on 3 instances called the loader \(loaderCalls) time(s)")
        #expect(results.count == 150)
        #expect(results.allSatisfy { $0 == Stamp(key: "hot", version: 1) })
        #expect((1...3).contains(loaderCalls))
      }
    }

    @Test(
      "password auth: instances with the password share invalidations; a wrong password never connects, the cache still loads"
    )
    func passwordAuth() async throws {
      try await withRedisServer(extraArguments: ["--requirepass", "s3cret"]) { server, clients in
        let a = try await makeInstance("a", server: server, clients: clients) { $0.password = "s3cret" }
        let b = try await makeInstance("b", server: server, clients: clients) { $0.password = "s3cret" }
        try await a.cache.setValue(Stamp(key: "k", version: 1), forKey: "k")
        #expect(await b.cache.value(forKey: "k") == Stamp(key: "k", version: 1))
        #expect(await eventually { b.handled("k") == 1 })
        try await a.cache.setValue(Stamp(key: "k", version: 2), forKey: "k")
        #expect(await eventually { b.handled("k") == 2 })
        #expect(await b.cache.value(forKey: "k") == Stamp(key: "k", version: 2))

        let wrong = try await makeInstance("wrong", server: server, clients: clients, connect: false) {
          $0.password = "nope"
        }
        #expect(try await wrong.store.client.waitForDisconnectReason().kind == .authenticationFailed)
        #expect(wrong.store.state != .connected)
        #expect(
          try await wrong.cache.loadValue(forKey: "k") { Stamp(key: $0, version: 99) } == Stamp(key: "k", version: 99))
        #expect(wrong.statistics.remoteSkips >= 1 && wrong.statistics.remoteErrors == 0)
      }
    }

    @Test("TLS with a CA made by openssl: instances share values and invalidations")
    func tls() async throws {
      try await withRedisServer(tls: true) { server, clients in
        let certificates = try #require(server.certificates)
        func secure(_ configuration: inout RedisClientConfiguration) throws {
          configuration.tls = try .verifying(caCertificatePath: certificates.caCertificate, serverName: "localhost")
        }
        let a = try await makeInstance("a", server: server, clients: clients, configure: secure)
        let b = try await makeInstance("b", server: server, clients: clients, configure: secure)
        try await a.cache.setValue(Stamp(key: "t", version: 1), forKey: "t")
        #expect(await b.cache.value(forKey: "t") == Stamp(key: "t", version: 1))
        #expect(await eventually { b.handled("t") == 1 })
        try await a.cache.setValue(Stamp(key: "t", version: 2), forKey: "t")
        #expect(await eventually { b.handled("t") == 2 })
        #expect(await b.cache.value(forKey: "t") == Stamp(key: "t", version: 2))
        #expect(b.statistics.remoteErrors == 0)
      }
    }

    // MARK: Load

    /// 10 s of mixed traffic from 3 instances.
    ///
    /// Each of 24 keys has one writer (key i: instance i mod 3), which writes
    /// versions 1, 2, 3, … in order, each `setValue` awaited before the next. So
    /// Redis only ever moves forward, and every write makes Redis send each
    /// *other* instance exactly one invalidation of the key.
    ///
    /// The check: when an instance has *handled* n invalidations of key k
    /// (`ObservedStore`), the write behind the n-th one had version ≥ n and was
    /// already in Redis, so a read that **starts** after that must return a
    /// version ≥ n. A value served from memory after its invalidation was handled
    /// would break this. The writer itself gets no invalidations (NOLOOP) and
    /// must read at least its own last completed write. Every value must belong
    /// to the key asked for (and no stored value may be rejected), and `ECHO`
    /// tokens pipelined on the same connections must come back to their caller:
    /// no reply is matched to the wrong request.
    @Test(
      "mixed load, 3 instances, 10 s: no reply matched to the wrong request; no memory value served after its invalidation was handled"
    )
    func mixedLoad() async throws {
      try await withRedisServer { server, clients in
        var instances: [HybridInstance] = []
        for name in ["a", "b", "c"] {
          instances.append(try await makeInstance(name, server: server, clients: clients, namespace: "load"))
        }
        let keys = (0..<24).map { "k\($0)" }
        @Sendable func writer(of key: String) -> Int { Int(key.dropFirst())! % 3 }
        let written = Guarded([String: Int]())
        let violations = Guarded([String]())
        let counts = Guarded((reads: 0, values: 0, misses: 0, writes: 0, echoes: 0))
        @Sendable func violation(_ message: String) {
          violations.withLock { if $0.count < 50 { $0.append(message) } }
        }
        let sameInstances = instances
        let end = ContinuousClock.now + .seconds(10)

        try await withDeadline(.seconds(120)) {
          try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, instance) in sameInstances.enumerated() {
              let own = keys.filter { writer(of: $0) == index }
              group.addTask {
                var versions: [String: Int] = [:]
                var next = 0
                while ContinuousClock.now < end {
                  let key = own[next % own.count]
                  next += 1
                  let version = versions[key, default: 0] + 1
                  let outcome = try await instance.cache.setValue(Stamp(key: key, version: version), forKey: key)
                  guard outcome == .stored else {
                    violation("\(instance.name): write \(key) v\(version) was \(outcome)")
                    return
                  }
                  versions[key] = version
                  written.withLock { $0[key] = version }
                  counts.withLock { $0.writes += 1 }
                  try await Task.sleep(for: .microseconds(500))
                }
              }
              for reader in 0..<3 {
                group.addTask {
                  var generator = SeededGenerator(seed: UInt64(index * 10 + reader + 1))
                  var round = 0
                  /// The version a read that starts now must reach.
                  func floor(_ key: String) -> Int {
                    writer(of: key) == index ? written.withLock { $0[key] ?? 0 } : instance.handled(key)
                  }
                  func check(_ key: String, _ value: Stamp?, floor: Int) {
                    guard let value else {
                      counts.withLock { $0.misses += 1 }
                      return
                    }
                    counts.withLock { $0.values += 1 }
                    if value.key != key {
                      violation("\(instance.name): asked for \(key), got a value of \(value.key)")
                    } else if value.version < floor {
                      violation(
                        "\(instance.name): \(key) v\(value.version) served after \(floor) invalidation(s)/own writes")
                    }
                  }
                  while ContinuousClock.now < end {
                    round += 1
                    let roll = Int.random(in: 0..<10, using: &generator)
                    if roll < 7 {
                      let key = keys[Int.random(in: 0..<keys.count, using: &generator)]
                      let minimum = floor(key)
                      check(key, await instance.cache.value(forKey: key), floor: minimum)
                      counts.withLock { $0.reads += 1 }
                    } else if roll < 9 {
                      var chosen = Set<String>()
                      while chosen.count < 3 { chosen.insert(keys[Int.random(in: 0..<keys.count, using: &generator)]) }
                      let asked = Array(chosen)
                      let minimums = asked.map(floor)
                      let values = await instance.cache.values(forKeys: asked)
                      if !Set(values.keys).isSubset(of: chosen) {
                        violation("\(instance.name): values(forKeys:) returned keys not asked for")
                      }
                      for (key, minimum) in zip(asked, minimums) { check(key, values[key], floor: minimum) }
                      counts.withLock { $0.reads += asked.count }
                    } else {
                      let tokens = (0..<3).map { "\(instance.name)-\(reader)-\(round)-\($0)" }
                      let replies = try await instance.store.client.pipeline(
                        tokens.map { RedisCommand("ECHO", RedisArgument($0)) })
                      if replies.map(\.string) != tokens { violation("\(instance.name): ECHO replies out of place") }
                      counts.withLock { $0.echoes += 1 }
                    }
                    await Task.yield()
                  }
                }
              }
            }
            try await group.waitForAll()
          }
        }

        let final = written.withLock { $0 }
        // Every write reached every other instance as exactly one invalidation.
        let delivered = await eventually(.seconds(20)) {
          sameInstances.enumerated().allSatisfy { index, instance in
            keys.allSatisfy { key in writer(of: key) == index || instance.handled(key) == final[key, default: 0] }
          }
        }
        for (index, instance) in sameInstances.enumerated() {
          for key in keys where writer(of: key) != index && instance.handled(key) != final[key, default: 0] {
            Issue.record(
              "\(instance.name): \(key) handled \(instance.handled(key)) invalidations for \(final[key, default: 0]) writes"
            )
          }
          for key in keys where writer(of: key) == index && instance.handled(key) != 0 {
            Issue.record("\(instance.name): \(key) was invalidated by its own writes")
          }
          let statistics = instance.statistics
          #expect(statistics.rejectedRemoteValues == 0, "\(instance.name): a value of another key")
          #expect(statistics.remoteErrors == 0, "\(instance.name)")
          #expect(statistics.remoteSkips == 0, "\(instance.name)")
          #expect(instance.observed.handledDisconnects == 0 && instance.observed.handledAll == 0, "\(instance.name)")
        }
        #expect(delivered)
        let found = violations.withLock { $0 }
        #expect(found.isEmpty, "\(found)")
        let summary = counts.withLock { $0 }
        let localHits = sameInstances.map(\.statistics.localHits).reduce(0, +)
        let remoteHits = sameInstances.map(\.statistics.remoteHits).reduce(0, +)
        let invalidations = sameInstances.map(\.statistics.invalidatedKeys).reduce(0, +)
        print(
          "Mixed load, 3 instances, 10 s: \(summary.writes) writes, \(summary.reads) key reads (\(summary.values) values, \(summary.misses) misses; memory hits \(localHits), Redis hits \(remoteHits)), \(invalidations) invalidated keys handled, \(summary.echoes) ECHO pipelines; \(found.count) violations"
        )
        #expect(summary.writes > 100 && summary.reads > 1_000)
      }
    }

    // MARK: Latency

    /// Instance A writes a key that instance B holds in memory; the time until
    /// B has handled the invalidation (from then on B's memory no longer serves
    /// the old value). Includes A's encode and SET round trip.
    /// `CORTADO_PROPAGATION_SAMPLES` sets the number of samples (default 500).
    @Test(
      "invalidation propagation latency, A's write → B's memory no longer serving the old value (measured, printed)")
    func propagationLatency() async throws {
      try await withRedisServer { server, clients in
        let a = try await makeInstance("a", server: server, clients: clients, namespace: "lat")
        let b = try await makeInstance("b", server: server, clients: clients, namespace: "lat")
        let count = Int(ProcessInfo.processInfo.environment["CORTADO_PROPAGATION_SAMPLES"] ?? "") ?? 500
        let key = "p"
        try await a.cache.setValue(Stamp(key: key, version: 0), forKey: key)
        #expect(await eventually { b.handled(key) == 1 })
        var samples: [Duration] = []
        var acknowledged: [Duration] = []
        let spinLimit = Duration.seconds(5)
        for version in 1...count {
          // B holds the current version in memory.
          guard await b.cache.value(forKey: key) == Stamp(key: key, version: version - 1) else {
            Issue.record("B did not read version \(version - 1)")
            return
          }
          let hits = b.statistics.localHits
          guard await b.cache.value(forKey: key) == Stamp(key: key, version: version - 1),
            b.statistics.localHits == hits + 1
          else {
            Issue.record("B does not serve version \(version - 1) from memory")
            return
          }
          let handled = b.handled(key)
          let start = ContinuousClock.now
          try await a.cache.setValue(Stamp(key: key, version: version), forKey: key)
          acknowledged.append(ContinuousClock.now - start)
          while b.handled(key) == handled {
            if ContinuousClock.now - start > spinLimit {
              Issue.record("B did not handle invalidation \(version) within \(spinLimit)")
              return
            }
            await Task.yield()
          }
          samples.append(ContinuousClock.now - start)
          #expect(
            await b.cache.value(forKey: key) == Stamp(key: key, version: version), "B's memory dropped the old value")
        }
        samples.sort()
        acknowledged.sort()
        #if DEBUG
          let build = "debug"
        #else
          let build = "release"
        #endif
        print(
          "Propagation latency (\(build) build, n=\(samples.count), loopback, Redis \(try await a.store.waitUntilConnected(timeout: .seconds(1)).serverVersion ?? "?")): A.setValue start → B handled the invalidation: p50 \(milliseconds(percentile(samples, 0.5))), p90 \(milliseconds(percentile(samples, 0.9))), p99 \(milliseconds(percentile(samples, 0.99))), max \(milliseconds(samples.last ?? .zero)); A.setValue itself: p50 \(milliseconds(percentile(acknowledged, 0.5))), p99 \(milliseconds(percentile(acknowledged, 0.99)))"
        )
        #expect(samples.count == count)
      }
    }
  }
#endif
