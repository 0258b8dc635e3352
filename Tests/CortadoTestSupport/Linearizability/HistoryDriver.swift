import Cortado
import Dispatch
import Foundation

/// What the history driver can do to a cache. Methods are called from the
/// driver's own threads (never from the cooperative pool, so that a caller
/// blocked in `compute` cannot starve the loaders); asynchronous operations
/// are bridged by the subject.
package protocol LinearizabilitySubject: Sendable {
  /// Whether `count()`, `compute`, `loadBatch` and `removeAll()` exist and are
  /// checked.
  var supportsCount: Bool { get }
  var supportsCompute: Bool { get }
  var supportsBatch: Bool { get }
  /// The groups of keys one `removeAll()` removes atomically (one per
  /// stripe); nil when the subject has no `removeAll()`.
  func removeAllGroups(_ keys: [Int]) -> [[Int]]?
  /// Whether `remove` reports the removed value.
  var reportsRemovedValue: Bool { get }

  func get(_ key: Int) -> Int?
  func set(_ key: Int, _ value: Int)
  func remove(_ key: Int) -> Int?
  func removeAll()
  func count() -> Int
  func compute(_ key: Int, _ make: () -> Int) -> Int
  /// Whether loaders may return `CacheLoadResult`s (some loads are then
  /// uncached).
  var supportsLoadResults: Bool { get }
  func load(_ key: Int, _ loader: @escaping @Sendable (Int) async throws -> CacheLoadResult<Int>) async throws -> Int
  /// `refresh(forKey:using:)`: whether a background refresh started.
  func refresh(_ key: Int, _ loader: @escaping @Sendable (Int) async throws -> Int) -> Bool
  /// Whether `insert`, `update` and `modify` exist and are checked.
  var supportsComputeFamily: Bool { get }
  /// `insertValue`: nil if it inserted, else the existing value.
  func insert(_ key: Int, _ value: Int) -> Int?
  /// `compute(forKey:_:)`.
  func update(_ key: Int, _ transform: (Int?) -> Int?) -> HistoryOperation.UpdateOutcome
  /// `modifyValue(forKey:_:)`.
  func modify(_ key: Int, _ transform: (Int) -> Int) -> HistoryOperation.UpdateOutcome
  func load(_ key: Int, _ loader: @escaping @Sendable (Int) async throws -> Int) async throws -> Int
  func loadBatch(_ keys: [Int], _ loader: @escaping @Sendable ([Int]) async throws -> [Int: Int]) async throws -> [Int:
    Int]
  /// Waits until no load is running any more (the history is then complete).
  func quiesce()
}

/// A small seeded generator (SplitMix64), so that a failing history is
/// reproduced from its printed seed.
package struct SeededRandom: RandomNumberGenerator {
  private var state: UInt64
  package init(seed: UInt64) { state = seed }
  package mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A value shared between a driver thread and the task it waits for.
final class Box<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: T?
  var value: T? {
    get { lock.withLock { stored } }
    set { lock.withLock { stored = newValue } }
  }
  /// An atomic read-modify-write.
  func modify<R>(_ body: (inout T?) -> R) -> R {
    lock.withLock { body(&stored) }
  }
}

