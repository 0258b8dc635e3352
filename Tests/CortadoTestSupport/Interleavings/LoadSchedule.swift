/// Controlled scheduling for the loading code: the steps of a small scenario
/// (callers starting a load, being cancelled, loaders returning, writes and
/// removals), every order of them that respects their dependencies, and the
/// outcome the documented promises predict for each order.
///
/// A test runs each order against the real cache, waiting after every step
/// until the step has taken effect (through the load observer, never by
/// sleeping), and compares what each caller got and what the cache holds with
/// `LoadOracle`. Together the orders cover every interleaving of join,
/// cancel, finish and write that the scenario allows.
package enum LoadStep: Hashable, Sendable, CustomStringConvertible {
  /// The caller calls `loadValue` (its loader, if it runs, returns the
  /// caller's own value once its `finish` step opens it).
  case start(String)
  /// The caller's task is cancelled.
  case cancel(String)
  /// The loader passed by the caller returns (if it runs at all).
  case finish(String)
  /// The key is removed.
  case remove
  /// The key is written.
  case write(Int)

  package var description: String {
    switch self {
    case .start(let caller): return "start \(caller)"
    case .cancel(let caller): return "cancel \(caller)"
    case .finish(let caller): return "finish \(caller)'s loader"
    case .remove: return "remove"
    case .write(let value): return "write \(value)"
    }
  }
}

/// Every order of `steps` in which each pair `(a, b)` of `before` has `a`
/// first.
package func linearExtensions(_ steps: [LoadStep], before: [(LoadStep, LoadStep)]) -> [[LoadStep]] {
  var result: [[LoadStep]] = []
  var order: [LoadStep] = []
  var used = Set<LoadStep>()
  func extend() {
    if order.count == steps.count {
      result.append(order)
      return
    }
    for step in steps where !used.contains(step) {
      let ready = before.allSatisfy { pair in pair.1 != step || used.contains(pair.0) }
      guard ready else { continue }
      used.insert(step)
      order.append(step)
      extend()
      order.removeLast()
      used.remove(step)
    }
  }
  extend()
  return result
}

/// What the documented promises say a schedule of `LoadStep`s produces:
/// single flight, cancellation of one caller never failing another, an
/// abandoned load storing nothing, and a write or removal superseding the
/// load in flight (its callers get its value, the cache keeps the newer
/// state, and later callers start a load of their own).
package struct LoadOracle: Sendable {
  package struct Load: Sendable {
    package var waiters: Set<String>
    package var running = true
    package var abandoned = false
  }

  /// The value each caller's loader returns.
  package let loaderValues: [String: Int]
  /// The key's value in the cache.
  package private(set) var value: Int?
  /// The load that may still store (named after the caller whose loader runs).
  package private(set) var current: String?
  package private(set) var loads: [String: Load] = [:]
  package private(set) var waitingOn: [String: String] = [:]
  /// What each caller got: a value, or nil when it was cancelled.
  package private(set) var results: [String: Int?] = [:]

  package init(loaderValues: [String: Int], value: Int? = nil) {
    self.loaderValues = loaderValues
    self.value = value
  }

  /// Whether `caller`'s loader is running (its `finish` step will end a load).
  package func isRunning(_ caller: String) -> Bool { loads[caller]?.running ?? false }

  /// Whether `caller`'s `start` joined or started a load (rather than hit).
  package func isWaiting(_ caller: String) -> Bool { results[caller] == nil && waitingOn[caller] != nil }

  package mutating func apply(_ step: LoadStep) {
    switch step {
    case .start(let caller):
      if let value {
        results[caller] = value
      } else if let current, let load = loads[current], !load.abandoned, load.running {
        loads[current]!.waiters.insert(caller)
        waitingOn[caller] = current
      } else {
        loads[caller] = Load(waiters: [caller])
        current = caller
        waitingOn[caller] = caller
      }
    case .cancel(let caller):
      guard results[caller] == nil, let load = waitingOn[caller] else { return }
      results[caller] = .some(nil)
      loads[load]!.waiters.remove(caller)
      if loads[load]!.waiters.isEmpty && loads[load]!.running {
        loads[load]!.abandoned = true
        if current == load { current = nil }
      }
    case .finish(let caller):
      guard let load = loads[caller], load.running else { return }
      loads[caller]!.running = false
      let loaded = loaderValues[caller]!
      if current == caller {
        value = loaded
        current = nil
      }
      for waiter in load.waiters { results[waiter] = loaded }
    case .remove:
      value = nil
      current = nil
    case .write(let written):
      value = written
      current = nil
    }
  }
}
