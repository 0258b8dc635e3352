#if Redis
  import NIOCore
  import NIOSSL

  /// Everything a `RedisClient` needs to connect and stay connected.
  ///
  /// Defaults are tuned for a cache on a nearby server: short command deadlines, a
  /// 1 s idle health check, and quick reconnects (see docs/redis-client.md).
  public struct RedisClientConfiguration: Sendable {
    /// Host name or IP address of the server.
    public var host: String
    /// TCP port of the server (6379 by default).
    public var port: Int
    /// ACL user name; `nil` authenticates as `default` when a password is set.
    public var username: String?
    /// Password for `AUTH` (with `username`, an ACL user); `nil` for none.
    public var password: String?
    /// Database selected with `SELECT` during every handshake.
    public var database: Int
    /// Sent with `HELLO ... SETNAME` (visible in `CLIENT LIST`).
    public var clientName: String?
    /// TLS for the connection; `nil` for plain TCP.
    public var tls: RedisTLSConfiguration?

    /// TCP connect deadline; the same deadline also bounds the TLS handshake and the
    /// Redis handshake (HELLO/SELECT/TRACKING), which are measured from the moment
    /// the TCP connection is up.
    public var connectTimeout: Duration
    /// Default deadline of every command. A command that misses it fails with
    /// `RedisClientError.commandTimeout` and the connection is closed (see
    /// `RedisChannelHandler` for why).
    public var commandTimeout: Duration
    /// Send a PING when the connection has been idle (nothing received and nothing
    /// pending) for this long; `nil` turns health checks off.
    public var healthCheckInterval: Duration?
    /// Deadline of a health-check PING; `nil` uses `commandTimeout`.
    public var healthCheckTimeout: Duration?
    /// Delay between reconnect attempts.
    public var reconnectBackoff: RedisBackoff
    /// How this client learns about writes made elsewhere.
    public var invalidation: RedisInvalidationConfiguration
    /// Most commands waiting for a reply on the connection; beyond it commands fail
    /// fast with `RedisClientError.overloaded`.
    public var maxInFlight: Int
    /// Bounds on what the server may send (see `RESPDecoder.Limits`).
    public var decoderLimits: RESPDecoder.Limits
    /// Events buffered per `events()` stream before the client reports
    /// `.eventsDropped` instead (a slow consumer never makes the client block or
    /// grow without bound).
    public var eventBufferLimit: Int

    /// A configuration with the given settings; every parameter has the default
    /// described on its property.
    public init(
      host: String = "127.0.0.1",
      port: Int = 6379,
      username: String? = nil,
      password: String? = nil,
      database: Int = 0,
      clientName: String? = nil,
      tls: RedisTLSConfiguration? = nil,
      connectTimeout: Duration = .seconds(1),
      commandTimeout: Duration = .milliseconds(500),
      healthCheckInterval: Duration? = .seconds(1),
      healthCheckTimeout: Duration? = nil,
      reconnectBackoff: RedisBackoff = RedisBackoff(),
      invalidation: RedisInvalidationConfiguration = .none,
      maxInFlight: Int = 1024,
      decoderLimits: RESPDecoder.Limits = RESPDecoder.Limits(),
      eventBufferLimit: Int = 100_000
    ) {
      self.host = host
      self.port = port
      self.username = username
      self.password = password
      self.database = database
      self.clientName = clientName
      self.tls = tls
      self.connectTimeout = connectTimeout
      self.commandTimeout = commandTimeout
      self.healthCheckInterval = healthCheckInterval
      self.healthCheckTimeout = healthCheckTimeout
      self.reconnectBackoff = reconnectBackoff
      self.invalidation = invalidation
      self.maxInFlight = maxInFlight
      self.decoderLimits = decoderLimits
      self.eventBufferLimit = eventBufferLimit
    }

    func validate() throws(RedisClientError) {
      guard (1...65535).contains(self.port) else { throw .invalidConfiguration("port \(self.port) is out of range") }
      guard self.database >= 0 else { throw .invalidConfiguration("database must not be negative") }
      guard self.connectTimeout > .zero, self.commandTimeout > .zero else {
        throw .invalidConfiguration("timeouts must be positive")
      }
      if let interval = self.healthCheckInterval, interval <= .zero {
        throw .invalidConfiguration("healthCheckInterval must be positive")
      }
      guard self.maxInFlight > 0, self.eventBufferLimit > 0 else {
        throw .invalidConfiguration("maxInFlight and eventBufferLimit must be positive")
      }
      guard self.reconnectBackoff.initial > .zero, self.reconnectBackoff.maximum >= self.reconnectBackoff.initial,
        (0.0...1.0).contains(self.reconnectBackoff.jitter)
      else { throw .invalidConfiguration("backoff needs 0 < initial <= maximum and jitter in 0...1") }
      if self.username != nil && self.password == nil {
        throw .invalidConfiguration("a username needs a password")
      }
      try self.invalidation.validate()
    }
  }

  /// Reconnect delays: exponential growth from `initial` to `maximum`, with jitter.
  ///
  /// Attempt n (0-based) waits `base = min(maximum, initial * 2^n)`, of which the
  /// fraction `jitter` is randomised: `delay = base * (1 - jitter) + random(0...base * jitter)`.
  /// `jitter = 1` is "full jitter", which best spreads a fleet of clients that all lost
  /// the same server; the default keeps half of the delay fixed so that a client
  /// never retries in a tight loop.
  public struct RedisBackoff: Sendable, Hashable {
    /// The delay before the first reconnect attempt.
    public var initial: Duration
    /// The longest delay, however many attempts failed.
    public var maximum: Duration
    /// The randomised fraction of each delay, from 0 (none) to 1 ("full jitter").
    public var jitter: Double

    /// A backoff from `initial` doubling up to `maximum`, with `jitter`.
    public init(initial: Duration = .milliseconds(50), maximum: Duration = .seconds(5), jitter: Double = 0.5) {
      self.initial = initial
      self.maximum = maximum
      self.jitter = jitter
    }

    /// The delay before attempt `attempt` (0-based), using `random` for the jitter.
    public func delay(attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
      let shift = min(max(attempt, 0), 30)
      let initialNanos = Double(self.initial.nanoseconds)
      let base = min(Double(self.maximum.nanoseconds), initialNanos * Double(1 << shift))
      let jittered = base * (1 - self.jitter) + Double.random(in: 0...1, using: &random) * base * self.jitter
      return .nanoseconds(Int64(max(0, jittered)))
    }
  }

  extension Duration {
    var nanoseconds: Int64 {
      let (seconds, attoseconds) = self.components
      return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
  }

  /// How the client is told about writes made by others.
  public struct RedisInvalidationConfiguration: Sendable, Hashable {
    /// The mechanism.
    public enum Mode: Sendable, Hashable {
      /// No invalidations.
      case none
      /// `CLIENT TRACKING ON BCAST PREFIX ... NOLOOP` on the command connection;
      /// the connection fails if the server refuses it.
      case tracking
      /// `SUBSCRIBE <channel>` on the command connection; writers must `PUBLISH`.
      case pubSub
      /// Tracking, falling back to pub/sub when the server refuses tracking (old
      /// server, or an ACL without `client|tracking`).
      case automatic
    }

    /// The mechanism in use.
    public var mode: Mode
    /// BCAST prefixes (must not overlap; empty means every key).
    public var prefixes: [String]
    /// Pub/sub channel for `.pubSub` and the `.automatic` fallback.
    public var channel: String?
    /// Add `NOLOOP`: no invalidations for this connection's own writes.
    public var noLoop: Bool

    /// A configuration with the given mechanism and parameters; prefer the
    /// static factories below.
    public init(mode: Mode, prefixes: [String] = [], channel: String? = nil, noLoop: Bool = true) {
      self.mode = mode
      self.prefixes = prefixes
      self.channel = channel
      self.noLoop = noLoop
    }

    /// No invalidations.
    public static let none = RedisInvalidationConfiguration(mode: .none)

    /// Server-assisted tracking in broadcast mode for `prefixes`.
    public static func tracking(prefixes: [String], noLoop: Bool = true) -> Self {
      .init(mode: .tracking, prefixes: prefixes, noLoop: noLoop)
    }

    /// Invalidations published by writers on `channel`.
    public static func pubSub(channel: String) -> Self {
      .init(mode: .pubSub, channel: channel)
    }

    /// Tracking for `prefixes`, falling back to pub/sub on `fallbackChannel`
    /// when the server refuses tracking.
    public static func automatic(prefixes: [String], fallbackChannel: String, noLoop: Bool = true) -> Self {
      .init(mode: .automatic, prefixes: prefixes, channel: fallbackChannel, noLoop: noLoop)
    }

    func validate() throws(RedisClientError) {
      for (i, a) in self.prefixes.enumerated() {
        for (j, b) in self.prefixes.enumerated() where i != j && b.hasPrefix(a) {
          // Redis refuses overlapping BCAST prefixes; say so before connecting.
          throw .invalidConfiguration("tracking prefixes '\(a)' and '\(b)' overlap")
        }
      }
      switch self.mode {
      case .pubSub, .automatic:
        guard let channel = self.channel, !channel.isEmpty else {
          throw .invalidConfiguration("pub/sub invalidation needs a channel")
        }
      case .none, .tracking:
        break
      }
    }
  }

  /// TLS for the connection: a NIOSSL configuration and the name to verify.
  public struct RedisTLSConfiguration: Sendable {
    /// SwiftNIO SSL's configuration: trust roots, client certificate, protocols.
    public var configuration: TLSConfiguration
    /// Name sent with SNI and checked against the certificate. `nil` uses the host
    /// when it is a name; an IP host is checked against the certificate's IP SANs.
    public var serverName: String?

    /// TLS with `configuration`, verifying `serverName` (or the host).
    public init(configuration: TLSConfiguration, serverName: String? = nil) {
      self.configuration = configuration
      self.serverName = serverName
    }

    /// Full verification against the PEM CA bundle at `caCertificatePath` (the system
    /// roots when `nil`), with an optional client certificate for mutual TLS.
    public static func verifying(
      caCertificatePath: String?,
      serverName: String? = nil,
      clientCertificatePath: String? = nil,
      clientKeyPath: String? = nil
    ) throws -> RedisTLSConfiguration {
      var configuration = TLSConfiguration.makeClientConfiguration()
      configuration.certificateVerification = .fullVerification
      if let caCertificatePath {
        configuration.trustRoots = .file(caCertificatePath)
      }
      if let clientCertificatePath, let clientKeyPath {
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificatePath).map {
          .certificate($0)
        }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: clientKeyPath, format: .pem))
      }
      return RedisTLSConfiguration(configuration: configuration, serverName: serverName)
    }
  }
#endif
