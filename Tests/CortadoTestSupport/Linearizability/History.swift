import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One operation of a concurrent history: what was asked, what came back, and
/// when it was invoked and answered (ticks of one history-wide counter, so
/// `a.response < b.invoke` means a finished before b began).
///
/// Values written or loaded are unique in a history, so an answer tells which
/// write or load produced it.
package struct HistoryOperation: CustomStringConvertible, Sendable {
  package enum Kind: Sendable {
    case get(key: Int, result: Int?)
    case set(key: Int, value: Int)
    /// `result` is nil when the subject does not report the removed value.
    case remove(key: Int, result: Int??)
    /// Removes every key of one stripe (a cache's `removeAll()` is atomic per
    /// stripe, not across stripes).
    case removeAll(keys: [Int])
    case count(result: Int)
    /// `value(forKey:orInsert:)`; the closure would produce `computed`.
    case compute(key: Int, result: Int)
    /// `loadValue`; nil result: the caller was cancelled (by the driver).
    case load(key: Int, result: Int?)
    /// One key of a `loadValues` call; nil result: the call was cancelled.
    /// `batchValue` is what the batch's own loader returned for the key, if
    /// its loader ran: a cancelled batch may still have stored it.
    case batchPart(key: Int, result: Int?, batchValue: Int?)
    /// A loader or compute closure began producing `value` for `key`:
    /// between the invocation of the call that gave the closure and the
    /// closure's start.
    case producerStart(key: Int, value: Int)
    /// The loader that produced `value` returned it as
    /// `CacheLoadResult.uncached`: it reaches its callers, and is never stored.
    case uncachedProducer(value: Int)
    /// `refresh(forKey:using:)` that started a background load producing
    /// `value`: it may store that value any time after its producer began
    /// (its response is set to the end of the history), over a live value
    /// too, unless a write or removal came after the producer began.
    case refresh(key: Int, value: Int)
    /// `insertValue(value, forKey: key)`; `existing`: the live value it
    /// found and left (nil: it inserted).
    case insert(key: Int, value: Int, existing: Int?)
    /// `compute(forKey:_:)` (`presentOnly`: `modifyValue(forKey:_:)`): the
    /// closure last saw `saw` and the call answered `outcome`.
    case update(key: Int, presentOnly: Bool, saw: Int?, outcome: UpdateOutcome)
    case advance(to: Int64)
  }

  /// What a `compute(forKey:_:)` or `modifyValue(forKey:_:)` answered.
  package enum UpdateOutcome: Sendable, Hashable {
    case stored(Int)
    case removed
    case unchanged
    case superseded
  }

  package var kind: Kind
  package var thread: Int
  package var invoke: Int
  package var response: Int
  /// The manual clock's reading just before the invocation and just after
  /// the response: every time the operation used lies in between.
  package var clockBefore: Int64
  package var clockAfter: Int64

  package init(kind: Kind, thread: Int, invoke: Int, response: Int, clockBefore: Int64, clockAfter: Int64) {
    self.kind = kind
    self.thread = thread
    self.invoke = invoke
    self.response = response
    self.clockBefore = clockBefore
    self.clockAfter = clockAfter
  }

  package var description: String {
    "t\(thread) [\(invoke)–\(response)] clock \(clockBefore)…\(clockAfter) \(kind)"
  }
}

/// A thread-safe recorder of a history.
package final class HistoryRecorder: @unchecked Sendable {
  private var lock = pthread_mutex_t()
  private var tick = 0
  private var operations: [HistoryOperation] = []

  package init() { pthread_mutex_init(&lock, nil) }
  deinit { pthread_mutex_destroy(&lock) }

  package func nextTick() -> Int {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    tick += 1
    return tick
  }

  /// A value never used before in this history.
  package func nextValue() -> Int {
    1_000 + nextTick()
  }

  package func append(_ operation: HistoryOperation) {
    pthread_mutex_lock(&lock)
    operations.append(operation)
    pthread_mutex_unlock(&lock)
  }

  /// Records an event that happened between tick `since` and now.
  package func event(_ kind: HistoryOperation.Kind, thread: Int, since: Int, clock: Int64) {
    let tick = nextTick()
    append(
      HistoryOperation(kind: kind, thread: thread, invoke: since, response: tick, clockBefore: clock, clockAfter: clock)
    )
  }

  package var history: [HistoryOperation] {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    return operations.sorted { $0.invoke < $1.invoke }
  }
}
