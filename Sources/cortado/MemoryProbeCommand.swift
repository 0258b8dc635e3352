import ArgumentParser
import CortadoBench

/// Hidden: fills one cache in this fresh process and prints the growth of
/// the resident set (run by `cortado bench` as a child process).
struct MemoryProbeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: MemoryProbe.subcommand, shouldDisplay: false)

  @Argument var implementation: String
  @Option var entries = 1_000_000

  func run() throws {
    guard let implementation = BenchImplementation(rawValue: implementation) else {
      throw ValidationError("unknown implementation '\(implementation)'")
    }
    guard let measurement = MemoryProbe.measureInThisProcess(implementation, entries: entries) else {
      throw ValidationError("resident memory cannot be read on this system (/proc/self/statm)")
    }
    print(MemoryProbe.encode(measurement))
  }
}
