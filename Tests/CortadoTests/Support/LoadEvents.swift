import Testing

@testable import Cortado

/// Records what the loading code reports (`Configuration._loadObserver`), so
/// that a test can wait for a join, a cancellation or a finish to have taken
/// effect before taking its next step: every interleaving a test drives is
/// then deterministic, with no sleeps.
final class LoadEvents<Key: Hashable & Sendable>: @unchecked Sendable {
  private let log = Locked<[_LoadEvent<Key>]>([])

  var observer: @Sendable (_LoadEvent<Key>) -> Void {
    { [log] event in log.withLock { $0.append(event) } }
  }

  var all: [_LoadEvent<Key>] { log.current }

  func count(_ event: _LoadEvent<Key>) -> Int {
    log.withLock { $0.filter { $0 == event }.count }
  }

  func count(where matches: (_LoadEvent<Key>) -> Bool) -> Int {
    log.withLock { $0.filter(matches).count }
  }

  /// Waits until `event` has been seen at least `times` times in all.
  func wait(for event: _LoadEvent<Key>, times: Int = 1) async {
    let seen = await eventually { self.count(event) >= times }
    if !seen { Issue.record("never saw \(event) \(times) time(s); saw \(all)") }
  }

  /// Waits until `times` events match.
  func wait(times: Int = 1, where matches: @escaping (_LoadEvent<Key>) -> Bool) async {
    let seen = await eventually { self.count(where: matches) >= times }
    if !seen { Issue.record("never saw \(times) matching event(s); saw \(all)") }
  }
}

extension _LoadEvent {
  var isFinish: Bool {
    if case .finished = self { return true }
    return false
  }

  var isStartOrJoin: Bool {
    switch self {
    case .started, .joined: return true
    default: return false
    }
  }
}

/// A gate whose waiters throw `CancellationError` when their task is
/// cancelled (a loader that honours cancellation, like most network calls).
final class CancellableGate: @unchecked Sendable {
  private let state = Locked<(open: Bool, waiters: [UInt64: CheckedContinuation<Void, any Error>], next: UInt64)>(
    (false, [:], 0))

  func wait() async throws {
    let id = state.withLock { state -> UInt64 in
      state.next += 1
      return state.next
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        let resume: Result<Void, any Error>? = state.withLock { state in
          if state.open { return .success(()) }
          if Task.isCancelled { return .failure(CancellationError()) }
          state.waiters[id] = continuation
          return nil
        }
        if let resume { continuation.resume(with: resume) }
      }
    } onCancel: {
      let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
      waiter?.resume(throwing: CancellationError())
    }
  }

  func open() {
    let waiters = state.withLock { state in
      state.open = true
      defer { state.waiters = [:] }
      return Array(state.waiters.values)
    }
    for waiter in waiters { waiter.resume() }
  }
}
