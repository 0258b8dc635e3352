/// What plain LRU would have hit, estimated on a sample of the keys: a
/// miniature simulation (Waldspurger et al., "Cache Modeling and Optimization
/// using Miniature Simulations", USENIX ATC 2017).
///
/// Keys whose hash falls in a 1-in-`rate` sample are replayed through an LRU
/// list holding as many sampled keys as the real cache holds (about its
/// capacity / `rate`); on a sample of keys chosen by hash, that small LRU's
/// hit ratio estimates the full-sized LRU's. Its size follows the cache's
/// own count of sampled keys, not capacity / `rate`: a working set a little
/// larger than the cache may put fewer keys than capacity / `rate` into the
/// sample, and a shadow of that fixed size would then hold all of them,
/// claiming every hit LRU misses (a loop of 5,000 keys in 4,900 entries, with
/// 1,210 sampled keys against a shadow of 1,225, drove the window to the
/// whole cache and the hit ratio from 96% to 1%).
/// Counting the real cache's hits on the *same* sampled requests makes the
/// comparison paired: both sides see the same keys, so the difference is
/// much less noisy than either ratio. ``_WindowSizer`` reads that difference
/// once per sample: when LRU would have hit markedly more, W-TinyLFU's
/// frequency filter is costing hits (a moving hot spot), and the window grows
/// towards LRU's shape.
///
/// Layout: one allocation of 12-byte nodes (the key's 32-bit hash, links to
/// the next older and newer node, the next node in its bucket) and a bucket
/// table of 16-bit heads. Both grow by doubling as sampled keys arrive, so an
/// empty cache with a huge bound pays nothing; at full size, for
/// `_TinyLFUConstants.shadowEntries` = 1,024 to 2,047 nodes (twice that at
/// most when the cache's sample runs large), about 28 KiB per stripe. Two keys with the same 32-bit hash count as one (1 in 4 billion
/// pairs).
@usableFromInline
struct _ShadowLRU {
  @usableFromInline
  struct Node {
    @usableFromInline var hash: UInt32
    @usableFromInline var older: Int16
    @usableFromInline var newer: Int16
    @usableFromInline var chain: Int16

    @inlinable init(hash: UInt32, older: Int16, newer: Int16, chain: Int16) {
      self.hash = hash
      self.older = older
      self.newer = newer
      self.chain = chain
    }
  }

  /// No node (the 16-bit null link).
  @usableFromInline static let none: Int16 = -1
  /// Nodes allocated by the first sampled key; the storage doubles from there.
  @usableFromInline static let initialNodes = 16

  @usableFromInline var nodes: UnsafeMutablePointer<Node>?
  @usableFromInline var buckets: UnsafeMutablePointer<Int16>?
  @usableFromInline var bucketMask = 0
  @usableFromInline var allocated = 0
  @usableFromInline var count = 0
  /// The most nodes the shadow may hold: twice the stripe's capacity divided
  /// by the sample rate (the cache's sample exceeds that 1 time in 10^100).
  @usableFromInline var capacity = 0
  /// Sampled keys the real cache holds: the shadow's size.
  @usableFromInline var resident = 0
  /// A key is sampled when its spread hash is below this (2^32 divided by the
  /// sample rate; 0 turns the simulation off, as for a cost-bounded cache or
  /// a stripe of more than 2^42 entries).
  @usableFromInline var sampleLimit: UInt64 = 0
  @usableFromInline var oldest = none
  @usableFromInline var newest = none
  /// Sampled requests since the last `takeLead()`, and how many of them the
  /// simulated LRU and the real cache hit.
  @usableFromInline var requests = 0
  @usableFromInline var shadowHits = 0
  @usableFromInline var cacheHits = 0
  /// Sampled requests only the shadow hit, and only the cache hit: the
  /// discordant pairs of the paired comparison.
  @usableFromInline var shadowOnly = 0
  @usableFromInline var cacheOnly = 0

  @inlinable init() {}

  /// Simulates LRU for a stripe of `maximum` entries, forgetting everything.
  @usableFromInline
  mutating func configure(maximum: Int) {
    destroy()
    let rate = Swift.max(1, maximum / _TinyLFUConstants.shadowEntries)
    capacity = Swift.max(1, Swift.min(Int(Int16.max), 2 * (maximum / rate)))
    sampleLimit = (UInt64(1) << 32) / UInt64(rate)
    resident = 0
    requests = 0
    shadowHits = 0
    cacheHits = 0
    shadowOnly = 0
    cacheOnly = 0
  }

  @usableFromInline
  mutating func destroy() {
    nodes?.deallocate()
    buckets?.deallocate()
    nodes = nil
    buckets = nil
    bucketMask = 0
    allocated = 0
    count = 0
    oldest = Self.none
    newest = Self.none
  }

