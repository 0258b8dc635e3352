import Cortado
import Dispatch
import Foundation

/// What to simulate.
package struct SimulationConfiguration: Sendable {
  /// The trace.
  package var source: TraceSource
  /// The policies, in the order they are reported.
  package var policies: [SimulatedPolicy]
  /// The capacities; `nil` takes the synthetic trace's suggestion, or
  /// ``CapacityPlan/defaultFractions`` for a file.
  package var capacities: CapacityPlan?
  /// Whether capacities bound the total of object sizes.
  package var weighted: Bool
  /// Replays only the first `limit` requests.
  package var limit: Int?
  /// `1` replays cells one after another on the calling thread; anything
  /// else (or `nil`) spreads them over every processor.
  package var parallelism: Int?
  /// Stripes of each Cortado cache: 1 (the default) lets the policy order
  /// every entry, as a simulator's would; more shows what striping, which
  /// splits the capacity and the policy's view between stripes, costs.
  package var stripes: Int = 1

  /// Creates a configuration.
  package init(
    source: TraceSource, policies: [SimulatedPolicy], capacities: CapacityPlan? = nil,
    weighted: Bool = false, limit: Int? = nil, parallelism: Int? = nil
  ) {
    self.source = source
    self.policies = policies
    self.capacities = capacities
    self.weighted = weighted
    self.limit = limit
    self.parallelism = parallelism
  }
}

/// Replays a trace through every policy at every capacity.
///
/// The trace is streamed in batches of 64 Ki requests; each batch is fed to
/// every cell (policy × capacity) before the next is read, with cells spread
/// across processors. A cell always sees the requests in order, one thread
/// at a time, so the results do not depend on the parallelism. When the
/// optimum is asked for (or capacities are fractions), a first pass counts
/// the trace and, for the optimum, records next uses (see ``NextUseTable``
/// for its memory).
package enum Simulator {
  static let batchSize = 1 << 16

  /// Runs the simulation.
  ///
  /// - Throws: ``TraceError`` for an unreadable or malformed trace,
  ///   ``SimulationError`` for unusable options.
  package static func run(_ configuration: SimulationConfiguration, progress: ProgressBar = .disabled) throws
    -> SimulationReport
  {
    let source = configuration.source
    if configuration.weighted && !source.hasSizes { throw TraceError.noSizes(source.description) }

    let plan =
      configuration.capacities
      ?? source.defaultCapacities.map { CapacityPlan.counts($0) }
      ?? CapacityPlan.defaultFractions
    let wantsOptimal = configuration.policies.contains(.optimal)

    var profile: TraceProfile?
    if wantsOptimal || plan.needsProfile {
      progress.begin(
        "pass 1/2: reading next uses", total: [configuration.limit, source.knownLength].compactMap { $0 }.min())
      profile = try TraceProfile.measure(
        source, limit: configuration.limit, buildNextUse: wantsOptimal, progress: progress)
      progress.finish()
      if profile!.requests == 0 { throw SimulationError.emptyTrace(source.description) }
    }
    let distinct = configuration.weighted ? profile?.distinctCost ?? 0 : profile?.distinctKeys ?? 0
    let capacities = plan.resolve(distinct: distinct)

    var cells: [(policy: SimulatedPolicy, capacity: Int, replayer: any Replayer)] = []
    for policy in configuration.policies {
      for capacity in capacities {
        let replayer: any Replayer
        switch policy {
        case .cortado(let evictionPolicy):
          replayer = try CortadoReplayer(
            policy: evictionPolicy, capacity: capacity, weighted: configuration.weighted, stripes: configuration.stripes
          )
        case .optimal:
          replayer = OptimalReplayer(capacity: capacity, weighted: configuration.weighted, nextUse: profile!.nextUse!)
        }
        cells.append((policy, capacity, replayer))
      }
    }

    progress.begin(
      profile == nil ? "replaying" : "pass 2/2: replaying",
      total: profile?.requests ?? [configuration.limit, source.knownLength].compactMap { $0 }.min())
    let requests = try replay(
      source, limit: configuration.limit, into: cells.map(\.replayer),
      parallelism: configuration.parallelism, progress: progress)
    progress.finish()
    if requests == 0 { throw SimulationError.emptyTrace(source.description) }
    if let profile, profile.requests != requests {
      throw SimulationError.traceChanged(firstPass: profile.requests, secondPass: requests)
    }

    let results = cells.map { cell in
      SimulationResult(
        policy: cell.policy.label(weighted: configuration.weighted), isOptimal: cell.policy.isOptimal,
        capacity: cell.capacity, requests: requests, hits: cell.replayer.hits)
    }
    return SimulationReport(
      source: source.description, title: source.shortName, requests: requests, distinctKeys: profile?.distinctKeys,
      weighted: configuration.weighted, capacities: capacities,
      policies: configuration.policies.map { $0.label(weighted: configuration.weighted) }, results: results)
  }

  /// Streams `source` into every replayer; returns the number of requests.
  private static func replay(
    _ source: TraceSource, limit: Int?, into replayers: [any Replayer], parallelism: Int?, progress: ProgressBar
  ) throws -> Int {
    let reader = try source.makeReader()
    let cap = limit ?? Int.max
    let cells = UncheckedCells(replayers)
    let sequential = parallelism == 1 || ProcessInfo.processInfo.activeProcessorCount == 1 || replayers.count == 1
    var batch: [TraceRequest] = []
    batch.reserveCapacity(batchSize)
    var done = 0
    while done < cap, try reader.fill(&batch, maximumCount: min(batchSize, cap - done)) {
      let firstIndex = done
      batch.withUnsafeBufferPointer { buffer in
        let shared = UncheckedBatch(buffer: buffer)
        if sequential {
          for replayer in cells.replayers { replayer.replay(shared.buffer, firstIndex: firstIndex) }
        } else {
          // One iteration per cell: Dispatch hands cells to idle threads, so
          // a slow policy does not hold up a whole share of the others.
          DispatchQueue.concurrentPerform(iterations: cells.replayers.count) { index in
            cells.replayers[index].replay(shared.buffer, firstIndex: firstIndex)
          }
        }
      }
      done += batch.count
      progress.update(fraction: reader.fractionRead, count: done)
    }
    return done
  }
}

/// Replayers shared with `concurrentPerform`. Safe because each iteration
/// touches a different replayer, and `concurrentPerform` returns only after
/// every iteration has finished (which orders them before the next batch).
private struct UncheckedCells: @unchecked Sendable {
  let replayers: [any Replayer]
  init(_ replayers: [any Replayer]) { self.replayers = replayers }
}

/// A batch shared read-only with `concurrentPerform`, which does not outlive
/// the buffer's scope.
private struct UncheckedBatch: @unchecked Sendable {
  let buffer: UnsafeBufferPointer<TraceRequest>
}
