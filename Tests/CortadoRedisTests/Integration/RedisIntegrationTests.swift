#if Redis
  import CortadoRedis
  import Foundation
  import NIOCore
  import Testing

  /// Fails (instead of skipping) when CI asked for Redis and it is not there.
  @Suite("Redis integration environment")
  struct RedisEnvironmentTests {
    @Test("redis-server is configured when CORTADO_REQUIRE_REDIS=1")
    func serverConfigured() {
      if RedisTestEnvironment.isAvailable {
        print("Redis integration tests use \(RedisTestEnvironment.serverPath ?? "")")
      } else if RedisTestEnvironment.isRequired {
        Issue.record(
          "CORTADO_REQUIRE_REDIS=1 but CORTADO_REDIS_SERVER (\(RedisTestEnvironment.serverPath ?? "unset")) is not an executable redis-server"
        )
      } else {
        print("Skipping Redis integration tests: \(RedisTestEnvironment.skipMessage)")
      }
    }
  }

  /// Against real `redis-server` processes started by the harness. Serialized: each
  /// test runs its own servers, and 2 cores are shared with the server processes.
  /// Deadlines are generous; no assertion depends on tight timing.
  @Suite(
    "Redis client against redis-server", .serialized,
    .enabled(if: RedisTestEnvironment.isAvailable, RedisTestEnvironment.skipMessage))
  struct RedisIntegrationTests {
    // MARK: Handshake and commands

    @Test("handshake, typed commands, binary and large values, SELECT")
    func commands() async throws {
      try await withRedisServer { server, clients in
        var configuration = server.configuration()
        configuration.database = 1
        configuration.clientName = "cortado-test"
        let client = try await clients.connected(configuration)
        guard case .connected(let info) = await client.state else {
          Issue.record("not connected")
          return
        }
        #expect(info.epoch == 1)
        #expect(info.serverVersion?.isEmpty == false)
        #expect(info.clientID != nil)
        #expect(info.invalidation == .none)
        try await client.ping()

        let binary = (0...255).map { UInt8($0) }
        #expect(try await client.set("bin", value: binary))
        #expect(try await client.get("bin") == binary)
        #expect(try await client.set("empty", value: []))
        #expect(try await client.get("empty") == [])
        let large = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(try await client.set("large", value: large, ttlMilliseconds: 60_000))
        #expect(try await client.get("large") == large)
        #expect(try await client.get("missing") == nil)

        #expect(try await client.set("ttl", value: [1], ttlMilliseconds: 30_000))
        let ttl = try await client.pttl("ttl")
        #expect(ttl > 0 && ttl <= 30_000)
        #expect(try await client.pttl("bin") == -1)
        #expect(try await client.pttl("missing") == -2)
        let entry = try await client.getWithTTL("ttl")
        #expect(entry?.value == [1])
        #expect((entry?.ttlMilliseconds ?? 0) > 0)
        #expect(try await client.getWithTTL("bin")?.ttlMilliseconds == nil)
        #expect(try await client.getWithTTL("missing") == nil)

        #expect(try await client.set("nx", value: [1], condition: .ifNotExists))
        #expect(try await client.set("nx", value: [2], condition: .ifNotExists) == false)
        #expect(try await client.set("xx-missing", value: [1], condition: .ifExists) == false)
        #expect(try await client.mget(["bin", "missing", "nx"]) == [binary, nil, [1]])
        #expect(try await client.del(["bin", "missing"]) == 1)
        #expect(try await client.unlink(["nx", "large"]) == 2)

        // SELECT 1 was applied: the key is not in db 0.
        let db0 = try await clients.connected(server.configuration())
        #expect(try await db0.get("ttl") == nil)
        let clientInfo = try await client.send("CLIENT", "INFO").string ?? ""
        #expect(clientInfo.contains("db=1"))
        #expect(clientInfo.contains("name=cortado-test"))

        // Error replies are thrown, with their code.
        _ = try await client.set("str", value: Array("x".utf8))
        await #expect(throws: RedisClientError.self) { _ = try await client.send("LPUSH", "str", "x") }
        do {
          _ = try await client.send("LPUSH", "str", "x")
        } catch let error as RedisClientError {
          #expect(error.serverErrorCode == "WRONGTYPE")
        }
        // Commands that would break the shared connection are refused locally.
        await #expect(throws: RedisClientError.self) { _ = try await client.send("MULTI") }
        await #expect(throws: RedisClientError.self) { _ = try await client.send("client", "reply", "off") }
        await #expect(throws: RedisClientError.self) { _ = try await client.send("SELECT", "0") }
        // Pipelined replies keep errors as values.
        let replies = try await client.pipeline([
          RedisCommand("ECHO", "a"), RedisCommand("LPUSH", "str", "x"), RedisCommand("ECHO", "b"),
        ])
        #expect(replies[0].string == "a")
        #expect(replies[1].errorMessage?.hasPrefix("WRONGTYPE") == true)
        #expect(replies[2].string == "b")
      }
    }

    @Test("MULTI/EXEC: write and publish atomically; EXECABORT is an error")
    func transactions() async throws {
      try await withRedisServer { server, clients in
        let writer = try await clients.connected(server.configuration())
        let listener = try await clients.connected(server.configuration())
        let events = await EventRecorder.start(listener)
        try await listener.subscribe(["app:__inval"])
        let results = try await writer.transaction([
          RedisClient.setCommand("app:k", value: Array("v".utf8), ttlMilliseconds: 60_000),
          RedisCommand("PUBLISH", "app:__inval", "set app:k"),
        ])
        #expect(results.count == 2)
        #expect(results[0] == .simpleString("OK"))
        #expect(results[1] == .integer(1))
        let delivered = await events.waitUntil { events, _ in
          events.contains(.message(channel: "app:__inval", payload: Array("set app:k".utf8)))
        }
        #expect(delivered)
        #expect(try await writer.get("app:k") == Array("v".utf8))

        do {
          _ = try await writer.transaction([RedisCommand("SET", "a"), RedisCommand("SET", "b", "1")])
          Issue.record("a transaction with a bad command must fail")
        } catch let error as RedisClientError {
          #expect(error.serverErrorCode == "EXECABORT")
        }
        // The connection is still in a clean state afterwards.
        #expect(try await writer.get("b") == nil)
        try await writer.ping()
        try await listener.unsubscribe(["app:__inval"])
        #expect(try await writer.publish(channel: "app:__inval", message: [1]) == 0)
      }
    }

    @Test(
      "publishing to its own channel inside MULTI/EXEC (Redis 7.0 writes the push into EXEC's reply): replies stay matched"
    )
    func publishToSelfInsideTransaction() async throws {
      try await withRedisServer { server, clients in
        let client = try await clients.connected(server.configuration())
        let events = await EventRecorder.start(client)
        try await client.subscribe(["self:ch"])
        try await withThrowingTaskGroup(of: Void.self) { group in
          for worker in 0..<4 {
            group.addTask {
              for i in 0..<50 {
                let results = try await client.transaction([
                  RedisClient.setCommand("self:\(worker)", value: Array("\(i)".utf8)),
                  RedisCommand("PUBLISH", "self:ch", RedisArgument("\(worker)-\(i)")),
                  RedisCommand("ECHO", RedisArgument("e\(worker)-\(i)")),
                ])
                #expect(results == [.simpleString("OK"), .integer(1), .bulk("e\(worker)-\(i)")])
                #expect(
                  try await client.send("ECHO", RedisArgument("after\(worker)-\(i)")).string == "after\(worker)-\(i)")
              }
            }
          }
          try await group.waitForAll()
        }
        let all = await events.waitUntil { events, _ in
          events.filter { if case .message = $0 { true } else { false } }.count == 200
        }
        #expect(all, "every self-published message arrived as a message event")
        #expect(await client.state.isConnected)
      }
    }

    // MARK: Invalidation

    @Test(
      "BCAST tracking: others' writes, DEL, expiry and FLUSHDB invalidate; own writes (NOLOOP) and other prefixes do not"
    )
    func tracking() async throws {
      try await withRedisServer { server, clients in
        let a = try await clients.connected(server.configuration(invalidation: .tracking(prefixes: ["t:"])))
        let b = try await clients.connected(server.configuration(invalidation: .tracking(prefixes: ["t:"])))
        guard case .connected(let info) = await a.state else { return }
        #expect(info.invalidation == .tracking(prefixes: ["t:"]))
        let trackingInfo = try await a.send("CLIENT", "TRACKINGINFO")
        #expect(
          trackingInfo.mapValue(forKey: "flags")?.elements?.compactMap(\.string).sorted() == ["bcast", "noloop", "on"])
        let recorder = await EventRecorder.start(a)

        try await a.set("t:own", value: [1])  // NOLOOP: no push to a
        try await b.set("other:x", value: [1])  // outside the prefix: no push
        try await b.set("t:k", value: [1])
        #expect(await recorder.waitUntil { _, keys in keys.contains("t:k") })
        #expect(await recorder.keys == ["t:k"], "only the key written by another client under the prefix")

        _ = try await b.del(["t:k"])
        try await b.set("t:exp", value: [1], ttlMilliseconds: 50)
        #expect(await recorder.waitForInvalidations(of: "t:k", count: 2), "the write, then DEL")
        #expect(await recorder.waitForInvalidations(of: "t:exp", count: 2), "the write, then the PX expiry")
        // A write made outside this library (redis-cli) is seen too.
        if try server.cli(["SET", "t:cli", "1"]) != nil {
          #expect(await recorder.waitUntil { _, keys in keys.contains("t:cli") })
        }
        _ = try await b.send("FLUSHDB")
        #expect(await recorder.waitUntil { events, _ in events.contains(.flushAll) })
        #expect(await !recorder.keys.contains("t:own"))
        #expect(await !recorder.keys.contains("other:x"))
      }
    }

    @Test("invalidation latency between two clients (measured, printed)")
    func invalidationLatency() async throws {
      try await withRedisServer { server, clients in
        let reader = try await clients.connected(server.configuration(invalidation: .tracking(prefixes: ["lat:"])))
        let writer = try await clients.connected(server.configuration())
        let samples: [Duration] = try await withDeadline(.seconds(60)) {
          var events = reader.events().makeAsyncIterator()
          _ = await reader.state  // the stream is registered
          var samples: [Duration] = []
          for i in 0..<300 {
            let key = "lat:\(i)"
            let start = ContinuousClock.now
            try await writer.set(key, value: [1])
            while let event = await events.next() {
              if case .keys(let keys) = event, keys.contains(key) { break }
            }
            samples.append(ContinuousClock.now - start)
          }
          return samples
        }
        let sorted = samples.sorted()
        print(
          "Invalidation latency, SET on one client → invalidation event on another (n=\(sorted.count), loopback): p50 \(micros(percentile(sorted, 0.5))), p90 \(micros(percentile(sorted, 0.9))), p99 \(micros(percentile(sorted, 0.99))), max \(micros(sorted.last ?? .zero))"
        )
        #expect(samples.count == 300)

        // Round trip and pipelined throughput, for the record (no assertion).
        var roundTrips: [Duration] = []
        for _ in 0..<500 {
          let start = ContinuousClock.now
          _ = try await writer.get("lat:1")
          roundTrips.append(ContinuousClock.now - start)
        }
        roundTrips.sort()
        let operations = 20_000
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
          for worker in 0..<32 {
            group.addTask {
              for i in 0..<(operations / 32) { _ = try await writer.get("lat:\((worker + i) % 300)") }
            }
          }
          try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
          "GET round trip (sequential, n=500): p50 \(micros(percentile(roundTrips, 0.5))), p99 \(micros(percentile(roundTrips, 0.99))); 32 concurrent callers on one connection: \(Int(Double(operations) / seconds)) GET/s"
        )
      }
    }

    @Test("push invalidations interleaved with pipelined replies under load: no reply matched to the wrong request")
    func interleavedUnderLoad() async throws {
      try await withRedisServer { server, clients in
        let a = try await clients.connected(server.configuration(invalidation: .tracking(prefixes: ["load:"])))
        let b = try await clients.connected(server.configuration())
        let recorder = await EventRecorder.start(a)
        let workers = 8
        let iterations = 150
        let noiseWriters = 4
        let noisePerWriter = 400
        try await withThrowingTaskGroup(of: Void.self) { group in
          for writer in 0..<noiseWriters {
            group.addTask {
              for i in 0..<noisePerWriter {
                try await b.set("load:noise:\(writer):\(i)", value: [UInt8(truncatingIfNeeded: i)])
              }
            }
          }
          for worker in 0..<workers {
            group.addTask {
              for i in 0..<iterations {
                let key = "load:own:\(worker):\(i)"
                let value = Array("w\(worker)-i\(i)".utf8)
                try await a.set(key, value: value)
                let token = "tok-\(worker)-\(i)"
                let replies = try await a.pipeline([
                  RedisCommand("GET", RedisArgument(key)),
                  RedisCommand("ECHO", RedisArgument(token)),
                  RedisCommand("INCR", RedisArgument("counter:\(worker)")),
                  RedisCommand("GET", "load:missing"),
                ])
                #expect(replies[0].bytes == value)
                #expect(replies[1].string == token)
                #expect(replies[2] == .integer(Int64(i + 1)))
                #expect(replies[3].isNull)
                #expect(try await a.get(key) == value)
                #expect(try await a.send("ECHO", RedisArgument(token)).string == token)
              }
            }
          }
          try await group.waitForAll()
        }
        let expected = Set((0..<noiseWriters).flatMap { w in (0..<noisePerWriter).map { "load:noise:\(w):\($0)" } })
        let allSeen = await recorder.waitUntil(timeout: .seconds(10)) { _, keys in expected.isSubset(of: keys) }
        #expect(allSeen, "every write by the other client arrived as an invalidation")
        let ownInvalidated = await recorder.keys.filter { $0.hasPrefix("load:own:") }
        #expect(ownInvalidated.isEmpty, "NOLOOP: no invalidations for our own writes")
        let pushCount = await recorder.events.filter { if case .keys = $0 { return true } else { return false } }.count
        print(
          "Load: \(workers * iterations * 9) commands on one connection with \(pushCount) invalidation pushes (\(expected.count) keys) interleaved; all replies matched"
        )
        #expect(await a.state.isConnected)
      }
    }

    // MARK: Failures

    @Test("command timeout (CLIENT PAUSE): the command fails, the connection is recycled, the client recovers")
    func commandTimeout() async throws {
      try await withRedisServer { server, clients in
        let client = try await clients.connected(
          server.configuration(invalidation: .tracking(prefixes: ["p:"]), commandTimeout: .milliseconds(200))
        )
        let admin = try await clients.connected(server.configuration())
        let recorder = await EventRecorder.start(client)
        _ = try await admin.send("CLIENT", "PAUSE", "1000", "ALL")
        let start = ContinuousClock.now
        await #expect(throws: RedisClientError.commandTimeout) { _ = try await client.get("p:k") }
        print("CLIENT PAUSE: command failed after \(micros(ContinuousClock.now - start)) (deadline 200 ms)")
        #expect(
          await recorder.waitUntil { events, _ in
            events.contains { if case .disconnected(let reason) = $0 { reason.kind == .commandTimeout } else { false } }
          })
        // While not connected, commands fail fast.
        if !(await client.state.isConnected) {
          do {
            _ = try await client.get("p:k")
          } catch let error as RedisClientError {
            if case .notConnected = error {
            } else if case .commandTimeout = error {
            } else {
              Issue.record("unexpected error while reconnecting: \(error)")
            }
          }
        }
        let info = try await client.waitForEpoch(2)
        #expect(info.invalidation == .tracking(prefixes: ["p:"]))
        try await client.ping()
      }
    }

    @Test(
      "connect failures: refused port, and a stalled server that accepts TCP but never answers (handshake deadline)")
    func connectFailures() async throws {
      try await withRedisServer { server, clients in
        // Nothing listens on this port.
        var refused = server.configuration()
        refused.port = try RedisTestServer.freePort()
        let nowhere = try await clients.make(refused)
        #expect(try await nowhere.waitForDisconnectReason().kind == .connectFailed)
        await #expect(throws: RedisClientError.self) { try await nowhere.ping() }

        // The kernel completes the TCP handshake for a stopped process, so only
        // the handshake deadline (connectTimeout) can notice.
        server.pause()
        var stalledConfiguration = server.configuration()
        stalledConfiguration.connectTimeout = .milliseconds(300)
        let stalled = try await clients.make(stalledConfiguration)
        let start = ContinuousClock.now
        let reason = try await stalled.waitForDisconnectReason()
        print(
          "Stalled server: handshake gave up after \(micros(ContinuousClock.now - start)) (connectTimeout 300 ms): \(reason)"
        )
        #expect(reason.kind == .handshakeFailed)
        server.resume()
        _ = try await stalled.waitForEpoch(1, timeout: .seconds(15))
        try await stalled.ping()
      }
    }

    @Test("stalled server (SIGSTOP) is detected by the idle health check, then the client reconnects")
    func healthCheckDetectsStall() async throws {
      try await withRedisServer { server, clients in
        var configuration = server.configuration()
        configuration.healthCheckInterval = .milliseconds(200)
        configuration.healthCheckTimeout = .milliseconds(300)
        configuration.connectTimeout = .milliseconds(500)
        let client = try await clients.connected(configuration)
        let recorder = await EventRecorder.start(client)
        let start = ContinuousClock.now
        server.pause()
        let detected = await recorder.waitUntil(timeout: .seconds(10)) { events, _ in
          events.contains {
            if case .disconnected(let reason) = $0 { reason.kind == .healthCheckTimeout } else { false }
          }
        }
        let detection = ContinuousClock.now - start
        server.resume()
        #expect(detected, "the idle connection to a stalled server was closed by the health check")
        print(
          "Stalled server detected by the health check after \(micros(detection)) (interval 200 ms, deadline 300 ms)")
        _ = try await client.waitForEpoch(2, timeout: .seconds(15))
        try await client.ping()
      }
    }

    @Test("killed connection (CLIENT KILL): reconnect, tracking restored, events in order")
    func clientKill() async throws {
      try await withRedisServer { server, clients in
        let client = try await clients.connected(server.configuration(invalidation: .tracking(prefixes: ["k:"])))
        let admin = try await clients.connected(server.configuration())
        let recorder = await EventRecorder.start(client)
        guard case .connected(let first) = await client.state, let id = first.clientID else {
          Issue.record("no client id")
          return
        }
        #expect(try await admin.send("CLIENT", "KILL", "ID", RedisArgument(id)) == .integer(1))
        let second = try await client.waitForEpoch(2)
        #expect(second.clientID != id)
        #expect(second.invalidation == .tracking(prefixes: ["k:"]))
        let trackingInfo = try await client.send("CLIENT", "TRACKINGINFO")
        #expect(
          trackingInfo.mapValue(forKey: "flags")?.elements?.compactMap(\.string).sorted() == ["bcast", "noloop", "on"])
        #expect(trackingInfo.mapValue(forKey: "prefixes")?.elements?.compactMap(\.string) == ["k:"])
        try await admin.set("k:after", value: [1])
        #expect(await recorder.waitUntil { _, keys in keys.contains("k:after") })
        let lifecycle = await recorder.events.filter {
          switch $0 {
          case .connected, .disconnected: return true
          default: return false
          }
        }
        guard lifecycle.count >= 2, case .disconnected(let reason) = lifecycle[0],
          case .connected(let info) = lifecycle[1]
        else {
          Issue.record("expected disconnected then connected, got \(lifecycle)")
          return
        }
        #expect(reason.kind == .closedByPeer)
        #expect(info.epoch == 2)
      }
    }

    @Test("server restart on the same port: fail fast while down, reconnect and re-track after")
    func serverRestart() async throws {
      try await withRedisServer { server, clients in
        let client = try await clients.connected(server.configuration(invalidation: .tracking(prefixes: ["r:"])))
        let writer = try await clients.connected(server.configuration())
        let recorder = await EventRecorder.start(client)
        await server.shutdown()
        _ = try await client.waitForDisconnect()
        let start = ContinuousClock.now
        do {
          _ = try await client.get("r:k")
          Issue.record("a command must fail while the server is down")
        } catch let error as RedisClientError {
          guard case .notConnected = error else {
            Issue.record("expected notConnected, got \(error)")
            return
          }
        }
        print("While down, a command failed fast after \(micros(ContinuousClock.now - start))")
        try await server.start()
        let info = try await client.waitForEpoch(2, timeout: .seconds(15))
        #expect(info.invalidation == .tracking(prefixes: ["r:"]))
        _ = try await writer.waitForEpoch(2, timeout: .seconds(15))
        try await writer.set("r:after", value: [1])
        #expect(await recorder.waitUntil { _, keys in keys.contains("r:after") })
        #expect(await recorder.events.contains { if case .disconnected = $0 { true } else { false } })
      }
    }

    // MARK: Authentication

    @Test("password auth; a wrong password never connects and is reported")
    func passwordAuth() async throws {
      try await withRedisServer(extraArguments: ["--requirepass", "s3cret"]) { server, clients in
        var good = server.configuration()
        good.password = "s3cret"
        let client = try await clients.connected(good)
        try await client.ping()

        var bad = server.configuration()
        bad.password = "wrong"
        let rejected = try await clients.make(bad)
        await #expect(throws: RedisClientError.self) {
          try await rejected.waitUntilConnected(timeout: .milliseconds(500))
        }
        #expect(try await rejected.waitForDisconnectReason().kind == .authenticationFailed)

        var none = server.configuration()
        none.password = nil
        let anonymous = try await clients.make(none)
        await #expect(throws: RedisClientError.self) {
          try await anonymous.waitUntilConnected(timeout: .milliseconds(500))
        }
      }
    }

    @Test("ACL user; a user without client|tracking falls back to pub/sub (.automatic) or fails (.tracking)")
    func aclUsers() async throws {
      try await withRedisServer { server, clients in
        let admin = try await clients.connected(server.configuration())
        _ = try await admin.send("ACL", "SETUSER", "alice", "on", ">pw", "~*", "&*", "+@all")
        _ = try await admin.send("ACL", "SETUSER", "notrack", "on", ">pw", "~*", "&*", "+@all", "-client|tracking")

        var alice = server.configuration(invalidation: .automatic(prefixes: ["acl:"], fallbackChannel: "acl:__inval"))
        alice.username = "alice"
        alice.password = "pw"
        let aliceClient = try await clients.connected(alice)
        guard case .connected(let aliceInfo) = await aliceClient.state else { return }
        #expect(aliceInfo.invalidation == .tracking(prefixes: ["acl:"]))
        #expect(try await aliceClient.send("ACL", "WHOAMI").string == "alice")

        var fallback = server.configuration(
          invalidation: .automatic(prefixes: ["acl:"], fallbackChannel: "acl:__inval"))
        fallback.username = "notrack"
        fallback.password = "pw"
        let fallbackClient = try await clients.connected(fallback)
        guard case .connected(let fallbackInfo) = await fallbackClient.state else { return }
        #expect(fallbackInfo.invalidation == .pubSub(channel: "acl:__inval"))
        let recorder = await EventRecorder.start(fallbackClient)
        // The fallback protocol: write and publish in one MULTI/EXEC.
        _ = try await aliceClient.transaction([
          RedisClient.setCommand("acl:k", value: [1]),
          RedisCommand("PUBLISH", "acl:__inval", "acl:k"),
        ])
        #expect(
          await recorder.waitUntil { events, _ in
            events.contains(.message(channel: "acl:__inval", payload: Array("acl:k".utf8)))
          })
        // The subscription survives a reconnect.
        fallbackClient.closeConnection()
        _ = try await fallbackClient.waitForEpoch(2)
        _ = try await aliceClient.publish(channel: "acl:__inval", message: Array("again".utf8))
        #expect(
          await recorder.waitUntil { events, _ in
            events.contains(.message(channel: "acl:__inval", payload: Array("again".utf8)))
          })

        var strict = server.configuration(invalidation: .tracking(prefixes: ["acl:"]))
        strict.username = "notrack"
        strict.password = "pw"
        let strictClient = try await clients.make(strict)
        await #expect(throws: RedisClientError.self) {
          try await strictClient.waitUntilConnected(timeout: .milliseconds(500))
        }
        #expect(try await strictClient.waitForDisconnectReason().kind == .trackingRefused)

        var wrongUser = server.configuration()
        wrongUser.username = "alice"
        wrongUser.password = "nope"
        let wrongClient = try await clients.make(wrongUser)
        await #expect(throws: RedisClientError.self) {
          try await wrongClient.waitUntilConnected(timeout: .milliseconds(500))
        }
        #expect(try await wrongClient.waitForDisconnectReason().kind == .authenticationFailed)
      }
    }

    // MARK: TLS

    @Test(
      "TLS with a CA made by openssl: verified by name; untrusted CA, wrong name, IP without SAN and plaintext fail")
    func tls() async throws {
      try await withRedisServer(tls: true) { server, clients in
        guard let certificates = server.certificates else { return }
        // 127.0.0.1, checking the certificate against the name "localhost".
        var byIP = server.configuration(invalidation: .tracking(prefixes: ["tls:"]))
        byIP.tls = try .verifying(caCertificatePath: certificates.caCertificate, serverName: "localhost")
        let client = try await clients.connected(byIP)
        try await client.ping()
        let recorder = await EventRecorder.start(client)

        // host "localhost": the name comes from the host.
        var byName = server.configuration()
        byName.host = "localhost"
        byName.tls = try .verifying(caCertificatePath: certificates.caCertificate)
        let named = try await clients.connected(byName)
        try await named.set("tls:k", value: Array("secret".utf8))
        #expect(try await named.get("tls:k") == Array("secret".utf8))
        #expect(await recorder.waitUntil { _, keys in keys.contains("tls:k") })

        func expectTLSFailure(_ configuration: RedisClientConfiguration, _ what: Comment) async throws {
          let failing = try await clients.make(configuration)
          await #expect(throws: RedisClientError.self, what) {
            try await failing.waitUntilConnected(timeout: .milliseconds(800))
          }
          let reason = try await failing.waitForDisconnectReason()
          #expect(reason.kind == .tlsFailed, "\(what): \(reason)")
        }
        var untrusted = server.configuration()
        untrusted.tls = try .verifying(caCertificatePath: certificates.otherCACertificate, serverName: "localhost")
        try await expectTLSFailure(untrusted, "certificate from an untrusted CA")

        var wrongName = server.configuration()
        wrongName.tls = try .verifying(caCertificatePath: certificates.caCertificate, serverName: "redis.example.com")
        try await expectTLSFailure(wrongName, "wrong server name")

        var ipOnly = server.configuration()
        ipOnly.tls = try .verifying(caCertificatePath: certificates.caCertificate)
        try await expectTLSFailure(ipOnly, "IP address not in the certificate")

        // Plain text to a TLS port does not connect either.
        let plain = try await clients.make(server.configuration())
        await #expect(throws: RedisClientError.self) { try await plain.waitUntilConnected(timeout: .milliseconds(800)) }
      }
    }

    // MARK: Lifecycle

    @Test("a consumer that falls behind gets .eventsDropped instead of unbounded buffering")
    func slowConsumer() async throws {
      try await withRedisServer { server, clients in
        var configuration = server.configuration(invalidation: .tracking(prefixes: ["o:"]))
        configuration.eventBufferLimit = 3
        let client = try await clients.connected(configuration)
        let writer = try await clients.connected(server.configuration())
        let stream = client.events()
        _ = await client.state  // registered
        for i in 0..<10 {
          try await writer.set("o:\(i)", value: [1])
        }
        // Replies and pushes share the client's connection in order: once this
        // PING returns, every push before it has been handled.
        try await client.ping()
        let drained: [RedisClientEvent] = try await withDeadline(.seconds(10)) {
          var iterator = stream.makeAsyncIterator()
          var events: [RedisClientEvent] = []
          for _ in 0..<3 {
            if let event = await iterator.next() { events.append(event) }
          }
          try await writer.set("o:final", value: [1])
          try await client.ping()
          while let event = await iterator.next() {
            events.append(event)
            if event == .keys(["o:final"]) { break }
          }
          return events
        }
        #expect(drained.count == 5, "\(drained)")
        #expect(drained.prefix(3).allSatisfy { if case .keys = $0 { true } else { false } })
        #expect(drained.dropFirst(3).first == .eventsDropped)
        #expect(drained.last == .keys(["o:final"]))
      }
    }

    @Test("shutdown fails later commands, finishes streams; state updates are observable")
    func lifecycle() async throws {
      try await withRedisServer { server, clients in
        let client = try await clients.make(server.configuration(), start: false)
        #expect(await client.state == .idle)
        await #expect(throws: RedisClientError.self) { try await client.ping() }
        let states = client.stateUpdates()
        client.start()
        try await client.waitUntilConnected(timeout: .seconds(10))
        let events = client.events()
        await client.shutdown()
        await #expect(throws: RedisClientError.shutdown) { try await client.ping() }
        var seen: [RedisConnectionState] = []
        for await state in states { seen.append(state) }
        #expect(seen.first == .idle)
        #expect(seen.contains { $0.isConnected })
        #expect(seen.last == .shutdown)
        var count = 0
        for await _ in events { count += 1 }  // finishes
        #expect(count <= 1)
      }
    }
  }
#endif
