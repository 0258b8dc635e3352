@testable import Cortado

/// An async gate for tests: tasks wait until it opens. Lets a test hold a
/// loader inside its call for as long as it needs, without sleeping.
final class Gate: @unchecked Sendable {
  private let state = Locked<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

  func wait() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let resume: Bool = state.withLock { state in
        if state.open { return true }
        state.waiters.append(continuation)
        return false
      }
      if resume { continuation.resume() }
    }
  }

  func open() {
    let waiters = state.withLock { state in
      state.open = true
      defer { state.waiters = [] }
      return state.waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  var waiting: Int { state.withLock { $0.waiters.count } }
}

/// Polls `condition` (yielding in between) until it holds; gives up, instead
/// of hanging, once it has polled `rounds` times *and* 60 seconds have
/// passed, so that a cooperative pool starved by CPU-bound tests stretches
/// the wait rather than failing it.
func eventually(_ condition: () -> Bool, rounds: Int = 2_000_000) async -> Bool {
  let deadline = ContinuousClock.now + .seconds(60)
  var round = 0
  while round < rounds || ContinuousClock.now < deadline {
    if condition() { return true }
    round += 1
    if round >= rounds { try? await Task.sleep(for: .milliseconds(1)) } else { await Task.yield() }
  }
  return condition()
}

extension Cache {
  /// How many callers wait for the load of `key` (0 when none is in flight).
  func _waiters(forKey key: Key) -> Int {
    core.withShard(for: key) { shard, _, _ in shard.pointee.loads[key]?.waiters.count ?? 0 }
  }

  /// Whether a load or refresh of `key` is in flight.
  func _isLoading(_ key: Key) -> Bool {
    core.withShard(for: key) { shard, _, _ in shard.pointee.loads[key] != nil }
  }
}

struct TestFailure: Error, Equatable {
  var code: Int = 0
}
