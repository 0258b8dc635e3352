/// A shared byte store used as the second level (L2) of a ``HybridCache``:
/// `RedisStore` (in CortadoRedis), your own store, or the in-memory fake of
/// the tests.
///
/// The protocol speaks bytes and string keys only, so no driver type leaks
/// into ``HybridCache``. Every key a ``HybridCache`` passes is already complete
/// (it starts with ``HybridCache/keyPrefix``); a store must use it unchanged.
///
/// ## The contract
///
/// - **Reads** return the bytes and the store's remaining lifetime of each
///   key, read together (no write may fall between the two).
/// - **Writes** replace a key's value and lifetime as one step;
///   ``setIfNotNewer(_:bytes:timeToLive:createdAtMilliseconds:)`` compares
///   and writes as one step.
/// - **Invalidations**: every write, removal, expiry or eviction of a key
///   under ``trackedPrefixes`` by anyone *except this store* is reported on
///   ``invalidations()``; the store's own writes are not reported back. When
///   the store cannot say which keys changed (a flush, events it had to drop),
///   it reports ``RemoteCacheEvent/all``.
/// - **A lost connection** is reported at once
///   (``RemoteCacheEvent/disconnected``): invalidations may be lost from then
///   on, and ``HybridCache`` stops trusting its memory. The store reports
///   ``RemoteCacheStoreState/connected`` again only once invalidations flow
///   again, so no value is read before changes to it can be reported.
/// - **Fail fast.** While ``state`` is not ``RemoteCacheStoreState/connected``
///   a call must throw at once instead of waiting for a connection.
///   ``HybridCache`` does not call a store that is not connected, but calls
///   can race with a disconnect.
/// - **Deadlines.** A call must not hang: give every call a deadline and
///   throw when it passes.
/// - **Errors** may be of any type; ``HybridCache`` counts every error as a
///   miss (reads) or queues the operation for replay (writes).
/// - Methods may be called concurrently from any task.
///
/// `RedisStore`'s documentation shows how Redis meets each point.
public protocol RemoteCacheStore: Sendable {
  /// The connection state, read on every L2 access: it must be cheap and
  /// must not wait (keep a copy under a lock).
  ///
  /// Report ``RemoteCacheStoreState/connected`` only once invalidations are
  /// delivered on the connection, so that no value is read before changes to
  /// it can be reported.
  var state: RemoteCacheStoreState { get }

  /// The key prefixes whose changes ``invalidations()`` reports, or `nil`
  /// when the store cannot say (the default).
  ///
  /// ``HybridCache/init(store:configuration:)`` checks that every key of its
  /// namespace starts with one of them, and throws otherwise: a cache whose
  /// keys are not covered would never hear of other instances' writes. The
  /// empty prefix covers every key.
  var trackedPrefixes: [String]? { get }

  /// The bytes stored under `key` and the store's remaining lifetime of the
  /// key, or `nil` when the key does not exist (or expired while it was
  /// read).
  func get(_ key: String) async throws -> RemoteCacheEntry?

  /// The entries for several keys at once: one element per key, in the same
  /// order, `nil` for a missing key. A reply of the wrong length is treated by
  /// ``HybridCache`` as a miss for every key.
  func get(_ keys: [String]) async throws -> [RemoteCacheEntry?]

  /// Stores `bytes` under `key` for `timeToLive`, replacing any value.
  ///
  /// The write must be reported to every *other* store watching the key.
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
  /// The check and the write must be one atomic step (`RedisStore` runs one
  /// script on the server).
  func setIfNotNewer(_ key: String, bytes: [UInt8], timeToLive: Duration, createdAtMilliseconds: Int64) async throws
    -> Bool

  /// Stores `bytes` under `key`, keeping the key's remaining lifetime if it
  /// has one (Redis `SET … KEEPTTL`), otherwise with `timeToLive`: never a
  /// key without expiry. Atomic. Returns the lifetime the key has now (the
  /// kept remainder, or `timeToLive`). Other connections are notified as for
  /// ``set(_:bytes:timeToLive:)``.
  ///
  /// A default implementation throws ``RemoteCacheStoreError/unsupported(_:)``.
  func setKeepingTimeToLive(_ key: String, bytes: [UInt8], otherwise timeToLive: Duration) async throws -> Duration

  /// Removes `keys` (absent keys are ignored). The removal must be reported
  /// to every other store watching the keys.
  func remove(_ keys: [String]) async throws

  /// A new stream of the store's events; each call returns an independent
  /// stream that receives every event from the moment of the call.
  ///
  /// The store must report:
  /// - ``RemoteCacheEvent/keys(_:)`` for every key under
  ///   ``trackedPrefixes`` that was written, deleted, expired or evicted by
  ///   anyone **except this store itself**;
  /// - ``RemoteCacheEvent/all`` when every key may have changed: the store
  ///   was flushed, an event could not be read, or events had to be dropped;
  /// - ``RemoteCacheEvent/disconnected`` as soon as the connection is lost
  ///   (invalidations may be lost from then on);
  /// - ``RemoteCacheEvent/reconnected`` once a connection is established
  ///   **and invalidations flow again** (after each reconnect, and after the
  ///   first connect when it happens after this call).
  ///
  /// Keep the stream's buffer bounded; when events must be dropped, drop
  /// them and then deliver ``RemoteCacheEvent/all``. The stream finishes when
  /// the store shuts down.
  func invalidations() -> AsyncStream<RemoteCacheEvent>
}

extension RemoteCacheStore {
  /// Unknown: ``HybridCache`` does not check its namespace against this store.
  public var trackedPrefixes: [String]? { nil }

  /// Throws ``RemoteCacheStoreError/unsupported(_:)``: a store written before
  /// this requirement existed keeps compiling, and ``HybridCache`` reports
  /// the option it cannot honour instead of silently replacing the lifetime.
  public func setKeepingTimeToLive(_ key: String, bytes: [UInt8], otherwise timeToLive: Duration) async throws
    -> Duration
  {
    throw RemoteCacheStoreError.unsupported("setKeepingTimeToLive")
  }
}

/// What a store reports when asked for something it cannot do.
///
/// ## Topics
/// ### Errors
/// - ``unsupported(_:)``
public enum RemoteCacheStoreError: Error, Sendable, Hashable {
  /// The store does not implement the named requirement.
  case unsupported(String)
}

/// The connection state of a ``RemoteCacheStore``.
public enum RemoteCacheStoreState: Sendable, Hashable, CustomStringConvertible {
  /// Connected, with invalidations flowing: calls go to the server.
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
  /// The connection is up and invalidations flow again.
  case reconnected
}

/// A value read from a ``RemoteCacheStore``: its bytes and the server's
/// remaining lifetime for the key.
public struct RemoteCacheEntry: Sendable, Hashable {
  /// The stored bytes (an encoded ``HybridEnvelope`` when written by a
  /// ``HybridCache``).
  public var bytes: [UInt8]

  /// The time the store keeps the key for, or `nil` when the key never
  /// expires.
  ///
  /// ``HybridCache`` decides freshness from the store's clock only, so clock
  /// differences between application servers do not matter.
  public var timeToLive: Duration?

  /// Creates an entry.
  public init(bytes: [UInt8], timeToLive: Duration?) {
    self.bytes = bytes
    self.timeToLive = timeToLive
  }
}
