extension HybridCache {
  /// Replays the queued writes and removals now, if the store is connected,
  /// and returns when the replay is over.
  ///
  /// The cache replays by itself after every reconnect and after any direct
  /// write that reaches the store; call this to wait for it (in tests, or
  /// before shutting down). Writes are replayed with
  /// ``RemoteCacheStore/setIfNotNewer(_:bytes:timeToLive:createdAtMilliseconds:)``
  /// with what is left of their lifetime (expired ones are dropped); removals
  /// are replayed as they are. Operations that fail again stay queued.
  public func replayRecoveryQueue() async {
    await startReplay()?.value
  }

  /// Starts a replay unless one is running; returns the running one.
  ///
  /// A running replay is asked for one more pass: a reconnect or a completed
  /// write may arrive just after its last pass found the queue empty, and
  /// must not be absorbed by a task that is about to end.
  @discardableResult
  func startReplay() -> Task<Void, Never>? {
    state.withLock { state in
      if let running = state.replayTask {
        state.replayRequested = true
        return running
      }
      guard !state.isShutDown else { return nil }
      state.replayRequested = false
      let task = Task { await self.replay() }
      state.replayTask = task
      return task
    }
  }

  private func replay() async {
    while true {
      await replayPass()
      configuration._replayPassEnded?()
      // The decision to end and the clearing of `replayTask` happen under one
      // lock, so a request made before it gets another pass and one made after
      // it starts a new task.
      let again = state.withLock { state -> Bool in
        if state.replayRequested && !state.isShutDown && !Task.isCancelled {
          state.replayRequested = false
          return true
        }
        state.replayTask = nil
        return false
      }
      if !again { return }
    }
  }

  private func replayPass() async {
    while !Task.isCancelled, store.state == .connected {
      let items = state.withLock { $0.queue.takeAll() }
      if items.isEmpty { return }
      var failed = false
      var removals: [RecoveryQueue.Item] = []
      for item in items {
        guard case .set(let bytes, let timeToLive, let createdAt, let enqueuedAt) = item.operation else {
          removals.append(item)
          continue
        }
        if failed || Task.isCancelled {
          requeue(item)
          continue
        }
        let remaining = timeToLive - (now() - enqueuedAt)
        guard remaining > 0 else {
          state.withLock { $0.statistics.recoveryDropped += 1 }
          continue
        }
        do {
          let stored = try await remote {
            try await $0.setIfNotNewer(
              item.key, bytes: bytes, timeToLive: .nanoseconds(remaining), createdAtMilliseconds: createdAt)
          }
          state.withLock { state in
            if stored {
              state.statistics.recoveryReplayed += 1
              state.statistics.remoteWrites += 1
            } else {
              state.statistics.recoveryRefused += 1
            }
          }
        } catch {
          failed = true
          requeue(item)
        }
      }
      var start = 0
      while start < removals.count {
        let chunk = Array(removals[start..<min(start + 100, removals.count)])
        start += chunk.count
        if failed || Task.isCancelled {
          chunk.forEach(requeue)
          continue
        }
        do {
          let keys = chunk.map(\.key)
          try await remote { try await $0.remove(keys) }
          state.withLock { state in
            state.statistics.recoveryReplayed += chunk.count
            state.statistics.remoteWrites += chunk.count
          }
        } catch {
          failed = true
          chunk.forEach(requeue)
        }
      }
      if failed { return }
    }
  }

  private func requeue(_ item: RecoveryQueue.Item) {
    state.withLock { state in
      // Not put back when a newer operation for the key arrived meanwhile
      // (superseded, not lost) or when the queue is full (dropped).
      if !state.queue.requeue(item) && state.queue.operation(forKey: item.key) == nil {
        state.statistics.recoveryDropped += 1
      }
    }
  }
}
