#if Redis
  import NIOCore
  import NIOPosix
  import NIOSSL

  // Server pushes, and the subscribers, observers and waiters that hear of them.
  extension RedisClientCore {
    // MARK: Pushes and events

    func handlePush(_ value: RESPValue) {
      if let event = Self.event(forPush: value) { self.emit(event) }
    }

    /// The event a push frame stands for, or nil for pushes this client ignores.
    /// Total over any input: a malformed `invalidate` becomes `.flushAll`
    /// (conservative), anything else unreadable is ignored.
    static func event(forPush value: RESPValue) -> RedisClientEvent? {
      guard let elements = value.elements, let kind = elements.first?.string?.lowercased() else { return nil }
      switch kind {
      case "invalidate":
        // `>2 invalidate [keys]`, or `>2 invalidate _` after FLUSHDB/FLUSHALL.
        guard elements.count >= 2, !elements[1].isNull, let keys = elements[1].elements else {
          return .flushAll
        }
        var names: [String] = []
        names.reserveCapacity(keys.count)
        for key in keys {
          switch key.withoutAttributes {
          case .bulkString(.some), .simpleString, .verbatimString:
            guard let name = key.string else { return .flushAll }
            names.append(name)
          default:
            // Something we cannot read: be conservative.
            return .flushAll
          }
        }
        return names.isEmpty ? nil : .keys(names)
      case "message", "smessage":
        guard elements.count >= 3, let channel = elements[1].string, let payload = elements[2].bytes else { return nil }
        return .message(channel: channel, payload: payload)
      case "pmessage":
        guard elements.count >= 4, let channel = elements[2].string, let payload = elements[3].bytes else { return nil }
        return .message(channel: channel, payload: payload)
      default:
        // Other pushes (e.g. tracking-redir-broken) do not concern this client.
        return nil
      }
    }

    func emit(_ event: RedisClientEvent) {
      for (_, observer) in self.observers { observer.event(event) }
      for (id, var subscriber) in self.eventSubscribers {
        if subscriber.droppedSome {
          switch subscriber.continuation.yield(.eventsDropped) {
          case .enqueued:
            subscriber.droppedSome = false
          case .dropped:
            continue
          case .terminated:
            self.eventSubscribers[id] = nil
            continue
          @unknown default:
            continue
          }
        }
        switch subscriber.continuation.yield(event) {
        case .enqueued:
          break
        case .dropped:
          subscriber.droppedSome = true
        case .terminated:
          self.eventSubscribers[id] = nil
          continue
        @unknown default:
          break
        }
        self.eventSubscribers[id] = subscriber
      }
    }

    func setState(_ state: RedisConnectionState) {
      self.state = state
      for (_, continuation) in self.stateSubscribers { continuation.yield(state) }
    }

    func addEventSubscriber(_ continuation: AsyncStream<RedisClientEvent>.Continuation) -> Int? {
      if case .shutdown = self.state {
        continuation.finish()
        return nil
      }
      self.nextID += 1
      self.eventSubscribers[self.nextID] = EventSubscriber(continuation: continuation)
      return self.nextID
    }

    func removeEventSubscriber(_ id: Int) {
      self.eventSubscribers[id] = nil
    }

    /// Adds a synchronous observer. When a connection is up, the observer is told
    /// at once with `.connected(info)`, so it cannot miss the connection that is
    /// already there. After shutdown it is only told `finished`.
    func addObserver(_ observer: RedisClientObserver) {
      if case .shutdown = self.state {
        observer.finished()
        return
      }
      self.nextID += 1
      self.observers[self.nextID] = observer
      if case .connected(let info) = self.state { observer.event(.connected(info)) }
    }

    func addStateSubscriber(_ continuation: AsyncStream<RedisConnectionState>.Continuation) -> Int? {
      continuation.yield(self.state)
      if case .shutdown = self.state {
        continuation.finish()
        return nil
      }
      self.nextID += 1
      self.stateSubscribers[self.nextID] = continuation
      return self.nextID
    }

    func removeStateSubscriber(_ id: Int) {
      self.stateSubscribers[id] = nil
    }

    func waitUntilConnected(timeout: TimeAmount, promise: EventLoopPromise<RedisConnectionInfo>) {
      switch self.state {
      case .connected(let info):
        promise.succeed(info)
        return
      case .shutdown:
        promise.fail(RedisClientError.shutdown)
        return
      case .idle, .connecting, .disconnected:
        break
      }
      self.nextID += 1
      let id = self.nextID
      self.connectWaiters[id] = promise
      self.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
        if let waiter = self.connectWaiters.removeValue(forKey: id) {
          waiter.fail(RedisClientError.connectWaitTimedOut(self.lastReason))
        }
      }
    }

    func whenShutDown(_ promise: EventLoopPromise<Void>) {
      if case .shutdown = self.state, self.channel == nil {
        promise.succeed()
      } else {
        self.shutdownWaiters.append(promise)
      }
    }
  }

  @available(*, unavailable)
  extension RedisClientCore: Sendable {}

  /// A synchronous event observer of a client (see `RedisClientCore.addObserver`).
  /// Both closures run on the client's event loop and must return quickly (take a
  /// lock, yield to a stream); they must not call back into the client synchronously.
  struct RedisClientObserver: Sendable {
    /// Every event, in connection order, as it happens.
    var event: @Sendable (RedisClientEvent) -> Void
    /// The client shut down; no event follows.
    var finished: @Sendable () -> Void
  }
#endif
