import Dispatch
import Foundation

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What one run of one cell measured.
struct CellMeasurement: Sendable {
  var operations = 0
  var gets = 0
  var hits = 0
  var seconds = 0.0
  /// CPU time the worker threads used, summed: unlike `seconds`, it does
  /// not grow while a thread waits for a core another process holds.
  var cpuSeconds = 0.0
}

/// Runs a workload on several threads against one cache for a fixed time.
enum ThroughputRunner {
  /// Operations between two looks at the clock: small enough to stop within
  /// microseconds of the deadline, large enough that reading the clock
  /// (about 25 ns) costs under 0.1 ns per operation.
  static let chunk = 512

  static func measure<S: BenchSubject>(
    _ subject: S, workload: BenchWorkload, threads: Int, duration: Duration, keys: KeyStreams
  ) -> CellMeasurement {
    let gate = StartGate(parties: threads)
    let slots = Slots(count: threads)
    let finished = DispatchGroup()
    for thread in 0..<threads {
      finished.enter()
      let worker = Thread {
        let deadline = gate.arriveAndWait()
        let result = keys.streams[thread].withUnsafeBufferPointer { stream in
          work(subject, workload: workload, keys: stream, deadline: deadline)
        }
        slots.store(result, at: thread)
        finished.leave()
      }
      worker.start()
    }
    let start = gate.open(for: duration)
    finished.wait()
    return slots.total(since: start)
  }

  /// One thread's loop. Generic so that it is specialised per cache type;
  /// the workload switch sits outside the inner loops.
  @inline(never)
  static func work<S: BenchSubject>(
    _ subject: S, workload: BenchWorkload, keys: UnsafeBufferPointer<Int>, deadline: ContinuousClock.Instant
  ) -> (measurement: CellMeasurement, end: ContinuousClock.Instant) {
    let mask = keys.count - 1
    let clock = ContinuousClock()
    var index = 0
    var operations = 0
    var gets = 0
    var hits = 0
    let cpuStart = threadCPUSeconds()
    var now = clock.now
    repeat {
      switch workload {
      case .read:
        for _ in 0..<chunk {
          if subject.get(keys[index & mask]) != nil { hits &+= 1 }
          index &+= 1
        }
        gets &+= chunk
      case .mixed:
        // Every tenth operation is a set: 90% gets, 10% sets.
        var untilSet = 9 - (index % 10)
        for _ in 0..<chunk {
          let key = keys[index & mask]
          if untilSet == 0 {
            subject.set(key, key)
            untilSet = 9
          } else {
            if subject.get(key) != nil { hits &+= 1 }
            gets &+= 1
            untilSet -= 1
          }
          index &+= 1
        }
      case .write:
        for _ in 0..<chunk {
          let key = keys[index & mask]
          subject.set(key, key)
          index &+= 1
        }
      case .load:
        for _ in 0..<chunk {
          _ = subject.getOrLoad(keys[index & mask])
          index &+= 1
        }
      }
      operations &+= chunk
      now = clock.now
    } while now < deadline
    let cpu = threadCPUSeconds() - cpuStart
    return (CellMeasurement(operations: operations, gets: gets, hits: hits, cpuSeconds: cpu), now)
  }
}

/// CPU time used by the calling thread, in seconds.
func threadCPUSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Per-thread results, written once by each worker and read after all have
/// finished (`DispatchGroup.wait` orders the writes before the read).
private final class Slots: @unchecked Sendable {
  private let lock = NSLock()
  private var results: [(measurement: CellMeasurement, end: ContinuousClock.Instant)?]

  init(count: Int) {
    results = Array(repeating: nil, count: count)
  }

  func store(_ result: (measurement: CellMeasurement, end: ContinuousClock.Instant), at index: Int) {
    lock.lock()
    results[index] = result
    lock.unlock()
  }

  /// The sum over threads; the elapsed time runs to the last thread's end.
  func total(since start: ContinuousClock.Instant) -> CellMeasurement {
    lock.lock()
    defer { lock.unlock() }
    var total = CellMeasurement()
    var end = start
    for case let result? in results {
      total.operations += result.measurement.operations
      total.gets += result.measurement.gets
      total.hits += result.measurement.hits
      total.cpuSeconds += result.measurement.cpuSeconds
      if result.end > end { end = result.end }
    }
    total.seconds =
      Double(start.duration(to: end).components.attoseconds) / 1e18
      + Double(start.duration(to: end).components.seconds)
    return total
  }
}
