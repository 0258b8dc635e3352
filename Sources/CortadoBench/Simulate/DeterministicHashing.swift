#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Makes Swift's hashing the same in every process, so that a simulation
/// prints identical numbers on every run.
///
/// `Hasher` is seeded randomly per process, and ``Cortado/Cache`` uses key
/// hashes for its stripes, its hash index and W-TinyLFU's frequency sketch:
/// the same trace can give slightly different hit ratios in two runs. The
/// runtime reads `SWIFT_DETERMINISTIC_HASHING` once, before `main`, so
/// setting it later has no effect; the only remedy is to start again with it
/// set. The command does that first thing, by `execv`-ing itself.
package enum DeterministicHashing {
  /// The variable the Swift runtime reads.
  package static let environmentVariable = "SWIFT_DETERMINISTIC_HASHING"
  /// Set in the re-executed process, so that a failure can never loop.
  static let markerVariable = "CORTADO_REEXECUTED"

  /// Whether the runtime treats `value` as "on" (it accepts the usual
  /// spellings of true).
  package static func isEnabled(_ value: String?) -> Bool {
    guard let value else { return false }
    return ["1", "true", "yes", "on", "y", "t"].contains(value.lowercased())
  }

  /// Whether deterministic hashing is in effect in this process.
  package static var isInEffect: Bool {
    isEnabled(getenv(environmentVariable).map { String(cString: $0) })
  }

  /// Re-executes this program with deterministic hashing, unless it is
  /// already on. Returns only if no restart was needed, or with a warning if
  /// the restart failed (the program then runs with per-process hashing).
  package static func reexecuteIfNeeded() -> String? {
    if isInEffect { return nil }
    if getenv(markerVariable) != nil {
      return "warning: \(environmentVariable) did not take effect; hit ratios may vary slightly between runs"
    }
    setenv(environmentVariable, "1", 1)
    setenv(markerVariable, "1", 1)
    let arguments = CommandLine.arguments
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    #if os(Linux)
      execv("/proc/self/exe", &argv)
    #endif
    execvp(arguments[0], &argv)
    // Only reached if both execs failed.
    let reason = String(cString: strerror(errno))
    for pointer in argv { free(pointer) }
    unsetenv(environmentVariable)
    return
      "warning: could not restart with \(environmentVariable)=1 (\(reason)); hit ratios may vary slightly between runs"
  }
}
