import Foundation
import Testing

@testable import CortadoBench

@Suite("Benchmark")
struct BenchTests {
  @Test("the hand-written baseline evicts the least recently used entry")
  func lockedLRU() {
    let cache = LockedLRUDictionary<Int, String>(capacity: 2, lifetime: .seconds(60))
    cache.setValue("one", forKey: 1)
    cache.setValue("two", forKey: 2)
    #expect(cache.value(forKey: 1) == "one")  // 1 is now the most recent
    cache.setValue("three", forKey: 3)  // evicts 2
    #expect(cache.value(forKey: 2) == nil)
    #expect(cache.value(forKey: 1) == "one")
    #expect(cache.value(forKey: 3) == "three")
    cache.setValue("uno", forKey: 1)  // replace, no eviction
    #expect(cache.count == 2)
    #expect(cache.value(forKey: 1) == "uno")
    var loads = 0
    #expect(
      cache.value(
        forKey: 4,
        orInsert: {
          loads += 1
          return "four"
        }) == "four")
    #expect(
      cache.value(
        forKey: 4,
        orInsert: {
          loads += 1
          return "again"
        }) == "four")
    #expect(loads == 1)
  }

  @Test("the hand-written baseline expires entries after their lifetime")
  func lockedLRUExpiry() throws {
    let cache = LockedLRUDictionary<Int, Int>(capacity: 10, lifetime: .milliseconds(20))
    cache.setValue(1, forKey: 1)
    #expect(cache.value(forKey: 1) == 1)
    Thread.sleep(forTimeInterval: 0.05)
    #expect(cache.value(forKey: 1) == nil)
    #expect(cache.count == 0)
  }

  @Test("Zipf key streams are seeded, in range, and skewed")
  func keyStreams() {
    let a = KeyStreams(keySpace: 1000, threads: 2, length: 1 << 12, seed: 5)
    let b = KeyStreams(keySpace: 1000, threads: 2, length: 1 << 12, seed: 5)
    #expect(a.streams == b.streams)
    #expect(a.streams[0] != a.streams[1])
    #expect(a.streams.joined().allSatisfy { (0..<1000).contains($0) })
    #expect(a.streams[0].filter { $0 == 0 }.count > a.streams[0].filter { $0 == 999 }.count)
  }

  @Test("exported key streams are the streams a run draws, with checksums a peer can recompute")
  func exportedKeys() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("cortado-keys-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var configuration = BenchConfiguration()
    configuration.capacity = 500
    configuration.keySpace = 900
    configuration.threads = [1, 3]
    configuration.streamLength = 1 << 10
    configuration.seed = 7
    try Benchmark.exportKeys(configuration, to: directory)

    let read = KeyStreams(keySpace: 500, threads: 3, length: 1 << 10, seed: 7)
    let wide = KeyStreams(keySpace: 900, threads: 3, length: 1 << 10, seed: 7 &+ Benchmark.wideSeedOffset)
    let manifest = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/keys.json")))
        as? [String: Any])
    #expect(manifest["capacity"] as? Int == 500)
    #expect(manifest["warmUpLength"] as? Int == Benchmark.warmUpLength)
    for (kind, streams) in [("read", read), ("wide", wide)] {
      let files = try #require(manifest[kind] as? [[String: String]])
      #expect(files.count == 3, "one file per thread of the largest count")
      for (thread, file) in files.enumerated() {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + (file["file"] ?? "")))
        let keys = stride(from: 0, to: bytes.count, by: 8).map { offset in
          // Little-endian: the last byte is the most significant.
          Int(bytes[offset..<offset + 8].reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) })
        }
        #expect(keys == streams.streams[thread], "\(kind) stream \(thread)")
        #expect(file["checksum"] == String(KeyStreams.checksum(keys)))
      }
    }
    #expect(KeyStreams.checksum([1, 2]) != KeyStreams.checksum([2, 1]), "the checksum sees the order")
  }

  @Test("a short run measures every supported cell, and the reference only reads on one thread")
  func shortRun() throws {
    var configuration = BenchConfiguration()
    configuration.capacity = 2_000
    configuration.keySpace = 4_000
    configuration.duration = .milliseconds(10)
    configuration.rounds = 1
    configuration.streamLength = 1 << 12
    let report = try Benchmark.run(configuration)
    let cells = BenchWorkload.allCases.count * 2 * (BenchImplementation.allCases.count - 1) + 2
    #expect(report.measurements.count == cells)
    for measurement in report.measurements {
      #expect(measurement.operationsPerSecond > 0, "\(measurement.implementation) \(measurement.workload)")
      if let ratio = measurement.hitRatio { #expect(ratio >= 0 && ratio <= 1) }
      #expect((measurement.cpuNanosecondsPerOperation ?? 0) > 0)
    }
    #expect(report.measurements.filter { $0.implementation == .dictionary }.map(\.workload) == [.read, .read])
    // A warm cache serves reads from memory: nearly all hits.
    let read = try #require(report.measurement(.cortadoLRU, .read, threads: 1))
    #expect(read.hitRatio! > 0.98)
    #expect(report.measurement(.lockedDictionary, .read, threads: 1)?.hitRatio == 1)
    #expect(report.measurement(.cortado, .write, threads: 1)?.hitRatio == nil)
  }

  static func measurement(
    _ implementation: BenchImplementation, _ workload: BenchWorkload, _ threads: Int, _ rate: Double,
    cpu: Double? = nil
  ) -> BenchMeasurement {
    BenchMeasurement(
      implementation: implementation, workload: workload, threads: threads,
      operationsPerSecond: rate, rounds: [rate], hitRatio: nil, cpuNanosecondsPerOperation: cpu)
  }

  static func syntheticReport() -> BenchReport {
    BenchReport(
      configuration: BenchConfiguration(),
      measurements: [
        measurement(.dictionary, .read, 1, 50e6, cpu: 20),  // 20 ns
        measurement(.dictionary, .read, 2, 90e6, cpu: 22),
        measurement(.cortadoNoTTL, .read, 1, 25e6),  // 40 ns: 2.0×, met
        measurement(.cortado, .read, 1, 10e6, cpu: 100),  // 100 ns: 5.0×, missed
        measurement(.cortado, .read, 2, 19e6, cpu: 125),  // 1.25× the CPU time: missed
        measurement(.cortado, .mixed, 2, 9e6),
        measurement(.lockedDictionary, .mixed, 2, 3e6),  // 3.0×, met
        measurement(.nsCache, .mixed, 2, 1e6),
      ], memory: [], machine: MachineDescription(processor: "test", processorCount: 2, operatingSystem: "test"))
  }

  @Test("the performance goals are computed from the medians, met or not")
  func goals() {
    let checks = PerformanceGoals.evaluate(Self.syntheticReport())
    #expect(checks.count == 7)
    #expect(checks[0].value == 2.0 && checks[0].isMet == true)
    #expect(checks[1].value == 5.0 && checks[1].isMet == false)
    #expect(checks[2].value == nil && checks[2].isMet == nil)  // coarse clock not measured
    #expect(checks[3].value == 3.0 && checks[3].isMet == true)
    #expect(checks[4].value == 1.25 && checks[4].isMet == false)
    #expect(checks[4].detail.contains("ceiling: 1.10×"), "the dictionary's own ratio is printed beside it")
    #expect(checks[5].value == nil, "no memory measured")
    #expect(checks[6].value == nil && checks[6].detail.contains("throughput.py"), "Caffeine: measured elsewhere")

    var withMemory = Self.syntheticReport()
    withMemory.memory = [
      MemoryMeasurement(implementation: .cortadoNoTTL, entries: 1_000_000, residentGrowth: 78_000_000),
      MemoryMeasurement(implementation: .cortado, entries: 1_000_000, residentGrowth: 88_000_000),
      MemoryMeasurement(implementation: .nsCache, entries: 1_000_000, residentGrowth: 226_000_000),
    ]
    let memory = PerformanceGoals.evaluate(withMemory)[5]
    #expect(memory.value == 72 && memory.isMet == false, "the worst of Cortado's configurations counts, not NSCache")
    #expect(memory.detail.contains("cortado,"))
    #expect(memory.measuredText == "72.0 B" && checks[4].measuredText == "1.25×" && checks[6].measuredText == "–")
  }

  @Test("ratios are to the best baseline of the same workload and thread count; ns/op counts threads")
  func ratios() throws {
    let report = Self.syntheticReport()
    let mixed = try #require(report.measurement(.cortado, .mixed, threads: 2))
    #expect(report.ratioToBestBaseline(mixed) == 3.0)
    #expect(report.ratioToBestBaseline(try #require(report.measurement(.dictionary, .read, threads: 1))) == nil)
    #expect(abs(mixed.nanosecondsPerOperation - 2e9 / 9e6) < 1e-9)
  }

  @Test("bench --json parses, with throughput, memory and goals")
  func json() throws {
    var report = Self.syntheticReport()
    report.memory = [MemoryMeasurement(implementation: .cortado, entries: 1_000_000, residentGrowth: 80_000_000)]
    let parsed = try JSONSerialization.jsonObject(with: Data(BenchOutput.json(report).utf8)) as? [String: Any]
    let throughput = try #require(parsed?["throughput"] as? [[String: Any]])
    #expect(throughput.count == report.measurements.count)
    #expect(
      Set(throughput[0].keys) == [
        "implementation", "workload", "threads", "opsPerSecond", "nsPerOp", "cpuNsPerOp", "ratioToBestBaseline",
        "hitRatio", "rounds",
      ])
    let memory = try #require(parsed?["memory"] as? [[String: Any]])
    #expect(memory.first?["bytesPerEntry"] as? Double == 80)
    #expect(memory.first?["overheadPerEntry"] as? Double == 64)
    #expect((parsed?["goals"] as? [Any])?.count == 7)
    #expect(BenchOutput.text(report).contains("NO"))
  }

  @Test("the memory child's output line round-trips")
  func memoryLine() {
    let measurement = MemoryMeasurement(implementation: .nsCache, entries: 1_000, residentGrowth: 123_456)
    #expect(MemoryProbe.decode(MemoryProbe.encode(measurement) + "\n") == measurement)
    #expect(MemoryProbe.decode("garbage") == nil)
    #expect(MemoryProbe.residentBytes().map { $0 > 0 } ?? true)
  }

  @Test("workload and implementation lists")
  func lists() throws {
    #expect(try BenchWorkload.parseList("read, mixed") == [.read, .mixed])
    #expect(try BenchWorkload.parseList(nil) == BenchWorkload.allCases)
    #expect(throws: BenchError.unknownWorkload("scan")) { try BenchWorkload.parseList("read,scan") }
    #expect(try BenchImplementation.parseList("cortado,nscache") == [.cortado, .nsCache])
    #expect(throws: BenchError.self) { try BenchImplementation.parseList("redis") }
  }
}
