/// A shared byte store used as the second level (L2) of a ``HybridCache``:
/// Redis, Valkey, or the ``InMemoryRemoteStore`` fake.
///
/// The protocol speaks bytes and string keys only, so no driver type leaks
/// into ``HybridCache``. Every key a ``HybridCache`` passes is already complete
/// (it starts with ``HybridCache/keyPrefix``); a store must use it unchanged.
///
/// ## What an implementation must do
///
/// | Requirement | Redis |
/// |---|---|
/// | `get(_:)` (one key) | `GET k` and `PTTL k`, pipelined in one write |
/// | `get(_:)` (several keys) | `MGET k1 k2 …` plus one `PTTL` per key, pipelined |
/// | ``set(_:bytes:timeToLive:)`` | `SET k bytes PX ms` |
/// | ``setIfNotNewer(_:bytes:timeToLive:createdAtMilliseconds:)`` | a Lua `EVAL` (see the method) |
/// | ``remove(_:)`` | `UNLINK k1 k2 …` (or `DEL`) |
/// | ``invalidations()`` | RESP3 `CLIENT TRACKING ON BCAST PREFIX <prefix> NOLOOP` pushes |
/// | ``state`` | the connection state, mirrored where it can be read without waiting |
///
/// - **Fail fast.** While ``state`` is not ``RemoteCacheStoreState/connected``
///   a call must throw at once instead of waiting for a connection.
///   ``HybridCache`` does not call a store that is not connected, but calls
///   can race with a disconnect.
/// - **Deadlines.** A call must not hang: give every command a deadline (the
///   Redis client's command timeout) and throw when it passes.
/// - **Errors** may be of any type; ``HybridCache`` counts every error as a
///   miss (reads) or queues the operation for replay (writes).
/// - **Invalidations of its own writes are not delivered** (Redis `NOLOOP`).
/// - Methods may be called concurrently from any task.
public protocol RemoteCacheStore: Sendable {
  /// The connection state, read on every L2 access: it must be cheap and
  /// must not wait (keep a copy under a lock).
  ///
  /// Report ``RemoteCacheStoreState/connected`` only once invalidation
  /// tracking is active on the connection, so that no value is read before
  /// changes to it can be reported.
  var state: RemoteCacheStoreState { get }

  /// The bytes stored under `key` and the server's remaining lifetime of the
  /// key, or `nil` when the key does not exist.
  ///
  /// Redis: `GET key` and `PTTL key` pipelined. A `PTTL` of `-1` (no expiry)
  /// is ``RemoteCacheEntry/timeToLive`` `nil`; `-2` (the key expired between
  /// the two commands) is a miss (`nil`).
  func get(_ key: String) async throws -> RemoteCacheEntry?

  /// The entries for several keys at once: one element per key, in the same
  /// order, `nil` for a missing key.
  ///
  /// Redis: `MGET` plus a `PTTL` per key, pipelined. A reply of the wrong
  /// length is treated by ``HybridCache`` as a miss for every key.
  func get(_ keys: [String]) async throws -> [RemoteCacheEntry?]

  /// Stores `bytes` under `key` for `timeToLive`, replacing any value.
  ///
  /// Redis: `SET key bytes PX <milliseconds>`, with the lifetime rounded up to
  /// a whole millisecond. The write must produce an invalidation for every
  /// *other* client tracking the key.
  func set(_ key: String, bytes: [UInt8], timeToLive: Duration) async throws

