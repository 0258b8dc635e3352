import Cortado

/// A deliberately simple model of a single-stripe cache: a dictionary plus
/// per-entry timestamps, with every choice made by an O(n) scan. The property
/// tests run random operations on the model and on a real `Cache` and require
/// the same answer to every operation.
///
/// For `.lru`, `.lfu` and `.fifo` the model predicts the victim itself (it
/// follows cachetools' rules). For W-TinyLFU and random, whose choices depend
/// on a frequency sketch or a generator, the model learns the victim from the
/// cache's `.evicted` notification and checks that it was a live entry.
package struct ReferenceModel {
  package struct Entry {
    package var value: Int
    package var writeTime: Int64
    package var hardDeadline: Int64?  // time to live
    package var idle: Int64?  // time to idle
    package var lastAccess: Int64
    package var useCount: Int
    package var lastUse: Int  // recency sequence for LRU/LFU ties, write sequence for FIFO
    package var writeSequence: Int

    package var deadline: Int64? {
      let idleDeadline = idle.map { lastAccess + $0 }
      switch (hardDeadline, idleDeadline) {
      case (nil, nil): return nil
      case (let hard?, nil): return hard
      case (nil, let soft?): return soft
      case (let hard?, let soft?): return min(hard, soft)
      }
    }

    package func isLive(at now: Int64) -> Bool { deadline.map { now < $0 } ?? true }
  }

  package enum Policy { case lru, lfu, fifo, learned }

  package var entries: [Int: Entry] = [:]
  package var now: Int64 = 0
  package var sequence = 0
  package let maximumCount: Int?
  package let policy: Policy
  package let timeToLive: Int64?
  package let timeToIdle: Int64?

  package init(maximumCount: Int?, policy: Policy, timeToLive: Int64?, timeToIdle: Int64?) {
    self.maximumCount = maximumCount
    self.policy = policy
    self.timeToLive = timeToLive
    self.timeToIdle = timeToIdle
  }

  package mutating func nextSequence() -> Int {
    sequence += 1
    return sequence
  }

  package mutating func dropExpired(_ key: Int) {
    if let entry = entries[key], !entry.isLive(at: now) { entries[key] = nil }
  }

  package var liveKeys: [Int] { entries.filter { $0.value.isLive(at: now) }.map(\.key) }

  package mutating func get(_ key: Int) -> Int? {
    dropExpired(key)
    guard var entry = entries[key] else { return nil }
    entry.lastAccess = now
    entry.useCount += 1
    if policy != .fifo { entry.lastUse = nextSequence() }
    entries[key] = entry
    return entry.value
  }

  package func contains(_ key: Int) -> Bool { entries[key]?.isLive(at: now) ?? false }

  /// The victim the policy would choose among live entries (exact policies).
  package func victim() -> Int? {
    let live = entries.filter { $0.value.isLive(at: now) }
    switch policy {
    case .lru, .fifo:
      return live.min { $0.value.lastUse < $1.value.lastUse }?.key
    case .lfu:
      return live.min { ($0.value.useCount, $0.value.lastUse) < ($1.value.useCount, $1.value.lastUse) }?.key
    case .learned:
      return nil
    }
  }

  /// Applies a write. Returns the key the model evicted (exact policies).
  package mutating func set(_ key: Int, _ value: Int, timeToLive override: Int64? = nil) -> Int? {
    dropExpired(key)
    let ttl = override ?? timeToLive
    if let ttl, ttl <= 0 {
      entries[key] = nil
      return nil
    }
    if var entry = entries[key] {
      entry.value = value
      entry.writeTime = now
      entry.hardDeadline = ttl.map { now + $0 }
      entry.lastAccess = now
      entry.useCount += 1
      entry.lastUse = nextSequence()
      entry.writeSequence = sequence
      entries[key] = entry
      return nil
    }
    var evicted: Int? = nil
    if let maximumCount {
      if maximumCount == 0 { return nil }
      // Expired entries go first (invisible anyway); then the policy's victim.
      entries = entries.filter { $0.value.isLive(at: now) }
      if entries.count >= maximumCount, policy != .learned, let victim = victim() {
        entries[victim] = nil
        evicted = victim
      }
    }
    let sequence = nextSequence()
    entries[key] = Entry(
      value: value, writeTime: now, hardDeadline: ttl.map { now + $0 }, idle: timeToIdle,
      lastAccess: now, useCount: 1, lastUse: sequence, writeSequence: sequence)
    return evicted
  }

  /// The live value, read without counting as a use (`insertValue`,
  /// `compute` and `modifyValue` read this way).
  package mutating func quietValue(_ key: Int) -> Int? {
    dropExpired(key)
    return entries[key]?.value
  }

  /// Replaces a live entry's value keeping its lifetime (deadline, age, idle
  /// clock); counts as a write for the policy. Returns false if the key has
  /// no live entry.
  package mutating func replaceKeepingLifetime(_ key: Int, _ value: Int) -> Bool {
    dropExpired(key)
    guard var entry = entries[key] else { return false }
    entry.value = value
    entry.useCount += 1
    entry.lastUse = nextSequence()
    entry.writeSequence = sequence
    entries[key] = entry
    return true
  }

  package mutating func remove(_ key: Int) -> Int? {
    dropExpired(key)
    return entries.removeValue(forKey: key)?.value
  }

  package var count: Int { liveKeys.count }

  /// Live (key, value) pairs, oldest write first.
  package var snapshot: [(Int, Int)] {
    entries.filter { $0.value.isLive(at: now) }
      .sorted { $0.value.writeSequence < $1.value.writeSequence }
      .map { ($0.key, $0.value.value) }
  }
}
