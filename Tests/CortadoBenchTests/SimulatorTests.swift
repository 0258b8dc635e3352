import Testing

@testable import CortadoBench

@Suite("Simulator")
struct SimulatorTests {
  static let handTrace = "A\nB\nC\nA\nB\nD\nA\nD\nB\nC\n"

  @Test("replays the real cache read-through; LRU and FIFO worked by hand, optimal above both")
  func handWorked() throws {
    // Capacity 2, A B C A B D A D B C. LRU: the only hit is D at position 7
    // (every other key was evicted just before its return); FIFO likewise.
    let file = try TemporaryFile(Self.handTrace)
    let report = try Simulator.run(
      SimulationConfiguration(
        source: .file(path: file.path, format: .text), policies: SimulatedPolicy.parseList("lru,fifo,optimal", seed: 1),
        capacities: .counts([2])))
    #expect(report.requests == 10)
    #expect(report.distinctKeys == 4)
    #expect(report.result(policy: "lru", capacity: 2)?.hits == 1)
    #expect(report.result(policy: "fifo", capacity: 2)?.hits == 1)
    #expect(report.result(policy: "optimal", capacity: 2)?.hits == 4)
  }

  @Test("the optimum is an upper bound for every policy")
  func optimalIsUpperBound() throws {
    let spec = try SyntheticSpec(parsing: "zipf:alpha=0.9,keys=2000,length=30000")
    let report = try Simulator.run(
      SimulationConfiguration(
        source: .synthetic(spec), policies: SimulatedPolicy.all(seed: 1), capacities: .counts([20, 100, 500])))
    for capacity in report.capacities {
      let optimal = try #require(report.result(policy: "optimal", capacity: capacity))
      for result in report.results where result.capacity == capacity {
        #expect(result.hits <= optimal.hits, "\(result.policy) at \(capacity)")
      }
    }
    #expect(report.results.count == 6 * 3)
  }

  @Test("results do not depend on how cells are spread over threads, or on the run")
  func parallelismInvariant() throws {
    let spec = try SyntheticSpec(parsing: "scan:hot=500,scan=300,period=1000,length=200000")
    func run(_ parallelism: Int?) throws -> [SimulationResult] {
      try Simulator.run(
        SimulationConfiguration(
          source: .synthetic(spec), policies: SimulatedPolicy.all(seed: 3), capacities: .counts([100, 400]),
          parallelism: parallelism)
      ).results
    }
    let sequential = try run(1)
    #expect(try run(nil) == sequential)
    #expect(try run(nil) == sequential)
  }

  @Test("capacity fractions resolve against the distinct keys")
  func fractions() throws {
    let spec = try SyntheticSpec(parsing: "loop:keys=1000,length=5000")
    let report = try Simulator.run(
      SimulationConfiguration(
        source: .synthetic(spec), policies: [.optimal], capacities: .fractions([0.5, 0.1, 0.0001])))
    #expect(report.capacities == [1, 100, 500])
  }

  @Test("--limit replays only the first requests")
  func limit() throws {
    let file = try TemporaryFile(Self.handTrace)
    let report = try Simulator.run(
      SimulationConfiguration(
        source: .file(path: file.path, format: .text), policies: [.optimal, .cortado(.lru)],
        capacities: .counts([2]), limit: 5))
    #expect(report.requests == 5)
    #expect(report.result(policy: "optimal", capacity: 2)?.hits == 2)
  }

  @Test("weighted simulation uses sizes and labels the optimum a heuristic")
  func weighted() throws {
    let requests = (0..<3000).map { TraceRequest(key: UInt64($0 % 50), size: UInt32(1 + $0 % 50)) }
    let file = try TemporaryFile(bytes: OracleGeneralTraceReader.encode(requests))
    let report = try Simulator.run(
      SimulationConfiguration(
        source: .file(path: file.path, format: .oracleGeneral),
        policies: SimulatedPolicy.parseList("lru,optimal", seed: 1),
        capacities: .counts([600]), weighted: true))
    #expect(report.policies == ["lru", "optimal-heuristic"])
    #expect(report.result(policy: "optimal-heuristic", capacity: 600)!.hits > 0)
    #expect(SimulationOutput.table(report).contains("not a strict bound"))
  }

  @Test("--weighted on a trace without sizes is an error")
  func weightedNeedsSizes() throws {
    let file = try TemporaryFile(Self.handTrace)
    let error = #expect(throws: TraceError.self) {
      try Simulator.run(
        SimulationConfiguration(source: .file(path: file.path, format: .text), policies: [.optimal], weighted: true))
    }
    #expect(error?.description.contains("--weighted needs object sizes") == true)
  }

  @Test("an empty trace is an error")
  func emptyTrace() throws {
    let file = try TemporaryFile("\n\n")
    #expect(throws: SimulationError.self) {
      try Simulator.run(
        SimulationConfiguration(
          source: .file(path: file.path, format: .text), policies: [.cortado(.lru)], capacities: .counts([1])))
    }
  }

  @Test("a malformed line stops the simulation with its line number")
  func malformedStops() throws {
    let file = try TemporaryFile("0 4 0 0\n1 2 0 0\noops\n")
    let error = #expect(throws: TraceError.self) {
      try Simulator.run(
        SimulationConfiguration(
          source: .file(path: file.path, format: .arc), policies: SimulatedPolicy.all(seed: 1), capacities: .counts([2])
        ))
    }
    #expect(malformedLine(error) == 3)
  }

  @Test("capacities must be positive", arguments: ["0", "-5", "abc", "", "10,0", "1.5"])
  func invalidCapacity(text: String) {
    #expect(throws: SimulationError.self) { try CapacityPlan.parseCounts(text) }
  }

  @Test("capacity lists accept suffixes and separators, and resolve sorted without duplicates")
  func capacityList() throws {
    #expect(try CapacityPlan.parseCounts("500, 2k,1_000,2000,1m") == .counts([500, 2_000, 1_000, 2_000, 1_000_000]))
    #expect(try CapacityPlan.parseCounts("500,2k,1000,2000").resolve(distinct: 0) == [500, 1_000, 2_000])
    #expect(throws: SimulationError.invalidCapacity("0")) { try CapacityPlan.parseFractions("0.5,0") }
    #expect(SimulationError.invalidCapacity("0").description == "capacity must be a positive number, got '0'")
  }

  @Test("policy lists: names, all, duplicates, and unknown names")
  func policyList() throws {
    #expect(try SimulatedPolicy.parseList(nil, seed: 1).count == 6)
    #expect(try SimulatedPolicy.parseList("all", seed: 1) == SimulatedPolicy.all(seed: 1))
    #expect(try SimulatedPolicy.parseList("LRU, optimal,lru", seed: 1) == [.cortado(.lru), .optimal])
    #expect(try SimulatedPolicy.parseList("random", seed: 7) == [.cortado(.random(seed: 7))])
    let error = #expect(throws: SimulationError.self) { try SimulatedPolicy.parseList("lru,arc", seed: 1) }
    #expect(error == .unknownPolicy("arc"))
    #expect(error?.description.contains("w-tinylfu, lru, lfu, fifo, random, optimal") == true)
  }
}
