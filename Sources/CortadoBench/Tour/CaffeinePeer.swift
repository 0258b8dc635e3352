import Foundation

/// Caffeine's hit ratios on a trace, for the tour's tables: the trace is
/// written as text and replayed by `Benchmarks/Peers/CaffeineReplay.java`
/// (Caffeine's maintenance on the caller's thread, the median of three runs:
/// its admission is randomised). Only used when the user names a jar, so the
/// tour's output never depends on what a machine happens to have installed.
package struct CaffeinePeer: Sendable {
  /// The Caffeine jar (`/usr/share/java/caffeine-2.6.2.jar` from Debian's
  /// `libcaffeine-java`).
  package var jar: String
  /// The replayer's source, run by `java` as a single-file program.
  package var replayer: String
  /// The row label in the tables.
  package static let label = "caffeine"

  /// Checks that both files exist, with a message that says what to do.
  package init(jar: String, replayer: String = "Benchmarks/Peers/CaffeineReplay.java") throws {
    guard FileManager.default.fileExists(atPath: jar) else {
      throw CaffeinePeerError("no Caffeine jar at \(jar) (apt-get install -y libcaffeine-java)")
    }
    guard FileManager.default.fileExists(atPath: replayer) else {
      throw CaffeinePeerError("no replayer at \(replayer): run the tour from the package's root")
    }
    self.jar = jar
    self.replayer = replayer
  }

  /// Caffeine's results on `source` at each capacity.
  package func results(_ source: TraceSource, capacities: [Int]) throws -> [SimulationResult] {
    let trace = FileManager.default.temporaryDirectory
      .appendingPathComponent("cortado-caffeine-\(ProcessInfo.processInfo.processIdentifier).txt").path
    defer { try? FileManager.default.removeItem(atPath: trace) }
    try TraceTextWriter.write(source, to: trace)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["java", "-cp", jar, replayer, trace, capacities.map(String.init).joined(separator: ",")]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw CaffeinePeerError("could not start java: \(error)")
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw CaffeinePeerError("the Caffeine replayer exited with status \(process.terminationStatus)")
    }
    return try Self.decode(data)
  }

  /// Reads the replayer's JSON: `[{capacity, requests, hitRatio}, …]`.
  package static func decode(_ data: Data) throws -> [SimulationResult] {
    guard let rows = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
      throw CaffeinePeerError("the Caffeine replayer printed no JSON array")
    }
    return try rows.map { row in
      guard let capacity = row["capacity"] as? Int, let requests = row["requests"] as? Int,
        let ratio = row["hitRatio"] as? Double, ratio >= 0, ratio <= 1
      else { throw CaffeinePeerError("unexpected row from the Caffeine replayer: \(row)") }
      return SimulationResult(
        policy: label, isOptimal: false, capacity: capacity, requests: requests,
        hits: Int((ratio * Double(requests)).rounded()))
    }
  }
}

/// Why Caffeine's column could not be produced.
package struct CaffeinePeerError: Error, CustomStringConvertible {
  package var description: String
  init(_ description: String) { self.description = description }
}