/// Runs random concurrent histories against a subject and records them.
package struct HistoryDriver {
  package var threads = 3
  package var operationsPerThread = 5
  package var keys = 3
  /// The clock to advance, and by how much at most (nil: no advances).
  package var clock: ManualClock?
  package var largestAdvance: Duration = .milliseconds(1_500)
  /// The share of loads whose caller is cancelled.
  package var cancellationRate = 0.3

  package init() {}

  /// One history: what happened, every reading the clock took, and
  /// anything that must never happen whatever the order (an error nobody
  /// caused).
  package struct Outcome {
    package var history: [HistoryOperation]
    package var clockValues: [Int64]
    package var unexpected: [String]
  }

  package func run(_ subject: some LinearizabilitySubject, seed: UInt64) -> Outcome {
    let recorder = HistoryRecorder()
    let batchValues = Box<[Int: Box<[Int: Int]>]>()
    batchValues.value = [:]
    let advancing = NSLock()
    let unexpected = Box<[String]>()
    unexpected.value = []
    let clockValues = Box<[Int64]>()
    let start = clock.map { $0.elapsed._nanoseconds } ?? 0
    clockValues.value = [start]
    let arrived = Box<Int>()
    arrived.value = 0
    let finished = DispatchSemaphore(value: 0)
    let keyCount = keys
    for thread in 0..<threads {
      let worker = Thread { [self] in
        var random = SeededRandom(seed: seed &+ UInt64(thread) &* 0x9E37_79B9)
        // Start together, so that the operations overlap.
        arrived.modify { $0 = ($0 ?? 0) + 1 }
        while (arrived.value ?? 0) < threads { sched_yield() }
        for _ in 0..<operationsPerThread {
          step(
            subject, recorder: recorder, thread: thread, keyCount: keyCount, random: &random,
            unexpected: unexpected, clockValues: clockValues, batchValues: batchValues, advancing: advancing)
        }
        finished.signal()
      }
      worker.stackSize = 1 << 20
      worker.start()
    }
    for _ in 0..<threads { finished.wait() }
    // A batch whose caller was cancelled may still store what its loader
    // returns (if another caller joined it), even when the loader ran after
    // the caller left: wait for every load, then tell the checker what each
    // batch loader produced.
    subject.quiesce()
    var history = recorder.history
    for (index, operation) in history.enumerated() {
      if case .batchPart(let key, let result, _) = operation.kind, let box = batchValues.value?[operation.invoke] {
        let produced = box.value?[key]
        history[index].kind = .batchPart(key: key, result: result, batchValue: produced)
        if result == nil && produced != nil {
          // Its store may land any time after the caller left.
          history[index].response = Int.max
          history[index].clockAfter = .max
        }
      }
    }
    let values = Set(clockValues.value ?? []).sorted()
    return Outcome(history: history, clockValues: values, unexpected: unexpected.value ?? [])
  }

  private func now() -> Int64 { clock.map { $0.elapsed._nanoseconds } ?? 0 }

  private func step(
    _ subject: some LinearizabilitySubject, recorder: HistoryRecorder, thread: Int, keyCount: Int,
    random: inout SeededRandom, unexpected: Box<[String]>, clockValues: Box<[Int64]>,
    batchValues: Box<[Int: Box<[Int: Int]>]>, advancing: NSLock
  ) {
    let key = Int.random(in: 0..<keyCount, using: &random)
    let choice = Int.random(in: 0..<100, using: &random)
    let clockBefore = now()
    let invoke = recorder.nextTick()
    func record(_ kind: HistoryOperation.Kind) {
      let response = recorder.nextTick()
      recorder.append(
        HistoryOperation(
          kind: kind, thread: thread, invoke: invoke, response: response,
          clockBefore: clockBefore, clockAfter: now()))
    }
    let yields = Int.random(in: 0...3, using: &random)
    let cancelAfter: Int? =
      Double.random(in: 0..<1, using: &random) < cancellationRate
      ? Int.random(in: 0..<2_000, using: &random) : nil

    switch choice {
    case 0..<24:
      record(.get(key: key, result: subject.get(key)))
    case 24..<38:
      let value = recorder.nextValue()
      subject.set(key, value)
      record(.set(key: key, value: value))
    case 38..<46:
      let removed = subject.remove(key)
      record(.remove(key: key, result: subject.reportsRemovedValue ? .some(removed) : nil))
    case 46..<49 where subject.removeAllGroups(Array(0..<keyCount)) != nil:
      subject.removeAll()
      for group in subject.removeAllGroups(Array(0..<keyCount)) ?? [] { record(.removeAll(keys: group)) }
    case 49..<53 where subject.supportsCount:
      record(.count(result: subject.count()))
    case 53..<56 where subject.supportsComputeFamily:
      let value = recorder.nextValue()
      record(.insert(key: key, value: value, existing: subject.insert(key, value)))
    case 56..<60 where subject.supportsComputeFamily:
      // Writes a new value, or removes a value divisible by 3: the answer
      // tells what the closure saw.
      let value = recorder.nextValue()
      var saw: Int? = nil
      let outcome = subject.update(key) { current in
        saw = current
        for _ in 0..<(yields * 100) { sched_yield() }
        if let current, current % 3 == 0 { return nil }
        return value
      }
      record(.update(key: key, presentOnly: false, saw: saw, outcome: outcome))
    case 60..<63 where subject.supportsComputeFamily:
      let value = recorder.nextValue()
      var saw: Int? = nil
      let outcome = subject.modify(key) { current in
        saw = current
        for _ in 0..<(yields * 100) { sched_yield() }
        return value
      }
      record(.update(key: key, presentOnly: true, saw: saw, outcome: outcome))
    case 53..<63 where subject.supportsCompute:
      let value = recorder.nextValue()
      let result = subject.compute(key) {
        recorder.event(.producerStart(key: key, value: value), thread: thread, since: invoke, clock: 0)
        for _ in 0..<(yields * 100) { sched_yield() }
        return value
      }
      record(.compute(key: key, result: result))
    case 63..<72 where subject.supportsBatch:
      let other = (key + 1 + Int.random(in: 0..<(keyCount - 1), using: &random)) % keyCount
      let batchKeys = [key, other]
      let values = Dictionary(uniqueKeysWithValues: batchKeys.map { ($0, recorder.nextValue()) })
      let loaded = Box<[Int: Int]>()
      batchValues.modify { $0![invoke] = loaded }
      let outcome: Result<[Int: Int], any Error> = bridged(cancelAfter: cancelAfter) {
        try await subject.loadBatch(batchKeys) { missing in
          for missingKey in missing {
            recorder.event(
              .producerStart(key: missingKey, value: values[missingKey]!), thread: thread, since: invoke, clock: 0)
          }
          // One call's loader may run more than once (a part superseded
          // meanwhile is loaded again): keep every value it produced.
          let produced = values.filter { missing.contains($0.key) }
          loaded.modify { $0 = ($0 ?? [:]).merging(produced) { _, new in new } }
          for _ in 0..<yields { await Task.yield() }
          return values.filter { missing.contains($0.key) }
        }
      }
      let response = recorder.nextTick()
      let clockAfter = now()
      for batchKey in batchKeys {
        let result: Int?
        switch outcome {
        case .success(let dictionary):
          result = dictionary[batchKey]
          if result == nil {
            unexpected.modify { $0!.append("loadValues(\(batchKeys)) returned no value for \(batchKey)") }
          }
        case .failure(let error):
          result = nil
          if !(error is CancellationError && cancelAfter != nil) {
            unexpected.modify {
              $0!.append("loadValues(\(batchKeys)) threw \(error) though its caller was not cancelled")
            }
          }
        }
        recorder.append(
          HistoryOperation(
            kind: .batchPart(key: batchKey, result: result, batchValue: loaded.value?[batchKey]),
            thread: thread, invoke: invoke, response: response, clockBefore: clockBefore, clockAfter: clockAfter))
      }
    case 72..<76 where subject.supportsComputeFamily:
      let value = recorder.nextValue()
      let started = subject.refresh(key) { _ in
        recorder.event(.producerStart(key: key, value: value), thread: thread, since: invoke, clock: 0)
        for _ in 0..<yields { await Task.yield() }
        return value
      }
      if started {
        // Its store may land any time until the history is quiet.
        recorder.append(
          HistoryOperation(
            kind: .refresh(key: key, value: value), thread: thread, invoke: invoke, response: Int.max,
            clockBefore: clockBefore, clockAfter: .max))
      }
    case 72..<92:
      let value = recorder.nextValue()
      let uncached = subject.supportsLoadResults && Int.random(in: 0..<4, using: &random) == 0
      let outcome: Result<Int, any Error> = bridged(cancelAfter: cancelAfter) {
        if uncached {
          return try await subject.load(key) { _ -> CacheLoadResult<Int> in
            recorder.event(.producerStart(key: key, value: value), thread: thread, since: invoke, clock: 0)
            recorder.event(.uncachedProducer(value: value), thread: thread, since: invoke, clock: 0)
            for _ in 0..<yields { await Task.yield() }
            return .uncached(value)
          }
        }
        return try await subject.load(key) { _ in
          recorder.event(.producerStart(key: key, value: value), thread: thread, since: invoke, clock: 0)
          // Loaders ignore cancellation, as most network calls finish anyway.
          for _ in 0..<yields { await Task.yield() }
          return value
        }
      }
      switch outcome {
      case .success(let result):
        record(.load(key: key, result: result))
      case .failure(let error):
        if !(error is CancellationError && cancelAfter != nil) {
          unexpected.modify { $0!.append("loadValue(\(key)) threw \(error) though its caller was not cancelled") }
        }
        record(.load(key: key, result: nil))
      }
    default:
      guard let clock else {
        record(.get(key: key, result: subject.get(key)))
        return
      }
      let milliseconds = Int64.random(
        in:
          1...Int64(
            largestAdvance.components.seconds * 1_000 + largestAdvance.components.attoseconds / 1_000_000_000_000_000),
        using: &random)
      // Advances are serialised here, so that every value the clock takes is
      // recorded (a reading taken after two overlapping advances would miss
      // the one in between).
      let reading = advancing.withLock {
        clock.advance(by: .milliseconds(milliseconds))
        let reading = now()
        clockValues.modify { $0!.append(reading) }
        return reading
      }
      record(.advance(to: reading))
    }
  }

  /// Runs `body` in a task, cancelling it after `cancelAfter` spins if set,
  /// and blocks this (driver) thread until it is done.
  private func bridged<T: Sendable>(cancelAfter: Int?, _ body: @escaping @Sendable () async throws -> T) -> Result<
    T, any Error
  > {
    let result = Box<Result<T, any Error>>()
    let done = DispatchSemaphore(value: 0)
    let task = Task {
      do {
        result.value = .success(try await body())
      } catch {
        result.value = .failure(error)
      }
      done.signal()
    }
    if let cancelAfter {
      var spin = 0
      for _ in 0..<cancelAfter { spin &+= 1 }
      _ = spin
      task.cancel()
    }
    done.wait()
    return result.value!
  }
}

extension Duration {
  var _nanoseconds: Int64 {
    components.seconds &* 1_000_000_000 &+ components.attoseconds / 1_000_000_000
  }
}

/// Runs an async operation from a driver thread, blocking it until done.
package func blockingWait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
  let result = Box<T>()
  let done = DispatchSemaphore(value: 0)
  Task {
    result.value = await body()
    done.signal()
  }
  done.wait()
  return result.value!
}

/// Runs `body` on a thread of its own (not the cooperative pool) and waits
/// for it without blocking the caller's thread.
package func offPool(_ body: @escaping @Sendable () -> Void) async {
  await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
    let thread = Thread {
      body()
      continuation.resume()
    }
    thread.stackSize = 8 << 20
    thread.start()
  }
}
