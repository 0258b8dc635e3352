/// Which entry leaves when a bounded cache is full.
///
/// The default, ``windowTinyLFU``, keeps the entries most likely to be used
/// again and gives the best hit ratio on real workloads. The others exist so
/// that code ported from Python's `cachetools` keeps its exact behaviour:
///
/// | Cortado | cachetools |
/// |---|---|
/// | ``lru`` | `LRUCache` (and `TTLCache`'s order) |
/// | ``lfu`` | `LFUCache` (ties: least recently used) |
/// | ``fifo`` | `FIFOCache` |
/// | ``random(seed:)`` | `RRCache` |
///
/// For count-bounded caches without a cost function, `.lru`, `.lfu` and
/// `.fifo` evict exactly the entries cachetools 8 evicts for the same sequence
/// of operations, as long as the cache has a single stripe (up to 10,000
/// entries by default; see ``Cache/Configuration/stripeCount``).
public struct EvictionPolicy: Sendable, Hashable, CustomStringConvertible {
  @usableFromInline
  enum Kind: Sendable, Hashable {
    case lru, lfu, fifo, windowTinyLFU
    case random(seed: UInt64)
  }

  @usableFromInline let kind: Kind

  @inlinable
  init(kind: Kind) { self.kind = kind }

  /// Least recently used: a hit or a write moves the key to the back; the
  /// front leaves first.
  public static var lru: EvictionPolicy { EvictionPolicy(kind: .lru) }

  /// Least frequently used: each hit and write adds a use; the key with the
  /// fewest uses leaves first, and among equals the least recently used.
  /// Counts never decay, so a formerly popular key can linger: prefer
  /// ``windowTinyLFU`` unless you need `LFUCache`'s exact behaviour.
  public static var lfu: EvictionPolicy { EvictionPolicy(kind: .lfu) }

  /// First in, first out: writes (including rewrites) move a key to the back;
  /// reads do not count.
  public static var fifo: EvictionPolicy { EvictionPolicy(kind: .fifo) }

  /// W-TinyLFU: a small LRU admission window in front of a segmented LRU, with
  /// a frequency sketch deciding which of two entries is worth keeping. Beats
  /// LRU on skewed workloads and resists scans. The default.
  public static var windowTinyLFU: EvictionPolicy { EvictionPolicy(kind: .windowTinyLFU) }

  /// A uniformly random entry leaves, drawn from a generator seeded with
  /// `seed` (so a run is reproducible).
  public static func random(seed: UInt64) -> EvictionPolicy { EvictionPolicy(kind: .random(seed: seed)) }

  /// A uniformly random entry leaves, with a random seed.
  public static var random: EvictionPolicy { random(seed: UInt64.random(in: .min ... .max)) }

  /// The default policy, ``windowTinyLFU``.
  public static var `default`: EvictionPolicy { windowTinyLFU }

  /// Every policy (random with seed 0), in a stable order.
  public static var allPolicies: [EvictionPolicy] { [.windowTinyLFU, .lru, .lfu, .fifo, .random(seed: 0)] }

  /// The policy's short name: `w-tinylfu`, `lru`, `lfu`, `fifo` or `random`.
  public var name: String {
    switch kind {
    case .lru: return "lru"
    case .lfu: return "lfu"
    case .fifo: return "fifo"
    case .windowTinyLFU: return "w-tinylfu"
    case .random: return "random"
    }
  }

  /// Parses a short name (`w-tinylfu`, `tinylfu`, `lru`, `lfu`, `fifo`, `random`),
  /// ignoring case. `random` gets `seed`.
  public init?(name: String, seed: UInt64 = 0) {
    switch name.lowercased() {
    case "lru": kind = .lru
    case "lfu": kind = .lfu
    case "fifo": kind = .fifo
    case "w-tinylfu", "wtinylfu", "tinylfu", "window-tinylfu", "windowtinylfu", "default": kind = .windowTinyLFU
    case "random", "rr": kind = .random(seed: seed)
    default: return nil
    }
  }

  public var description: String {
    if case .random(let seed) = kind { return "random(seed: \(seed))" }
    return name
  }

  @usableFromInline
  var _kind: _PolicyKind {
    switch kind {
    case .lru: return .lru
    case .lfu: return .lfu
    case .fifo: return .fifo
    case .windowTinyLFU: return .windowTinyLFU
    case .random: return .random
    }
  }

  @usableFromInline
  var _seed: UInt64 {
    if case .random(let seed) = kind { return seed }
    return 0x5EED_C0FF_EE00_0001
  }
}
