import ArgumentParser
import CortadoBench

/// The default command: a short tour on built-in defaults.
struct TourCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tour",
    abstract: "Simulate every policy on built-in traces and run a quick benchmark (the default)."
  )

  @Option(help: ArgumentHelp("Where to write the hit-ratio chart.", valueName: "path.svg"))
  var chart = "cortado-tour.svg"

  func run() throws {
    try Tour.run(chartPath: chart, progress: ProgressBar()) { section in
      print(section, terminator: "")
    }
  }
}
