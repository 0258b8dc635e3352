/// A one-line progress display on standard error, for long runs.
///
/// It draws only when standard error is a terminal, at most ten times a
/// second, and erases itself when a phase finishes; when standard error is
/// redirected it writes nothing at all, so logs and pipes stay clean.
package final class ProgressBar {
  /// Whether anything is drawn.
  package let isEnabled: Bool
  private var label = ""
  private var total: Int?
  private var unit = "requests"
  private var started: UInt64 = 0
  private var lastDrawn: UInt64 = 0
  private var drewSomething = false

  /// Creates a bar; by default enabled exactly when standard error is a
  /// terminal.
  package init(enabled: Bool = StandardError.isTerminal) {
    isEnabled = enabled
  }

  /// A bar that never draws.
  package static var disabled: ProgressBar { ProgressBar(enabled: false) }

  /// Starts a phase; `total` is the count that means "done", if known.
  package func begin(_ label: String, total: Int?, unit: String = "requests") {
    self.label = label
    self.total = total
    self.unit = unit
    started = monotonicNanoseconds()
    lastDrawn = 0
  }

  /// Reports progress: the count of work done, and the fraction of the input
  /// read (used when the phase has no known total).
  package func update(fraction: Double?, count: Int) {
    guard isEnabled else { return }
    let now = monotonicNanoseconds()
    guard now - lastDrawn >= 100_000_000 else { return }
    lastDrawn = now
    // A known total is exact; the reader's fraction (bytes read) is the
    // fallback, and would mislead when only a prefix is replayed.
    let share = total.map { $0 == 0 ? 1 : min(1, Double(count) / Double($0)) } ?? fraction
    let seconds = Double(now - started) / 1e9
    var line = "\r\u{1B}[2K" + label + " "
    if let share {
      let width = 30
      let filled = max(0, min(width, Int(share * Double(width))))
      line += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
      line += "\(Int((share * 100).rounded(.down)))% "
    }
    line += "\(Format.grouped(count)) \(unit), \(Format.fixed(seconds, digits: 1)) s"
    StandardError.write(line)
    drewSomething = true
  }

  /// Ends the phase and erases the line.
  package func finish() {
    guard isEnabled, drewSomething else { return }
    StandardError.write("\r\u{1B}[2K")
    drewSomething = false
  }
}
