import Cortado

/// Runs `operation` in its own task and returns its result, or throws
/// ``HybridRemoteError/timedOut`` once `timeout` has passed, whichever
/// comes first.
///
/// Why not a task group: a group waits for all its children, and a store call
/// may not stop when cancelled (a Redis command already written waits for its
/// reply or its own deadline). Here the caller is released at the deadline;
/// the abandoned call is cancelled and finishes on its own.
func hybridWithDeadline<T: Sendable>(
  _ timeout: Duration,
  _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
  let race = DeadlineRace<T>()
  return try await withTaskCancellationHandler {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
      race.install(continuation)
      let work = Task {
        do {
          race.finish(.success(try await operation()))
        } catch {
          race.finish(.failure(error))
        }
      }
      let timer = Task {
        try? await Task.sleep(for: timeout)
        if !Task.isCancelled { race.finish(.failure(HybridRemoteError.timedOut)) }
      }
      race.attach([work, timer])
    }
  } onCancel: {
    race.finish(.failure(CancellationError()))
  }
}

/// The first of the operation, the timer and cancellation to finish resumes
/// the caller, exactly once; the others are cancelled.
private final class DeadlineRace<T: Sendable>: Sendable {
  private struct State {
    var continuation: CheckedContinuation<T, any Error>?
    var result: Result<T, any Error>?
    var tasks: [Task<Void, Never>] = []
  }

  private let state = LockedState(State())

  func install(_ continuation: CheckedContinuation<T, any Error>) {
    let early: Result<T, any Error>? = state.withLock { state in
      if let result = state.result { return result }
      state.continuation = continuation
      return nil
    }
    if let early { continuation.resume(with: early) }
  }

  func finish(_ result: Result<T, any Error>) {
    let (continuation, tasks): (CheckedContinuation<T, any Error>?, [Task<Void, Never>]) = state.withLock { state in
      guard state.result == nil else { return (nil, []) }
      state.result = result
      defer { state.continuation = nil }
      return (state.continuation, state.tasks)
    }
    continuation?.resume(with: result)
    for task in tasks { task.cancel() }
  }

  func attach(_ tasks: [Task<Void, Never>]) {
    let finished = state.withLock { state in
      state.tasks = tasks
      return state.result != nil
    }
    if finished { for task in tasks { task.cancel() } }
  }
}
