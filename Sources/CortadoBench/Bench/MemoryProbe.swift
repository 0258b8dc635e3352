import Foundation

/// Resident memory per entry, measured as the growth of the process's
/// resident set while one cache is filled with 1M `Int → Int` entries.
package struct MemoryMeasurement: Sendable, Equatable {
  /// The bytes of payload in each entry (an `Int` key and an `Int` value).
  package static let payloadBytes = 16

  /// The cache measured.
  package var implementation: BenchImplementation
  /// Entries inserted (the cache's capacity too, so none is evicted).
  package var entries: Int
  /// Resident-set growth, in bytes.
  package var residentGrowth: Int

  /// Creates a measurement.
  package init(implementation: BenchImplementation, entries: Int, residentGrowth: Int) {
    self.implementation = implementation
    self.entries = entries
    self.residentGrowth = residentGrowth
  }

  /// Total resident bytes per entry, payload included.
  package var bytesPerEntry: Double { Double(residentGrowth) / Double(max(1, entries)) }
  /// Bytes per entry beyond the 16-byte payload.
  package var overheadPerEntry: Double { bytesPerEntry - Double(Self.payloadBytes) }
}

/// Measures memory per entry, each implementation in a fresh process.
///
/// A fresh process matters: a process that has already run benchmarks has
/// freed memory in its allocator that a new cache would reuse without the
/// resident set growing, which would flatter whatever runs later. The child
/// is the `cortado` binary itself, run with a hidden subcommand.
package enum MemoryProbe {
  /// The hidden subcommand the child runs.
  package static let subcommand = "_memory"

  /// Runs `executable _memory <implementation> --entries <entries>` and
  /// reads its result.
  package static func measureInChildProcess(
    executable: String, implementation: BenchImplementation, entries: Int
  ) throws -> MemoryMeasurement {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = [subcommand, implementation.rawValue, "--entries", String(entries)]
    let output = Pipe()
    process.standardOutput = output
    do {
      try process.run()
    } catch {
      throw BenchError.memoryProbeFailed("could not start \(executable): \(error)")
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0, let measurement = decode(text) else {
      throw BenchError.memoryProbeFailed(
        "\(implementation.rawValue): child exited with status \(process.terminationStatus), printed '\(text)'")
    }
    return measurement
  }

  /// Fills one cache of `implementation` in this process and returns the
  /// growth of the resident set (`nil` where `/proc/self/statm` is absent).
  package static func measureInThisProcess(
    _ implementation: BenchImplementation, entries: Int, timeToLive: Duration = .seconds(60)
  ) -> MemoryMeasurement? {
    // Warm up: load the code, the allocator's arenas and the Cortado
    // sweeper thread before the baseline, so they are not billed per entry.
    _ = fill(implementation, entries: 1_000, timeToLive: timeToLive)
    guard let before = residentBytes() else { return nil }
    let cache = fill(implementation, entries: entries, timeToLive: timeToLive)
    guard let after = residentBytes() else { return nil }
    withExtendedLifetime(cache) {}
    return MemoryMeasurement(implementation: implementation, entries: entries, residentGrowth: after - before)
  }

  /// A cache of `implementation` holding keys `0..<entries`.
  private static func fill(_ implementation: BenchImplementation, entries: Int, timeToLive: Duration) -> AnyObject {
    func filled<S: BenchSubject>(_ subject: S) -> S {
      for key in 0..<entries { subject.set(key, key) }
      return subject
    }
    switch implementation {
    case .cortado, .cortadoLRU, .cortadoCoarse, .cortadoNoTTL, .cortadoLRUNoTTL:
      return filled(CortadoSubject(implementation, capacity: entries, timeToLive: timeToLive))
    case .lockedDictionary:
      return filled(LockedDictionarySubject(capacity: entries, lifetime: timeToLive))
    case .nsCache:
      return filled(NSCacheSubject(capacity: entries))
    case .dictionary:
      return ReferenceDictionarySubject(count: entries)
    }
  }

  /// The resident set size, from `/proc/self/statm` (Linux).
  package static func residentBytes() -> Int? {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
    let fields = statm.split(separator: " ")
    guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
  }

  /// The child's one line of output.
  package static func encode(_ measurement: MemoryMeasurement) -> String {
    "implementation=\(measurement.implementation.rawValue) entries=\(measurement.entries) residentGrowth=\(measurement.residentGrowth)"
  }

  static func decode(_ text: String) -> MemoryMeasurement? {
    var fields: [String: String] = [:]
    for pair in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
      let parts = pair.split(separator: "=", maxSplits: 1)
      if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
    }
    guard let name = fields["implementation"], let implementation = BenchImplementation(rawValue: name),
      let entries = fields["entries"].flatMap({ Int($0) }),
      let growth = fields["residentGrowth"].flatMap({ Int($0) })
    else { return nil }
    return MemoryMeasurement(implementation: implementation, entries: entries, residentGrowth: growth)
  }
}