  /// A mix of the hash independent of the index's, the sketch's and the
  /// ghosts' use of it: its top 32 bits pick the sample.
  @inlinable @inline(__always)
  static func spread(_ hash: UInt32) -> UInt64 { (UInt64(hash) &* 0x9E37_79B9_7F4A_7C15) >> 32 }

  /// A request for the key with this hash; `hit` tells whether the cache
  /// held it. Costs a multiply and a compare unless the key is sampled.
  @inlinable @inline(__always)
  mutating func observe(_ hash: UInt32, hit: Bool) {
    if _slowPath(Self.spread(hash) < sampleLimit) { replay(hash, hit: hit, counted: true) }
  }

  /// A write to a key the cache holds: the key becomes the most recent, as
  /// in LRU, but the write is no request to compare (it is not a read the
  /// cache could have missed).
  @inlinable @inline(__always)
  mutating func touch(_ hash: UInt32) {
    if _slowPath(Self.spread(hash) < sampleLimit) { replay(hash, hit: true, counted: false) }
  }

  /// The real cache took in the key with this hash.
  @inlinable @inline(__always)
  mutating func cacheInserted(_ hash: UInt32) {
    if _slowPath(Self.spread(hash) < sampleLimit) { resident &+= 1 }
  }

  /// The key with this hash left the real cache. An eviction makes the
  /// shadow one key smaller, so it lets its own least recent key go, as an
  /// LRU cache of that size would; a removal or an expiry takes the key
  /// itself, as it would from an LRU cache (keeping it would count its
  /// return as a hit only LRU had).
  @inlinable @inline(__always)
  mutating func cacheRemoved(_ hash: UInt32, evicted: Bool) {
    if _slowPath(Self.spread(hash) < sampleLimit) { shrinkWithCache(hash, evicted: evicted) }
  }

  @usableFromInline
  mutating func shrinkWithCache(_ hash: UInt32, evicted: Bool) {
    resident = Swift.max(0, resident &- 1)
    if !evicted, let node = find(hash) { remove(node) }
    while count > Swift.max(1, resident) { remove(oldest) }
  }

  /// The real cache was emptied: so is the shadow (it keeps its settings).
  @usableFromInline
  mutating func cacheEmptied() {
    let settings = (capacity, sampleLimit)
    destroy()
    (capacity, sampleLimit) = settings
    resident = 0
  }

  /// The simulated LRU's lead over the cache, in hits per sampled request,
  /// since the last call (`nil` when no request was sampled).
  @usableFromInline
  mutating func takeLead() -> Double? {
    defer {
      requests = 0
      shadowHits = 0
      cacheHits = 0
      shadowOnly = 0
      cacheOnly = 0
    }
    guard requests > 0 else { return nil }
    return Double(shadowHits - cacheHits) / Double(requests)
  }

  /// The lead so far in this count, without ending it, if it is beyond
  /// doubt: McNemar's test on the discordant requests, shadow-only hits
  /// against cache-only hits, above `_TinyLFUConstants.earlyLeadConfidence`
  /// standard deviations (looks within a sample see fewer requests, and
  /// several looks give noise several chances).
  @usableFromInline
  func significantLead() -> Double? {
    let discordant = shadowOnly + cacheOnly
    guard discordant > 0,
      Double(shadowOnly - cacheOnly) > _TinyLFUConstants.earlyLeadConfidence * Double(discordant).squareRoot()
    else { return nil }
    return Double(shadowHits - cacheHits) / Double(requests)
  }

  @usableFromInline
  mutating func replay(_ hash: UInt32, hit: Bool, counted: Bool) {
    if counted {
      requests &+= 1
      if hit { cacheHits &+= 1 }
    }
    if let node = find(hash) {
      if counted {
        shadowHits &+= 1
        if !hit { shadowOnly &+= 1 }
      }
      if node != newest {
        unlink(node)
        append(node)
      }
      return
    }
    if hit && counted { cacheOnly &+= 1 }
    // As many keys as the cache holds of the sample (a key the cache just
    // took in is counted already).
    let size = Swift.min(capacity, Swift.max(1, resident))
    while count > size { remove(oldest) }
    let node: Int16
    if count < size {
      if count == allocated { grow() }
      node = Int16(count)
      count += 1
    } else {
      node = oldest
      unlink(node)
      unchain(node)
    }
    guard let nodes, let buckets else { return }
    let bucket = Int(hash) & bucketMask
    nodes[Int(node)] = Node(hash: hash, older: Self.none, newer: Self.none, chain: buckets[bucket])
    buckets[bucket] = node
    append(node)
  }

