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

  @Option(
    name: .customLong("caffeine-jar"),
    help: ArgumentHelp(
      "Add Caffeine's row to each table (needs java; run from the package's root).", valueName: "path.jar"))
  var caffeineJar: String?

  func run() throws {
    let caffeine = try caffeineJar.map { try CaffeinePeer(jar: $0) }
    try Tour.run(chartPath: chart, caffeine: caffeine, progress: ProgressBar()) { section in
      print(section, terminator: "")
    }
  }
}
