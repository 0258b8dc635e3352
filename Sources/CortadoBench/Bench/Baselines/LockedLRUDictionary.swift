#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The cache a Swift user writes by hand: a `Dictionary` of linked-list
/// nodes behind one mutex, least-recently-used order, and a lifetime checked
/// against `ContinuousClock.now` on every read (the "lock around a dict"
/// pattern).
///
/// It is written to be a fair baseline, not a straw man: a `pthread_mutex`
/// (cheaper than `NSLock`), the clock read outside the lock, nodes linked
/// with strong references (no `weak` side tables), and O(1) everything.
package final class LockedLRUDictionary<Key: Hashable, Value>: @unchecked Sendable {
  // @unchecked: every stored property below is read and written only while
  // `mutex` is held.
  private final class Node {
    let key: Key
    var value: Value
    var expiry: ContinuousClock.Instant
    var newer: Node?
    var older: Node?

    init(key: Key, value: Value, expiry: ContinuousClock.Instant) {
      self.key = key
      self.value = value
      self.expiry = expiry
    }
  }

  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private var nodes: [Key: Node] = [:]
  private var newest: Node?
  private var oldest: Node?
  private let capacity: Int
  private let lifetime: Duration
  private let clock = ContinuousClock()

  /// Creates a cache of at most `capacity` entries living `lifetime`.
  package init(capacity: Int, lifetime: Duration) {
    self.capacity = capacity
    self.lifetime = lifetime
    mutex = .allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    // Break the list's reference cycles.
    var node = newest
    while let current = node {
      node = current.older
      current.newer = nil
      current.older = nil
    }
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// The number of entries (expired ones included until they are read).
  package var count: Int {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return nodes.count
  }

  /// The live value for `key`; a hit becomes the most recently used.
  package func value(forKey key: Key) -> Value? {
    let now = clock.now
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    guard let node = nodes[key] else { return nil }
    if now >= node.expiry {
      unlink(node)
      nodes[key] = nil
      return nil
    }
    moveToFront(node)
    return node.value
  }

  /// Stores `value`, evicting the least recently used entry when full.
  package func setValue(_ value: Value, forKey key: Key) {
    let expiry = clock.now.advanced(by: lifetime)
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    if let node = nodes[key] {
      node.value = value
      node.expiry = expiry
      moveToFront(node)
      return
    }
    let node = Node(key: key, value: value, expiry: expiry)
    nodes[key] = node
    pushFront(node)
    if nodes.count > capacity, let victim = oldest {
      unlink(victim)
      nodes[victim.key] = nil
    }
  }

  /// The value for `key`, or `make()`'s result stored and returned. Two
  /// threads missing the same key may both call `make` (the usual
  /// check-then-insert of a hand-written cache).
  package func value(forKey key: Key, orInsert make: () -> Value) -> Value {
    if let value = value(forKey: key) { return value }
    let value = make()
    setValue(value, forKey: key)
    return value
  }

  private func pushFront(_ node: Node) {
    node.older = newest
    node.newer = nil
    newest?.newer = node
    newest = node
    if oldest == nil { oldest = node }
  }

  private func unlink(_ node: Node) {
    if let newer = node.newer { newer.older = node.older } else { newest = node.older }
    if let older = node.older { older.newer = node.newer } else { oldest = node.newer }
    node.newer = nil
    node.older = nil
  }

  private func moveToFront(_ node: Node) {
    guard newest !== node else { return }
    unlink(node)
    pushFront(node)
  }
}

/// The hand-written baseline under test.
final class LockedDictionarySubject: BenchSubject {
  let cache: LockedLRUDictionary<Int, Int>

  init(capacity: Int, lifetime: Duration) {
    cache = LockedLRUDictionary(capacity: capacity, lifetime: lifetime)
  }

  @inline(__always) func get(_ key: Int) -> Int? { cache.value(forKey: key) }
  @inline(__always) func set(_ key: Int, _ value: Int) { cache.setValue(value, forKey: key) }
  @inline(__always) func getOrLoad(_ key: Int) -> Int { cache.value(forKey: key, orInsert: { cheapLoad(key) }) }
}
