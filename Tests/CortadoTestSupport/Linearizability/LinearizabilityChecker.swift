/// Decides whether a concurrent history is linearizable: whether some
/// sequential order of its operations, consistent with real time (an
/// operation that finished before another began comes first), explains every
/// answer under a sequential model of the cache. In the spirit of Lincheck
/// and Jepsen's Knossos (the Wing–Gong search with Lowe's memoisation):
/// depth-first over the operations that may come next, remembering the
/// (done set, model state) pairs already known to fail.
///
/// ## The model
/// A dictionary of live values with deadlines, plus what the documented
/// promises need:
/// - **Evictions are nondeterministic**: when a store leaves more live
///   entries than `capacity`, any one of them may go (the policies' exact
///   order is checked single-threaded elsewhere; here only bounds matter).
/// - **Time**: each operation used one clock reading between `clockBefore`
///   and `clockAfter`; the search tries each. An entry is live before its
///   deadline.
/// - **Loads and computations** (`loadValue`, `loadValues`,
///   `value(forKey:orInsert:)`): an answer `v` is a *hit* (the key holds `v`),
///   a *join* (the key's last load produced `v` and no write or removal came
///   since), or a *miss* that stores `v`, allowed only if the key holds no
///   live value and the producer of `v` began (`producerStart`) with no write
///   or removal of the key since. That last rule is the barrier: nothing that
///   began before a write or removal stores its result after it, and nothing
///   arriving after it receives that result.
/// - A load or computation superseded by a write or removal while its
///   callers waited returns its value to them (callers invoked before that
///   write answered) without storing it: "newer writes win".
/// - A cancelled `loadValue` has no effect; a cancelled batch may or may not
///   have stored its own loader's value (batch loads span stripes).
/// - A producer "began" somewhere between the invocation of the call whose
///   closure it is and the moment the closure started running (the load is
///   registered in between), so `producerStart` spans that interval.
package struct LinearizabilityChecker {
  package struct Entry: Hashable {
    package var value: Int
    package var deadline: Int64
  }

  package struct State: Hashable {
    package init() {}
    package var entries: [Int: Entry] = [:]
    /// The value the key's last load or computation produced, until a write
    /// or removal of the key.
    package var loaded: [Int: Int] = [:]
    /// Producers that began since the key's last write or removal.
    package var pending: [Int: Set<Int>] = [:]
    /// Producers that a write or removal superseded, with that write's
    /// response tick: their value may still reach the callers that were
    /// waiting for them (invoked before that tick), but is never stored.
    package var superseded: [Int: [Int: Int]] = [:]
  }

  package init(capacity: Int, timeToLive: Int64, clockValues: [Int64]) {
    self.capacity = capacity
    self.timeToLive = timeToLive
    self.clockValues = clockValues
  }

  package let capacity: Int
  /// The lifetime of every write, in the clock's nanoseconds (`.max`: none).
  package let timeToLive: Int64
  /// Every reading the manual clock took, ascending.
  package let clockValues: [Int64]
  /// The values loaders returned as `CacheLoadResult.uncached` (found in the
  /// history's `uncachedProducer` events).
  package var uncachedValues: Set<Int> = []

  /// The readings an operation may have used.
  package func times(_ operation: HistoryOperation) -> [Int64] {
    clockValues.filter { $0 >= operation.clockBefore && $0 <= operation.clockAfter }
  }

  package func isLive(_ entry: Entry?, at time: Int64) -> Bool {
    guard let entry else { return false }
    return entry.deadline > time
  }

  package func deadline(from time: Int64) -> Int64 {
    let (sum, overflow) = time.addingReportingOverflow(timeToLive)
    return overflow ? .max : sum
  }

  /// A write or removal of `key` (answered at tick `response`): loads in
  /// flight no longer count.
  package func barrier(_ state: inout State, _ key: Int, response: Int) {
    for value in state.pending[key] ?? [] { state.superseded[key, default: [:]][value] = response }
    state.loaded[key] = nil
    state.pending[key] = nil
  }

  /// Stores `value` and branches over the evictions that may follow.
  package func store(_ state: State, _ key: Int, _ value: Int, at time: Int64) -> [State] {
    var next = state
    next.entries[key] = Entry(value: value, deadline: deadline(from: time))
    let live = next.entries.filter { $0.value.deadline > time }.map(\.key)
    guard live.count > capacity else { return [next] }
    return live.map { victim in
      var evicted = next
      evicted.entries[victim] = nil
      return evicted
    }
  }

  /// The outcomes of a load or computation of `key`, invoked at tick
  /// `invoke`, that answered `result`.
  package func loaded(_ state: State, _ key: Int, _ result: Int, at time: Int64, invoke: Int) -> [State] {
    var outcomes: [State] = []
    // Superseded while the caller waited: returned, never stored.
    if let barrier = state.superseded[key]?[result], invoke < barrier { outcomes.append(state) }
    if isLive(state.entries[key], at: time), state.entries[key]?.value == result { outcomes.append(state) }
    if state.loaded[key] == result { outcomes.append(state) }
    // A miss that stores: the key holds no live value, or only one a
    // concurrent load or computation stored (the later of two concurrent
    // producers supersedes the earlier, whose callers still get its value).
    let replaceable = !isLive(state.entries[key], at: time) || state.entries[key]?.value == state.loaded[key]
    if replaceable, state.pending[key]?.contains(result) == true {
      var next = state
      next.pending[key]?.remove(result)
      next.loaded[key] = result
      // An uncached result reaches the load's callers (joiners too) but is
      // never stored.
      outcomes.append(contentsOf: uncachedValues.contains(result) ? [next] : store(next, key, result, at: time))
    }
    return outcomes
  }

  /// Every state the model may be in after `operation`.
  package func apply(_ operation: HistoryOperation, to state: State) -> [State] {
    var outcomes: [State] = []
    switch operation.kind {
    case .producerStart(let key, let value):
      var next = state
      next.pending[key, default: []].insert(value)
      return [next]
    case .advance, .uncachedProducer:
      return [state]
    default:
      break
    }
    for time in times(operation) {
      switch operation.kind {
      case .get(let key, let result):
        let live = isLive(state.entries[key], at: time) ? state.entries[key]?.value : nil
        if live == result { outcomes.append(state) }
      case .set(let key, let value):
        var next = state
        barrier(&next, key, response: operation.response)
        outcomes.append(contentsOf: store(next, key, value, at: time))
      case .remove(let key, let result):
        let live = isLive(state.entries[key], at: time) ? state.entries[key]?.value : nil
        if let result, result != live { continue }
        var next = state
        barrier(&next, key, response: operation.response)
        next.entries[key] = nil
        outcomes.append(next)
      case .removeAll(let keys):
        var next = state
        for key in keys {
          barrier(&next, key, response: operation.response)
          next.entries[key] = nil
        }
        outcomes.append(next)
      case .count(let result):
        if state.entries.values.filter({ $0.deadline > time }).count == result { outcomes.append(state) }
      case .compute(let key, let result):
        outcomes.append(contentsOf: loaded(state, key, result, at: time, invoke: operation.invoke))
      case .load(let key, let result):
        guard let result else { return [state] }  // cancelled: no effect
        outcomes.append(contentsOf: loaded(state, key, result, at: time, invoke: operation.invoke))
      case .batchPart(let key, let result, let batchValue):
        if let result {
          outcomes.append(contentsOf: loaded(state, key, result, at: time, invoke: operation.invoke))
        } else {
          outcomes.append(state)
          let replaceable = !isLive(state.entries[key], at: time) || state.entries[key]?.value == state.loaded[key]
          if let batchValue, replaceable, state.pending[key]?.contains(batchValue) == true {
            var next = state
            next.pending[key]?.remove(batchValue)
            next.loaded[key] = batchValue
            outcomes.append(contentsOf: store(next, key, batchValue, at: time))
          }
        }
      case .insert(let key, let value, let existing):
        let live = isLive(state.entries[key], at: time) ? state.entries[key]?.value : nil
        if let existing {
          if live == existing { outcomes.append(state) }
        } else if live == nil {
          var next = state
          barrier(&next, key, response: operation.response)
          outcomes.append(contentsOf: store(next, key, value, at: time))
        }
      case .refresh(let key, let value):
        outcomes.append(state)  // superseded, or its store is what a joiner's answer explains
        if state.pending[key]?.contains(value) == true {
          var next = state
          next.pending[key]?.remove(value)
          next.loaded[key] = value
          outcomes.append(contentsOf: store(next, key, value, at: time))
        }
      case .update(let key, let presentOnly, let saw, let outcome):
        outcomes.append(
          contentsOf: updated(state, key, presentOnly: presentOnly, saw: saw, outcome, at: time, operation))
      case .producerStart, .advance, .uncachedProducer:
        break
      }
    }
    return outcomes
  }

  /// The outcomes of a `compute(forKey:_:)` or `modifyValue(forKey:_:)`. It
  /// takes effect at one instant, on the value its closure saw then; a
  /// superseded one has no effect (whether a write really overlapped it is
  /// checked by `supersededUpdatesOverlapAWrite`).
  package func updated(
    _ state: State, _ key: Int, presentOnly: Bool, saw: Int?, _ outcome: HistoryOperation.UpdateOutcome,
    at time: Int64, _ operation: HistoryOperation
  ) -> [State] {
    let entry = isLive(state.entries[key], at: time) ? state.entries[key] : nil
    switch outcome {
    case .superseded:
      return [state]
    case .unchanged:
      return entry == nil ? [state] : []
    case .removed:
      guard let entry, entry.value == saw, !presentOnly else { return [] }
      var next = state
      barrier(&next, key, response: operation.response)
      next.entries[key] = nil
      return [next]
    case .stored(let value):
      guard entry?.value == saw else { return [] }
      var next = state
      barrier(&next, key, response: operation.response)
      if presentOnly, let entry {
        // The entry keeps its remaining lifetime.
        next.entries[key] = Entry(value: value, deadline: entry.deadline)
        return [next]
      }
      return presentOnly ? [] : store(next, key, value, at: time)
    }
  }

  /// Every superseded `compute` or `modifyValue` overlapped, in real time, an
  /// operation that writes or removes its key (the only things that
  /// supersede one). Returns the first that did not.
  package static func supersededUpdatesOverlapAWrite(_ history: [HistoryOperation]) -> HistoryOperation? {
    func writes(_ operation: HistoryOperation, _ key: Int) -> Bool {
      switch operation.kind {
      case .set(let other, _), .remove(let other, _), .load(let other, _), .batchPart(let other, _, _),
        .refresh(let other, _):
        return other == key
      case .insert(let other, _, let existing):
        return other == key && existing == nil
      case .update(let other, _, _, let outcome):
        return other == key && outcome != .superseded && outcome != .unchanged
      case .removeAll(let keys):
        return keys.contains(key)
      default:
        return false
      }
    }
    for operation in history {
      guard case .update(let key, _, _, .superseded) = operation.kind else { continue }
      let overlapped = history.contains { other in
        writes(other, key) && other.invoke < operation.response && operation.invoke < other.response
      }
      if !overlapped { return operation }
    }
    return nil
  }

  package struct Visit: Hashable {
    package var done: UInt64
    package var state: State
  }

  /// Whether `history` (at most 64 operations) is linearizable from `initial`.
  package func isLinearizable(_ history: [HistoryOperation], from initial: State = State()) -> Bool {
    let uncached = Set(
      history.compactMap { operation -> Int? in
        if case .uncachedProducer(let value) = operation.kind { return value }
        return nil
      })
    if uncached != uncachedValues {
      var checker = self
      checker.uncachedValues = uncached
      return checker.isLinearizable(history, from: initial)
    }
    precondition(history.count <= 64, "the checker handles histories of up to 64 operations")
    let all: UInt64 = history.count == 64 ? .max : (1 << UInt64(history.count)) - 1
    var failed = Set<Visit>()

    func search(_ done: UInt64, _ state: State) -> Bool {
      if done == all { return true }
      let visit = Visit(done: done, state: state)
      if failed.contains(visit) { return false }
      // The earliest response among the operations not yet placed: only an
      // operation invoked before it may come next.
      var earliest = Int.max
      for index in history.indices where done & (1 << UInt64(index)) == 0 {
        earliest = min(earliest, history[index].response)
      }
      for index in history.indices where done & (1 << UInt64(index)) == 0 {
        let operation = history[index]
        guard operation.invoke <= earliest else { continue }
        for next in apply(operation, to: state) where search(done | (1 << UInt64(index)), next) {
          return true
        }
      }
      failed.insert(visit)
      return false
    }
    return search(0, initial)
  }
}
