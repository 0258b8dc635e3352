import Dispatch

/// Something the sweeper can clean: a cache's internal storage.
@usableFromInline
protocol _Sweepable: AnyObject, Sendable {
  /// Reclaims a bounded number of expired entries; returns whether more are due.
  func sweep(budgetPerStripe: Int) -> Bool
  /// Whether the owning cache is gone (the sweeper forgets it).
  var isClosed: Bool { get }
  /// Whether the sweep left removals for the listener.
  var hasRemovalsToDeliver: Bool { get }
  /// Delivers them (runs the cache's `onRemoval`).
  func deliverRemovals()
}

/// The one process-wide timer that reclaims expired entries from idle caches,
/// so that their memory is returned and their removal listeners fire even
/// when nobody touches them (the complaint users most often raise about
/// lazily expiring caches).
///
/// - One Dispatch timer for every cache in the process, never a thread per
///   cache. It runs only while some cache is registered.
/// - Caches are held weakly: a cache is freed as soon as its users drop it,
///   and its `deinit` never takes the sweeper's lock.
/// - Each pass copies the list of live caches under the lock, then sweeps each
///   one *outside* it, with a bounded budget per stripe; a cache with more work
///   left gets another pass soon after, so no cache can monopolise the timer.
/// - Removal notifications of the entries it reclaims are delivered on a
///   global queue, not on the sweeper's: a slow listener delays only its own
///   cache's notifications.
/// - A cache opts out with `Configuration.sweepsExpiredEntries = false`.
@usableFromInline
final class _Sweeper: @unchecked Sendable {
  @usableFromInline static let shared = _Sweeper()

  /// Time between passes.
  static let interval: DispatchTimeInterval = .seconds(1)
  /// Time before an extra pass when a cache still had expired entries.
  static let followUp: DispatchTimeInterval = .milliseconds(10)
  /// Expired entries reclaimed per stripe per pass.
  static let budget = 4_096

  private struct WeakTarget {
    weak var target: (any _Sweepable)?
  }

  private let mutex = _Mutex()
  private var targets: [WeakTarget] = []
  private var timer: (any DispatchSourceTimer)?
  private var followUpScheduled = false
  private let queue = DispatchQueue(label: "cortado.sweeper", qos: .utility)

  /// Starts sweeping `target`.
  @usableFromInline
  func register(_ target: any _Sweepable) {
    mutex.lock()
    targets.append(WeakTarget(target: target))
    if timer == nil {
      let timer = DispatchSource.makeTimerSource(queue: queue)
      timer.schedule(deadline: .now() + _Sweeper.interval, repeating: _Sweeper.interval, leeway: .milliseconds(100))
      timer.setEventHandler { [weak self] in self?.runPass() }
      timer.resume()
      self.timer = timer
    }
    mutex.unlock()
  }

  /// Whether this cache is registered and alive (for tests: unlike a count
  /// of registrations, the answer does not change when tests running beside
  /// them create or drop caches of their own).
  func isRegistered(_ target: any _Sweepable) -> Bool {
    mutex.withLock { targets.contains { $0.target.map { $0 === target && !$0.isClosed } ?? false } }
  }

  /// Runs one sweeping pass now, on the calling thread (tests use it to check
  /// the sweeper without waiting for the timer).
  @usableFromInline
  func runPass() {
    mutex.lock()
    targets.removeAll { $0.target.map(\.isClosed) ?? true }
    let live = targets.compactMap(\.target)
    if live.isEmpty, let timer {
      timer.cancel()
      self.timer = nil
    }
    followUpScheduled = false
    mutex.unlock()

    var moreWork = false
    for target in live where !target.isClosed {
      if target.sweep(budgetPerStripe: _Sweeper.budget) { moreWork = true }
      if target.hasRemovalsToDeliver {
        // Listeners are user code and may be slow: run them off the sweeper's
        // serial queue, so that one cache's listener never delays expiry in
        // another (each cache still delivers one notification at a time, in
        // order).
        DispatchQueue.global(qos: .utility).async { target.deliverRemovals() }
      }
    }
    if moreWork {
      mutex.lock()
      let schedule = !followUpScheduled
      followUpScheduled = true
      mutex.unlock()
      if schedule {
        queue.asyncAfter(deadline: .now() + _Sweeper.followUp) { [weak self] in self?.runPass() }
      }
    }
  }
}
