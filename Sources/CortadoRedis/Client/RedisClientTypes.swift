#if Redis
  /// Errors thrown by `RedisClient`.
  public enum RedisClientError: Error, Sendable, Hashable {
    /// The client is not connected (connecting, backing off, or not started).
    /// Commands fail fast instead of queueing behind a connect.
    case notConnected(RedisDisconnectReason?)
    /// No reply within the command's deadline. The connection was closed.
    case commandTimeout
    /// The connection closed before the reply arrived.
    case connectionClosed(RedisDisconnectReason)
    /// The server answered with an error reply (`-ERR ...`, `!...`).
    case serverError(String)
    /// The reply had a shape the typed helper did not expect.
    case unexpectedReply(String)
    /// Too many commands are waiting for replies (`maxInFlight`).
    case overloaded(limit: Int)
    /// The command would break the multiplexed connection (see `RedisClient.send`).
    case unsupportedCommand(String)
    /// `EXEC` returned null: the transaction was aborted.
    case transactionAborted
    /// The configuration cannot work (for example overlapping tracking prefixes).
    case invalidConfiguration(String)
    /// `waitUntilConnected` gave up.
    case connectWaitTimedOut(RedisDisconnectReason?)
    /// `shutdown()` was called.
    case shutdown

    /// The first word of a server error (`WRONGTYPE`, `NOPERM`, ...).
    public var serverErrorCode: String? {
      guard case .serverError(let message) = self else { return nil }
      return message.split(separator: " ", maxSplits: 1).first.map(String.init)
    }
  }

  extension RedisClientError: CustomStringConvertible {
    public var description: String {
      switch self {
      case .notConnected(let reason): return "Redis: not connected" + (reason.map { " (\($0))" } ?? "")
      case .commandTimeout: return "Redis: command timed out"
      case .connectionClosed(let reason): return "Redis: connection closed (\(reason))"
      case .serverError(let message): return "Redis: server error: \(message)"
      case .unexpectedReply(let what): return "Redis: unexpected reply: \(what)"
      case .overloaded(let limit): return "Redis: more than \(limit) commands in flight"
      case .unsupportedCommand(let why): return "Redis: unsupported command: \(why)"
      case .transactionAborted: return "Redis: transaction aborted"
      case .invalidConfiguration(let why): return "Redis: invalid configuration: \(why)"
      case .connectWaitTimedOut(let reason):
        return "Redis: timed out waiting for a connection" + (reason.map { " (\($0))" } ?? "")
      case .shutdown: return "Redis: client shut down"
      }
    }
  }

  /// Why a connection ended (or could not be made).
  public struct RedisDisconnectReason: Sendable, Hashable, CustomStringConvertible {
    /// What ended the connection.
    public enum Kind: Sendable, Hashable {
      /// The TCP connection could not be made in time.
      case connectFailed
      /// The TLS handshake or certificate verification failed.
      case tlsFailed
      /// `HELLO`, `SELECT` or the handshake deadline failed.
      case handshakeFailed
      /// The server refused the credentials.
      case authenticationFailed
      /// The server refused `CLIENT TRACKING` and no fallback was allowed.
      case trackingRefused
      /// A command missed its deadline; the connection was recycled.
      case commandTimeout
      /// A health-check `PING` missed its deadline (a half-open socket).
      case healthCheckTimeout
      /// The server sent bytes the RESP decoder rejected.
      case protocolError
      /// The server closed the connection.
      case closedByPeer
      /// Writing to the socket failed.
      case writeFailed
      /// `RedisClient.closeConnection()` (the client reconnects).
      case closedByClient
      /// The client was shut down.
      case shutdown
    }

    /// What ended the connection.
    public var kind: Kind
    /// Human-readable detail; never contains keys or values.
    public var message: String

    /// A reason of `kind` with a human-readable `message`.
    public init(_ kind: Kind, _ message: String) {
      self.kind = kind
      self.message = message
    }

    public var description: String { "\(self.kind): \(self.message)" }
  }

  /// The invalidation mechanism in force on a connection.
  public enum RedisActiveInvalidation: Sendable, Hashable {
    /// No invalidations.
    case none
    /// Server-assisted tracking of these prefixes.
    case tracking(prefixes: [String])
    /// A subscription to this channel.
    case pubSub(channel: String)
  }

  /// Facts about an established connection.
  public struct RedisConnectionInfo: Sendable, Hashable {
    /// Increases by one with every successful (re)connect, starting at 1. Anything
    /// learned under an older epoch may have missed invalidations.
    public var epoch: UInt64
    /// The server's id for this connection (`CLIENT ID`), from `HELLO`.
    public var clientID: Int64?
    /// The server version from `HELLO`.
    public var serverVersion: String?
    /// The invalidation mechanism in force on this connection.
    public var invalidation: RedisActiveInvalidation
  }

  /// The client's connection state.
  public enum RedisConnectionState: Sendable, Hashable {
    /// `start()` has not been called.
    case idle
    /// Attempt `attempt` (1-based since the last connection) is in progress.
    case connecting(attempt: Int)
    /// Handshake done, tracking (or the subscription) in place: commands flow.
    case connected(RedisConnectionInfo)
    /// Not connected; the next attempt is scheduled.
    case disconnected(RedisDisconnectReason)
    /// `shutdown()` was called; the client stays down.
    case shutdown

    /// Whether commands can be sent now.
    public var isConnected: Bool {
      if case .connected = self { return true }
      return false
    }
  }

  /// What `RedisClient.events()` delivers, in the order it happened on the connection.
  public enum RedisClientEvent: Sendable, Hashable {
    /// A connection is up and, when configured, tracking or the subscription is
    /// active again. Emitted on the first connect and after every reconnect; the
    /// epoch tells them apart. L1 fills may resume.
    case connected(RedisConnectionInfo)
    /// The connection was lost: invalidations may have been missed from here on, so
    /// everything learned from Redis should be treated as stale.
    case disconnected(RedisDisconnectReason)
    /// These keys were modified, deleted, expired or evicted (tracking push).
    case keys([String])
    /// Every key may have changed (`FLUSHDB`/`FLUSHALL`, or an invalidation push the
    /// client could not parse, which is treated conservatively).
    case flushAll
    /// A pub/sub message (the fallback channel, or a channel from `subscribe`).
    case message(channel: String, payload: [UInt8])
    /// The consumer of this stream fell behind and events were dropped; treat it like
    /// `.flushAll` plus possibly missed messages.
    case eventsDropped
  }
#endif
