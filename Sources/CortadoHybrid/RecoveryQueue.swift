/// Failed writes and removals waiting to be replayed after a reconnect.
///
/// Why it exists: while the store is unreachable, a write or removal cannot
/// reach it, so the other instances never get the invalidation it would have
/// caused. Replaying it after the reconnect lets the server produce that
/// invalidation late instead of never.
///
/// One operation per key: a newer one replaces the older (the newest intent
/// is all that matters). Bounded: beyond the capacity the oldest key's
/// operation is dropped. Not thread-safe: lives inside the cache's lock.
struct RecoveryQueue: Sendable {
  enum Operation: Sendable {
    /// Replayed as a compare-and-set, so it cannot overwrite a newer value.
    /// `timeToLive` and `enqueuedAt` are nanoseconds (the cache's clock).
    case set(bytes: [UInt8], timeToLive: Int64, createdAtMilliseconds: Int64, enqueuedAt: Int64)
    /// Replayed as a plain removal: deleting too much only costs a miss.
    case remove
  }

  struct Item: Sendable {
    var key: String
    var operation: Operation
    /// Increases with every enqueue: tells a requeued item from a newer one.
    var sequence: UInt64
  }

  let capacity: Int
  private var items: [String: Item] = [:]
  /// Insertion order, with stale entries (replaced or removed items) skipped
  /// lazily and compacted when they dominate.
  private var order: [(key: String, sequence: UInt64)] = []
  private var head = 0
  private var nextSequence: UInt64 = 0

  init(capacity: Int) {
    self.capacity = capacity
  }

  var count: Int { items.count }

  /// The sequence the next enqueued operation will get: operations started
  /// before an enqueue compare lower.
  var currentSequence: UInt64 { nextSequence }

  /// Adds `operation` for `key`, replacing any older one; returns the number
  /// of operations dropped to stay within capacity.
  @discardableResult
  mutating func enqueue(_ key: String, _ operation: Operation) -> Int {
    guard capacity > 0 else { return 1 }
    nextSequence += 1
    items[key] = Item(key: key, operation: operation, sequence: nextSequence)
    order.append((key, nextSequence))
    var dropped = 0
    while items.count > capacity, let oldest = popOldest() {
      items[oldest] = nil
      dropped += 1
    }
    compactIfNeeded()
    return dropped
  }

  /// Puts back an item whose replay failed, unless a newer operation for
  /// its key arrived meanwhile (or there is no room).
  mutating func requeue(_ item: Item) -> Bool {
    guard items[item.key] == nil, items.count < capacity else { return false }
    items[item.key] = item
    order.append((item.key, item.sequence))
    return true
  }

  /// Forgets the operation for `key` if it was enqueued before `sequence`
  /// (a later direct write made it obsolete).
  mutating func remove(_ key: String, enqueuedBefore sequence: UInt64) {
    if let item = items[key], item.sequence <= sequence { items[key] = nil }
  }

  /// Takes every operation, oldest first.
  mutating func takeAll() -> [Item] {
    var result: [Item] = []
    result.reserveCapacity(items.count)
    while let key = popOldest() {
      if let item = items.removeValue(forKey: key) { result.append(item) }
    }
    order.removeAll(keepingCapacity: true)
    head = 0
    return result
  }

  /// The operation waiting for `key` (for tests and diagnostics).
  func operation(forKey key: String) -> Operation? { items[key]?.operation }

  /// The key of the oldest live item, advancing past stale order entries.
  private mutating func popOldest() -> String? {
    while head < order.count {
      let entry = order[head]
      head += 1
      if items[entry.key]?.sequence == entry.sequence { return entry.key }
    }
    return nil
  }

  private mutating func compactIfNeeded() {
    guard order.count > 64, order.count > 2 * items.count else { return }
    order = order[head...].filter { items[$0.key]?.sequence == $0.sequence }
    head = 0
  }
}