  /// Drops `removed`, moving the last node into its place so that nodes stay
  /// dense.
  @usableFromInline
  mutating func remove(_ removed: Int16) {
    guard let nodes, let buckets, removed != Self.none else { return }
    unlink(removed)
    unchain(removed)
    count -= 1
    let last = Int16(count)
    guard last != removed else { return }
    // Relink the last node under its new index.
    let moved = nodes[Int(last)]
    nodes[Int(removed)] = moved
    if moved.older != Self.none { nodes[Int(moved.older)].newer = removed } else { oldest = removed }
    if moved.newer != Self.none { nodes[Int(moved.newer)].older = removed } else { newest = removed }
    let bucket = Int(moved.hash) & bucketMask
    if buckets[bucket] == last {
      buckets[bucket] = removed
    } else {
      var previous = buckets[bucket]
      while previous != Self.none {
        if nodes[Int(previous)].chain == last {
          nodes[Int(previous)].chain = removed
          break
        }
        previous = nodes[Int(previous)].chain
      }
    }
  }

  @usableFromInline
  func find(_ hash: UInt32) -> Int16? {
    guard let nodes, let buckets else { return nil }
    var node = buckets[Int(hash) & bucketMask]
    while node != Self.none {
      if nodes[Int(node)].hash == hash { return node }
      node = nodes[Int(node)].chain
    }
    return nil
  }

  /// Takes `node` out of its bucket's chain.
  @usableFromInline
  mutating func unchain(_ node: Int16) {
    guard let nodes, let buckets else { return }
    let bucket = Int(nodes[Int(node)].hash) & bucketMask
    if buckets[bucket] == node {
      buckets[bucket] = nodes[Int(node)].chain
      return
    }
    var previous = buckets[bucket]
    while previous != Self.none {
      let next = nodes[Int(previous)].chain
      if next == node {
        nodes[Int(previous)].chain = nodes[Int(node)].chain
        return
      }
      previous = next
    }
  }

  @usableFromInline
  mutating func unlink(_ node: Int16) {
    guard let nodes else { return }
    let older = nodes[Int(node)].older
    let newer = nodes[Int(node)].newer
    if older != Self.none { nodes[Int(older)].newer = newer } else { oldest = newer }
    if newer != Self.none { nodes[Int(newer)].older = older } else { newest = older }
  }

  @usableFromInline
  mutating func append(_ node: Int16) {
    guard let nodes else { return }
    nodes[Int(node)].older = newest
    nodes[Int(node)].newer = Self.none
    if newest != Self.none { nodes[Int(newest)].newer = node } else { oldest = node }
    newest = node
  }

  /// Doubles the node storage (up to `capacity`) and rebuilds the buckets,
  /// one per node rounded up to a power of two.
  @usableFromInline
  mutating func grow() {
    let size = Swift.min(capacity, Swift.max(Self.initialNodes, allocated * 2))
    let grown = UnsafeMutablePointer<Node>.allocate(capacity: size)
    if let nodes {
      grown.moveInitialize(from: nodes, count: count)
      nodes.deallocate()
    }
    nodes = grown
    allocated = size
    buckets?.deallocate()
    let bucketCount = _nextPowerOfTwo(size)
    let heads = UnsafeMutablePointer<Int16>.allocate(capacity: bucketCount)
    heads.initialize(repeating: Self.none, count: bucketCount)
    buckets = heads
    bucketMask = bucketCount - 1
    for node in 0..<count {
      let bucket = Int(grown[node].hash) & bucketMask
      grown[node].chain = heads[bucket]
      heads[bucket] = Int16(node)
    }
  }

  #if DEBUG || CORTADO_INTERNAL_CHECKS
    /// What is wrong with the structure, if anything: sizes within bounds, the
    /// recency list and the buckets each holding every node once.
    func invariantViolation() -> String? {
      guard count <= allocated, allocated <= capacity || allocated == 0 else {
        return "\(count) nodes, \(allocated) allocated, capacity \(capacity)"
      }
      guard let nodes, let buckets else { return count == 0 ? nil : "\(count) nodes without storage" }
      var listed = 0
      var node = oldest
      var previous = Self.none
      while node != Self.none {
        guard listed < count, nodes[Int(node)].older == previous else { return "the recency list is broken at \(node)" }
        guard find(nodes[Int(node)].hash) == node else { return "node \(node) is not found through its bucket" }
        listed += 1
        previous = node
        node = nodes[Int(node)].newer
      }
      guard listed == count, previous == newest else { return "the recency list holds \(listed) of \(count) nodes" }
      var chained = 0
      for bucket in 0...bucketMask {
        var node = buckets[bucket]
        while node != Self.none && chained <= count {
          chained += 1
          node = nodes[Int(node)].chain
        }
      }
      return chained == count ? nil : "the buckets hold \(chained) of \(count) nodes"
    }
  #endif
}
