#if Redis
  import CortadoRedis
  import Foundation
  import Testing

  #if canImport(Glibc)
    import Glibc
  #elseif canImport(Darwin)
    import Darwin
  #endif

  /// Where the integration tests find Redis.
  ///
  /// - `CORTADO_REDIS_SERVER`: path of `redis-server`. Unset: the integration suites
  ///   are skipped with a message.
  /// - `CORTADO_REQUIRE_REDIS=1` (set by `.ci/run`): a missing or unusable server is a
  ///   test failure instead, so CI never skips silently.
  /// - `CORTADO_REDIS_CLI`: path of `redis-cli` (default: next to the server).
  enum RedisTestEnvironment {
    static let environment = ProcessInfo.processInfo.environment

    static var serverPath: String? {
      guard let path = environment["CORTADO_REDIS_SERVER"], !path.isEmpty else { return nil }
      return path
    }

    static var isRequired: Bool { environment["CORTADO_REQUIRE_REDIS"] == "1" }

    static var isAvailable: Bool {
      guard let path = serverPath else { return false }
      return FileManager.default.isExecutableFile(atPath: path)
    }

    static var cliPath: String? {
      if let path = environment["CORTADO_REDIS_CLI"], !path.isEmpty { return path }
      guard let server = serverPath else { return nil }
      let candidate = URL(fileURLWithPath: server).deletingLastPathComponent().appendingPathComponent("redis-cli").path
      return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    static let skipMessage: Comment =
      "CORTADO_REDIS_SERVER is not set to an executable redis-server: Redis integration tests skipped (set CORTADO_REQUIRE_REDIS=1 to fail instead)"
  }

  #if os(Linux)
    let streamSocketType = Int32(SOCK_STREAM.rawValue)
  #else
    let streamSocketType = SOCK_STREAM
  #endif

  func sendSignal(_ pid: Int32, _ signal: Int32) {
    _ = kill(pid, signal)
  }

  struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  /// TLS material made by `openssl` for one test: a throwaway CA and a server
  /// certificate for `localhost` only. (No IP SAN on purpose: NIOSSL accepts a
  /// certificate whose IP SAN matches the peer address whatever the expected name,
  /// so an IP SAN would make the wrong-name case untestable.)
  struct TestCertificates {
    let directory: String
    var caCertificate: String { self.directory + "/ca.crt" }
    var serverCertificate: String { self.directory + "/server.crt" }
    var serverKey: String { self.directory + "/server.key" }
    /// A second CA that signed nothing (for the "untrusted" case).
    var otherCACertificate: String { self.directory + "/other-ca.crt" }

    static func make(in directory: String) throws -> TestCertificates {
      let certificates = TestCertificates(directory: directory)
      let ext = directory + "/server.ext"
      try
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\n"
        .write(toFile: ext, atomically: true, encoding: .utf8)
      let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
      try runTool(
        "openssl",
        ["req", "-x509"] + ec + [
          "-keyout", directory + "/ca.key", "-out", certificates.caCertificate,
          "-days", "2", "-subj", "/CN=Cortado Test CA",
        ])
      try runTool(
        "openssl",
        ["req", "-x509"] + ec + [
          "-keyout", directory + "/other-ca.key", "-out", certificates.otherCACertificate,
          "-days", "2", "-subj", "/CN=Cortado Other CA",
        ])
      try runTool(
        "openssl",
        ["req", "-new"] + ec + [
          "-keyout", certificates.serverKey, "-out", directory + "/server.csr",
          "-subj", "/CN=localhost",
        ])
      try runTool(
        "openssl",
        [
          "x509", "-req", "-in", directory + "/server.csr", "-CA", certificates.caCertificate,
          "-CAkey", directory + "/ca.key", "-CAcreateserial", "-out", certificates.serverCertificate, "-days", "2",
          "-extfile", ext,
        ])
      return certificates
    }
  }

  /// Runs a tool (looked up in PATH unless absolute) and returns its stdout.
  @discardableResult
  func runTool(_ tool: String, _ arguments: [String]) throws -> String {
    let process = Process()
    if tool.hasPrefix("/") {
      process.executableURL = URL(fileURLWithPath: tool)
      process.arguments = arguments
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [tool] + arguments
    }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw HarnessError(
        "\(tool) \(arguments.first ?? "") failed (\(process.terminationStatus)): \(String(decoding: errorData, as: UTF8.self))"
      )
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// One `redis-server` process owned by a test: loopback only, a free non-default
  /// port, persistence off, its own temporary directory. It can be stopped,
  /// killed, paused (SIGSTOP: a stalled server whose socket stays open) and
  /// restarted on the same port. `withRedisServer` always stops it at the end.
  final class RedisTestServer {
    let port: Int
    let directory: String
    let extraArguments: [String]
    let certificates: TestCertificates?
    private var process: Process?

    init(extraArguments: [String] = [], tls: Bool = false) throws {
      guard let server = RedisTestEnvironment.serverPath else { throw HarnessError("CORTADO_REDIS_SERVER is not set") }
      _ = server
      self.port = try Self.freePort()
      let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("cortado-redis-\(UUID().uuidString.prefix(8))").path
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      self.directory = directory
      self.extraArguments = extraArguments
      self.certificates = tls ? try TestCertificates.make(in: directory) : nil
    }

    deinit {
      self.kill()
      try? FileManager.default.removeItem(atPath: self.directory)
    }

    var logPath: String { self.directory + "/redis.log" }

    var arguments: [String] {
      var arguments = [
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
        "--dir", self.directory, "--logfile", self.logPath,
      ]
      if let certificates {
        arguments += [
          "--port", "0", "--tls-port", String(self.port),
          "--tls-cert-file", certificates.serverCertificate, "--tls-key-file", certificates.serverKey,
          "--tls-ca-cert-file", certificates.caCertificate, "--tls-auth-clients", "no",
        ]
      } else {
        arguments += ["--port", String(self.port)]
      }
      return arguments + self.extraArguments
    }

    /// Starts the server and waits (up to 10 s) until its port accepts connections.
    func start() async throws {
      guard let path = RedisTestEnvironment.serverPath else { throw HarnessError("CORTADO_REDIS_SERVER is not set") }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: path)
      process.arguments = self.arguments
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      self.process = process
      var patience = Patience(.seconds(10))
      while !patience.isExhausted {
        if Self.canConnect(port: self.port) { return }
        try await Task.sleep(for: .milliseconds(10))
      }
      self.kill()
      throw HarnessError("redis-server did not listen on \(self.port) within 10 s: \(self.log())")
    }

    /// Stops the server with SIGKILL (instant; with persistence off nothing is
    /// lost) and reaps it.
    ///
    /// Not SIGTERM: a process spawned from a dispatch worker thread inherits that
    /// thread's blocked-signal mask, so redis-server would ignore SIGTERM. SIGKILL,
    /// SIGSTOP and SIGCONT cannot be blocked. See `shutdown()` for a graceful stop.
    func stop() {
      guard let process = self.process else { return }
      self.process = nil
      sendSignal(process.processIdentifier, SIGKILL)
      // Foundation's `isRunning` is only refreshed by a run loop on Linux;
      // waitUntilExit() runs one.
      process.waitUntilExit()
    }

    /// A graceful stop: `SHUTDOWN NOSAVE`, so Redis closes its clients itself; then
    /// waits for the port to close and reaps the process (SIGKILL as a backstop).
    func shutdown() async {
      guard self.process != nil else { return }
      if let admin = try? RedisClient(configuration: self.configuration()) {
        admin.start()
        if (try? await admin.waitUntilConnected(timeout: .seconds(5))) != nil {
          _ = try? await admin.send("SHUTDOWN", "NOSAVE")
        }
        await admin.shutdown()
      }
      var patience = Patience(.seconds(5))
      while Self.canConnect(port: self.port) && !patience.isExhausted {
        try? await Task.sleep(for: .milliseconds(10))
      }
      self.stop()
    }

    /// SIGKILL: a crash.
    func kill() {
      self.stop()
    }

    /// SIGSTOP: the process freezes, its sockets stay open (a stalled server).
    func pause() {
      if let process = self.process { sendSignal(process.processIdentifier, SIGSTOP) }
    }

    func resume() {
      if let process = self.process { sendSignal(process.processIdentifier, SIGCONT) }
    }

    func restart() async throws {
      self.stop()
      try await self.start()
    }

    func log() -> String {
      (try? String(contentsOfFile: self.logPath, encoding: .utf8)).map { String($0.suffix(2000)) } ?? "(no log)"
    }

    /// Runs `redis-cli -p <port> args...`, or returns nil when redis-cli is not there.
    func cli(_ arguments: [String]) throws -> String? {
      guard let cli = RedisTestEnvironment.cliPath else { return nil }
      return try runTool(cli, ["-h", "127.0.0.1", "-p", String(self.port)] + arguments)
    }

    func configuration(
      invalidation: RedisInvalidationConfiguration = .none,
      commandTimeout: Duration = .seconds(2)
    ) -> RedisClientConfiguration {
      var configuration = RedisClientConfiguration(host: "127.0.0.1", port: self.port)
      configuration.commandTimeout = commandTimeout
      configuration.connectTimeout = .seconds(2)
      configuration.invalidation = invalidation
      configuration.reconnectBackoff = RedisBackoff(initial: .milliseconds(20), maximum: .milliseconds(500))
      return configuration
    }

    static func freePort() throws -> Int {
      let fd = socket(AF_INET, streamSocketType, 0)
      guard fd >= 0 else { throw HarnessError("socket() failed") }
      defer { close(fd) }
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = 0
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
      guard bound == 0 else { throw HarnessError("bind() failed") }
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
      }
      guard named == 0 else { throw HarnessError("getsockname() failed") }
      return Int(UInt16(bigEndian: address.sin_port))
    }

    static func canConnect(port: Int) -> Bool {
      let fd = socket(AF_INET, streamSocketType, 0)
      guard fd >= 0 else { return false }
      defer { close(fd) }
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = UInt16(port).bigEndian
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      } == 0
    }
  }

  /// Starts a server, runs `body`, and always stops the server (and every client the
  /// body registered) afterwards, also when `body` throws.
  func withRedisServer<T>(
    extraArguments: [String] = [],
    tls: Bool = false,
    _ body: (RedisTestServer, ClientRegistry) async throws -> T
  ) async throws -> T {
    let server = try RedisTestServer(extraArguments: extraArguments, tls: tls)
    try await server.start()
    let registry = ClientRegistry()
    do {
      let result = try await body(server, registry)
      await registry.shutdownAll()
      server.stop()
      return result
    } catch {
      await registry.shutdownAll()
      print("redis-server log (port \(server.port)):\n\(server.log())")
      server.stop()
      throw error
    }
  }

  /// Clients made in a test, shut down at its end.
  actor ClientRegistry {
    private var clients: [RedisClient] = []

    func make(_ configuration: RedisClientConfiguration, start: Bool = true) throws -> RedisClient {
      let client = try RedisClient(configuration: configuration)
      self.clients.append(client)
      if start { client.start() }
      return client
    }

    /// A started client that is connected (waits up to 10 s).
    func connected(_ configuration: RedisClientConfiguration) async throws -> RedisClient {
      let client = try self.make(configuration)
      try await client.waitUntilConnected(timeout: .seconds(10))
      return client
    }

    func shutdownAll() async {
      for client in self.clients { await client.shutdown() }
      self.clients.removeAll()
    }
  }

  /// Collects a client's events in the background, for waiting with a deadline.
  actor EventRecorder {
    private(set) var events: [RedisClientEvent] = []
    private(set) var keys: Set<String> = []
    /// How many invalidations named each key (pushes may batch several keys).
    private(set) var keyCounts: [String: Int] = [:]
    private var task: Task<Void, Never>?

    static func start(_ client: RedisClient) async -> EventRecorder {
      let recorder = EventRecorder()
      let stream = client.events()
      await recorder.run(stream)
      // events() registers on the client's loop; a round trip there makes sure it did.
      _ = await client.state
      return recorder
    }

    private func run(_ stream: AsyncStream<RedisClientEvent>) {
      self.task = Task { [weak self] in
        for await event in stream {
          await self?.record(event)
        }
      }
    }

    private func record(_ event: RedisClientEvent) {
      self.events.append(event)
      if case .keys(let keys) = event {
        self.keys.formUnion(keys)
        for key in keys { self.keyCounts[key, default: 0] += 1 }
      }
    }

    /// Waits until `predicate` holds for the events so far (polling every 5 ms), up
    /// to `timeout`. Returns whether it held.
    func waitUntil(timeout: Duration = .seconds(5), _ predicate: ([RedisClientEvent], Set<String>) -> Bool) async
      -> Bool
    {
      var patience = Patience(timeout)
      while !patience.isExhausted {
        if predicate(self.events, self.keys) { return true }
        try? await Task.sleep(for: .milliseconds(5))
      }
      return predicate(self.events, self.keys)
    }

    /// Waits until `key` was invalidated at least `count` times.
    func waitForInvalidations(of key: String, count: Int, timeout: Duration = .seconds(5)) async -> Bool {
      var patience = Patience(timeout)
      while !patience.isExhausted {
        if self.keyCounts[key, default: 0] >= count { return true }
        try? await Task.sleep(for: .milliseconds(5))
      }
      return self.keyCounts[key, default: 0] >= count
    }

    func stop() {
      self.task?.cancel()
    }
  }

  extension RedisClient {
    /// Waits (up to `timeout`) for a connected state with an epoch of at least `epoch`.
    func waitForEpoch(_ epoch: UInt64, timeout: Duration = .seconds(10)) async throws -> RedisConnectionInfo {
      var patience = Patience(timeout)
      while !patience.isExhausted {
        if case .connected(let info) = await self.state, info.epoch >= epoch { return info }
        try await Task.sleep(for: .milliseconds(10))
      }
      throw HarnessError("no connection with epoch >= \(epoch) within \(timeout); state: \(await self.state)")
    }

    /// Waits (up to `timeout`) for a `disconnected` state and returns its reason
    /// (a reconnecting client passes through `connecting` in between).
    func waitForDisconnectReason(timeout: Duration = .seconds(5)) async throws -> RedisDisconnectReason {
      var patience = Patience(timeout)
      while !patience.isExhausted {
        if case .disconnected(let reason) = await self.state { return reason }
        try await Task.sleep(for: .milliseconds(2))
      }
      throw HarnessError("no disconnected state within \(timeout); state: \(await self.state)")
    }

    /// Waits (up to `timeout`) until the state is not `connected`.
    func waitForDisconnect(timeout: Duration = .seconds(10)) async throws -> RedisConnectionState {
      var patience = Patience(timeout)
      while !patience.isExhausted {
        let state = await self.state
        if !state.isConnected { return state }
        try await Task.sleep(for: .milliseconds(5))
      }
      throw HarnessError("still connected after \(timeout)")
    }
  }

  /// Runs `body` with a deadline; throws when it does not finish in time.
  func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws
    -> T
  {
    try await withThrowingTaskGroup(of: T.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await Task.sleep(for: timeout)
        throw HarnessError("timed out after \(timeout)")
      }
      guard let result = try await group.next() else { throw HarnessError("no result") }
      group.cancelAll()
      return result
    }
  }

  func percentile(_ sorted: [Duration], _ p: Double) -> Duration {
    guard !sorted.isEmpty else { return .zero }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
  }

  func micros(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    return String(format: "%.0f µs", Double(seconds) * 1e6 + Double(attoseconds) / 1e12)
  }
  /// A deadline for polling loops that stretches when the test process is
  /// starved: it runs out only once `timeout` has passed *and* the loop has
  /// polled at least once per `interval` of it. On a 2-core machine other tests
  /// can keep the cooperative pool busy for seconds, during which neither the
  /// polling task nor the work it waits for runs.
  struct Patience {
    let deadline: ContinuousClock.Instant
    let minimumPolls: Int
    var polls = 0

    init(_ timeout: Duration, interval: Duration = .milliseconds(5)) {
      self.deadline = ContinuousClock.now + timeout
      self.minimumPolls = Int(timeout / interval)
    }

    /// Counts one poll; true once both the time and the polls are used up.
    var isExhausted: Bool {
      mutating get {
        self.polls += 1
        return self.polls > self.minimumPolls && ContinuousClock.now >= self.deadline
      }
    }
  }
#endif
