import Foundation
import Testing

@testable import CortadoBench

@Suite("The cortado command: determinism, errors, files")
struct DeterminismTests {
  @Test("the runtime's spellings of true count as enabled")
  func spellings() {
    #expect(DeterministicHashing.isEnabled("1"))
    #expect(DeterministicHashing.isEnabled("TRUE"))
    #expect(!DeterministicHashing.isEnabled("0"))
    #expect(!DeterministicHashing.isEnabled(""))
    #expect(!DeterministicHashing.isEnabled(nil))
  }

  /// The built `cortado` next to this test bundle, if `swift build` made it.
  static var binary: String? {
    let directory = URL(fileURLWithPath: ExecutablePath.current()).deletingLastPathComponent()
    for candidate in [
      directory, directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent(),
    ] {
      let path = candidate.appendingPathComponent("cortado").path
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }

  /// Runs the command on a Dispatch thread, so that waiting for it never
  /// blocks one of the few threads of Swift's cooperative pool (other async
  /// tests running meanwhile would starve).
  static func run(_ arguments: [String], environment: [String: String]) async throws -> (
    status: Int32, output: String, error: String
  ) {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(with: Result { try runBlocking(arguments, environment: environment) })
      }
    }
  }

  static func runBlocking(_ arguments: [String], environment: [String: String]) throws -> (
    status: Int32, output: String, error: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary!)
    process.arguments = arguments
    process.environment = environment
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self)
    )
  }

  /// The environment of a fresh shell, without deterministic hashing.
  static var cleanEnvironment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment[DeterministicHashing.environmentVariable] = nil
    environment["CORTADO_REEXECUTED"] = nil
    return environment
  }

  @Test(
    "two launches of `cortado simulate` print identical numbers",
    .enabled(if: binary != nil, "needs the cortado binary (swift build first)"))
  func identicalAcrossProcesses() async throws {
    let arguments = [
      "simulate", "--synthetic", "shift:keys=5000,period=5000,step=500,length=40000", "--capacity", "50,200,800",
      "--json",
    ]
    let first = try await Self.run(arguments, environment: Self.cleanEnvironment)
    let second = try await Self.run(arguments, environment: Self.cleanEnvironment)
    #expect(first.status == 0)
    #expect(first.error == "")
    #expect(first.output == second.output)
    // And --json prints JSON and nothing else.
    #expect(try JSONSerialization.jsonObject(with: Data(first.output.utf8)) is [[String: Any]])
  }

  @Test(
    "errors exit non-zero with a clear message",
    .enabled(if: binary != nil, "needs the cortado binary (swift build first)"),
    arguments: [
      (["simulate", "--trace", "/nonexistent.txt"], "no such trace file: /nonexistent.txt"),
      (["simulate", "--synthetic", "zipf", "--capacity", "100,0"], "capacity must be a positive number, got '0'"),
      (["simulate", "--synthetic", "zipf", "--policy", "lru,clock"], "unknown policy 'clock'"),
      (["simulate", "--trace", "/tmp", "--format", "parquet"], "unknown trace format 'parquet'"),
      (["simulate", "--synthetic", "zipf", "--stripes", "0"], "--stripes must be between 1 and 65536 (got 0)"),
    ])
  func errors(arguments: [String], message: String) async throws {
    let result = try await Self.run(arguments, environment: Self.cleanEnvironment)
    #expect(result.status != 0)
    #expect(result.error.contains(message))
    #expect(result.output == "")
  }

  @Test(
    "--write-trace writes the generator's keys, one per line, and simulating the file gives the generator's hits",
    .enabled(if: binary != nil, "needs the cortado binary (swift build first)"))
  func writeTrace() async throws {
    let file = try TemporaryFile("", suffix: ".txt")
    let spec = "phases:zipf(keys=500,alpha=0.9)*3k,loop(keys=300)*2k"
    let write = try await Self.run(
      ["simulate", "--synthetic", spec, "--write-trace", file.path], environment: Self.cleanEnvironment)
    #expect(write.status == 0, "\(write.error)")
    #expect(write.output.contains("Wrote 5000 requests"))
    let lines = try String(contentsOfFile: file.path, encoding: .utf8).split(separator: "\n")
    let expected = try readAll(try SyntheticSpec(parsing: spec).makeReader()).map { String($0.key) }
    #expect(lines.map(String.init) == expected)
    // Exact policies agree whatever the keys look like (the text reader hashes them).
    func hits(_ source: [String]) async throws -> String {
      let run = try await Self.run(
        ["simulate"] + source + ["--policy", "lru,fifo,optimal", "--capacity", "100,400", "--json"],
        environment: Self.cleanEnvironment)
      return run.output
    }
    #expect(try await hits(["--synthetic", spec]) == hits(["--trace", file.path]))
    let misuse = try await Self.run(
      ["simulate", "--synthetic", spec, "--write-trace", file.path, "--capacity", "5"],
      environment: Self.cleanEnvironment)
    #expect(misuse.status != 0)
    #expect(misuse.error.contains("--write-trace only writes the trace"))
  }

  @Test(
    "--chart writes an SVG while --json keeps standard output pure; csv and arc files through the command",
    .enabled(if: binary != nil, "needs the cortado binary (swift build first)"))
  func chartAndFormats() async throws {
    let chart = try TemporaryFile("", suffix: ".svg")
    let run = try await Self.run(
      [
        "simulate", "--synthetic", "loop:keys=100,length=2000", "--capacity", "50,90",
        "--policy", "lru,optimal", "--json", "--chart", chart.path,
      ], environment: Self.cleanEnvironment)
    #expect(run.status == 0)
    #expect(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) is [[String: Any]])
    let svg = try String(contentsOfFile: chart.path, encoding: .utf8)
    #expect(svg.components(separatedBy: "<polyline class=\"series\"").count == 3)

    let csv = try TemporaryFile("t,k\n1,a\n2,b\n3,a\n", suffix: ".csv")
    let csvRun = try await Self.run(
      [
        "simulate", "--trace", csv.path, "--format", "csv", "--column", "2", "--header",
        "--capacity", "1", "--policy", "optimal", "--json",
      ], environment: Self.cleanEnvironment)
    #expect(csvRun.output.contains("\"hits\": 1"))

    let arc = try TemporaryFile("0 2 0 0\n0 2 0 0\nbad line\n", suffix: ".arc")
    let arcRun = try await Self.run(
      ["simulate", "--trace", arc.path, "--format", "arc", "--capacity", "2"],
      environment: Self.cleanEnvironment)
    #expect(arcRun.status != 0)
    #expect(arcRun.error.contains("\(arc.path):3: the start block 'bad' is not a non-negative integer"))
  }
}
