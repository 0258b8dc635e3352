/// A removal waiting to be delivered: the key, the value and why it left.
@usableFromInline
struct _Removal<Key, Value> {
  @usableFromInline var key: Key
  @usableFromInline var value: Value
  @usableFromInline var reason: RemovalReason

  @inlinable
  init(key: Key, value: Value, reason: RemovalReason) {
    self.key = key
    self.value = value
    self.reason = reason
  }
}

/// The cache-wide, ordered queue of removals, drained outside every stripe
/// lock.
///
/// Two jobs:
/// 1. Deliver `onRemoval` notifications without holding a lock, in the order
///    the changes happened. A stripe appends its removals while it still holds
///    its own lock (so, for any one key, the queue order is the order of the
///    changes), and whoever finishes an operation drains the queue. Only one
///    thread drains at a time, so the listener sees one event after another.
/// 2. Release removed keys and values outside the stripe lock, so that a
///    value's `deinit` (user code) never runs inside the cache's critical
///    section and cannot deadlock by calling back into the cache. When there is
///    no listener and neither type needs a `deinit` (plain data), the stripe
///    drops them in place and the queue is never touched.
@usableFromInline
final class _RemovalSink<Key, Value>: @unchecked Sendable {
  @usableFromInline let listener: (@Sendable (Key, Value, RemovalReason) -> Void)?
  /// True when removals need neither delivery nor a deferred release.
  @usableFromInline let dropsInPlace: Bool
  @usableFromInline let mutex = _Mutex()
  // Guarded by `mutex`.
  @usableFromInline var queue = _Ring<_Removal<Key, Value>>()
  @usableFromInline var draining = false
  @usableFromInline var drainer = _ThreadID(raw: 0)

  @usableFromInline
  init(listener: (@Sendable (Key, Value, RemovalReason) -> Void)?) {
    self.listener = listener
    dropsInPlace = listener == nil && _isPOD(Key.self) && _isPOD(Value.self)
  }

  deinit {
    queue.destroy()
  }

  /// Queues a removal. Called with a stripe lock held; takes only the queue's
  /// own short lock.
  @inlinable
  func enqueue(_ removal: consuming _Removal<Key, Value>) {
    mutex.lock()
    queue.append(removal)
    mutex.unlock()
  }

  /// Delivers everything queued, unless another thread is already doing it.
  /// Must be called with no stripe lock held.
  @usableFromInline
  func drain() {
    mutex.lock()
    if draining {
      mutex.unlock()
      return
    }
    draining = true
    drainer = .current
    while let removal = queue.popFirst() {
      mutex.unlock()
      if let listener {
        listener(removal.key, removal.value, removal.reason)
      }
      _ = consume removal  // the key and value are released here, outside every lock
      mutex.lock()
    }
    draining = false
    drainer = _ThreadID(raw: 0)
    mutex.broadcast()
    mutex.unlock()
  }

  /// Returns once every removal queued so far has been delivered. Called from
  /// inside a listener, it returns at once (waiting for itself would deadlock).
  @usableFromInline
  func waitUntilDelivered() {
    mutex.lock()
    while true {
      if !draining {
        if queue.isEmpty { break }
        mutex.unlock()
        drain()
        mutex.lock()
        continue
      }
      if drainer == .current { break }
      mutex.wait()
    }
    mutex.unlock()
  }
}

/// A growable ring buffer (FIFO) that reuses its storage.
@usableFromInline
struct _Ring<Element> {
  @usableFromInline var storage: UnsafeMutablePointer<Element>?
  @usableFromInline var capacity = 0
  @usableFromInline var head = 0
  @usableFromInline var count = 0

  @inlinable
  init() {}

  @inlinable
  var isEmpty: Bool { count == 0 }

  @inlinable
  mutating func append(_ element: consuming Element) {
    if count == capacity { grow() }
    (storage! + ((head + count) & (capacity - 1))).initialize(to: element)
    count += 1
  }

  @inlinable
  mutating func popFirst() -> Element? {
    guard count > 0 else { return nil }
    let element = (storage! + head).move()
    head = (head + 1) & (capacity - 1)
    count -= 1
    return element
  }

  @usableFromInline
  mutating func grow() {
    let newCapacity = Swift.max(16, capacity * 2)
    let new = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    if let storage {
      for offset in 0..<count {
        (new + offset).initialize(to: (storage + ((head + offset) & (capacity - 1))).move())
      }
      storage.deallocate()
    }
    storage = new
    capacity = newCapacity
    head = 0
  }

  @usableFromInline
  mutating func destroy() {
    while popFirst() != nil {}
    storage?.deallocate()
    storage = nil
    capacity = 0
  }
}
