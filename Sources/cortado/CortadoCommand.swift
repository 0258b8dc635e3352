import ArgumentParser
import CortadoBench

/// `cortado`: the hit-ratio simulator and throughput benchmark for Cortado.
@main
struct CortadoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cortado",
    abstract: "Hit-ratio simulator and throughput benchmark for the Cortado cache.",
    discussion: """
      With no subcommand, runs a short tour: every policy on built-in synthetic traces \
      (tables and an SVG chart), then a quick throughput comparison.
      """,
    subcommands: [
      TourCommand.self, SimulateCommand.self, BenchCommand.self, SoakCommand.self, MemoryProbeCommand.self,
    ],
    defaultSubcommand: TourCommand.self
  )

  /// Restarts with deterministic hashing before anything else runs: the
  /// Swift runtime reads the setting only at launch (see
  /// `DeterministicHashing`), and without it hit ratios can differ slightly
  /// between runs.
  static func main() {
    if let warning = DeterministicHashing.reexecuteIfNeeded() {
      StandardError.write(warning + "\n")
    }
    main(nil)
  }
}