  /// Stores `bytes` under `key` for `timeToLive` unless the value already
  /// stored there is newer; returns whether it stored.
  ///
  /// Used only to replay a write that failed while the store was unreachable,
  /// so that it cannot overwrite a value another instance wrote meanwhile.
  ///
  /// "Newer" is decided from the stored bytes alone: the stored value is
  /// newer when it starts with ``HybridEnvelope/magic`` (bytes 0 and 1), is at
  /// least ``HybridEnvelope/headerSize`` bytes long, and the signed 64-bit
  /// little-endian integer at ``HybridEnvelope/createdAtOffset`` (its creation
  /// time in Unix milliseconds) is **greater than** `createdAtMilliseconds`
  /// (the creation time written in `bytes`). In every other case (no value,
  /// an equal or older creation time, bytes that are not an envelope) the
  /// store writes, exactly like ``set(_:bytes:timeToLive:)``.
  ///
  /// The check and the write must be atomic. In Redis, one `EVAL`
  /// (`KEYS[1]` = key, `ARGV[1]` = bytes, `ARGV[2]` = milliseconds,
  /// `ARGV[3]` = `createdAtMilliseconds`):
  ///
  /// ```lua
  /// local old = redis.call('GET', KEYS[1])
  /// if old and #old >= 12 and string.byte(old, 1) == 0xC0 and string.byte(old, 2) == 0xDA then
  ///   if struct.unpack('<i8', old, 5) > tonumber(ARGV[3]) then return 0 end
  /// end
  /// redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  /// return 1
  /// ```
  ///
  /// (Lua numbers are doubles: exact for millisecond timestamps until the
  /// year 287,000.)
  func setIfNotNewer(_ key: String, bytes: [UInt8], timeToLive: Duration, createdAtMilliseconds: Int64) async throws -> Bool

  /// Removes `keys` (absent keys are ignored).
  ///
  /// Redis: `UNLINK k1 k2 …` (or `DEL`). Must produce an invalidation for
  /// every other client tracking the keys.
  func remove(_ keys: [String]) async throws

  /// A new stream of the store's events; each call returns an independent
  /// stream that receives every event from the moment of the call.
  ///
  /// The store must report:
  /// - ``RemoteCacheEvent/keys(_:)`` for every key under the tracked prefix
  ///   that was written, deleted, expired or evicted by anyone **except this
  ///   store itself** (Redis: BCAST tracking with `NOLOOP`);
  /// - ``RemoteCacheEvent/all`` when every key may have changed: `FLUSHDB`,
  ///   `FLUSHALL`, an invalidation message it could not read, or events it had
  ///   to drop;
  /// - ``RemoteCacheEvent/disconnected`` as soon as the connection is lost
  ///   (invalidations may be lost from then on);
  /// - ``RemoteCacheEvent/reconnected`` once a connection is established
  ///   **and tracking is active again** (after each reconnect, and after the
  ///   first connect when it happens after this call).
  ///
  /// Keep the stream's buffer bounded; when events must be dropped, drop
  /// them and then deliver ``RemoteCacheEvent/all``. The stream finishes when
  /// the store shuts down.
  func invalidations() -> AsyncStream<RemoteCacheEvent>
}

/// The connection state of a ``RemoteCacheStore``.
public enum RemoteCacheStoreState: Sendable, Hashable, CustomStringConvertible {
  /// Connected, with invalidation tracking active: calls go to the server.
  case connected
  /// Not connected yet, or reconnecting: calls fail at once.
  case connecting
  /// The connection was lost (or the store was shut down): calls fail at once.
  case disconnected

  /// The state's name.
  public var description: String {
    switch self {
    case .connected: return "connected"
    case .connecting: return "connecting"
    case .disconnected: return "disconnected"
    }
  }
}

/// An event from a ``RemoteCacheStore``'s invalidation stream.
public enum RemoteCacheEvent: Sendable, Hashable {
  /// These keys (full store keys) were written, deleted, expired or evicted
  /// by another client.
  case keys([String])
  /// Every key may have changed: a flush, or invalidations were lost.
  case all
  /// The connection was lost: invalidations may be lost until
  /// ``reconnected``.
  case disconnected
  /// The connection is up and invalidation tracking is active again.
  case reconnected
}

/// A value read from a ``RemoteCacheStore``: its bytes and the server's
/// remaining lifetime for the key.
public struct RemoteCacheEntry: Sendable, Hashable {
  /// The stored bytes (an encoded ``HybridEnvelope`` when written by a
  /// ``HybridCache``).
  public var bytes: [UInt8]

  /// The time the server keeps the key for (Redis `PTTL`), or `nil` when the
  /// key never expires.
  ///
  /// ``HybridCache`` decides freshness from this server-side clock only, so
  /// clock differences between application servers do not matter.
  public var timeToLive: Duration?

  /// Creates an entry.
  public init(bytes: [UInt8], timeToLive: Duration?) {
    self.bytes = bytes
    self.timeToLive = timeToLive
  }
}
