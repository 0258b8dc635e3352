import Foundation

/// The machine a benchmark ran on, for the record.
package struct MachineDescription: Sendable, Equatable {
  /// The processor model (`/proc/cpuinfo`), or "unknown".
  package var processor: String
  /// Processors available to this process.
  package var processorCount: Int
  /// The operating system's name.
  package var operatingSystem: String

  /// Creates a description.
  package init(processor: String, processorCount: Int, operatingSystem: String) {
    self.processor = processor
    self.processorCount = processorCount
    self.operatingSystem = operatingSystem
  }

  /// The machine this process runs on.
  package static func current() -> MachineDescription {
    var processor = "unknown"
    if let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
      let colon = line.firstIndex(of: ":")
    {
      processor = line[line.index(after: colon)...].trimmingSpaces
    }
    var system = ProcessInfo.processInfo.operatingSystemVersionString
    if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
      let line = release.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") })
    {
      system = String(line.dropFirst("PRETTY_NAME=".count)).filter { $0 != "\"" }
    }
    return MachineDescription(
      processor: processor, processorCount: ProcessInfo.processInfo.activeProcessorCount,
      operatingSystem: system)
  }

  /// One line: processor, count, system.
  package var summary: String {
    "\(processorCount) × \(processor), \(operatingSystem)"
  }
}
