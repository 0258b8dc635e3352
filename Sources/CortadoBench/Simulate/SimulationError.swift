/// Why a simulation could not run: bad options or an unusable trace.
package enum SimulationError: Error, Equatable, CustomStringConvertible {
  /// `--policy` named a policy that does not exist.
  case unknownPolicy(String)
  /// A capacity (or fraction) that is not a positive number.
  case invalidCapacity(String)
  /// The trace has no requests.
  case emptyTrace(String)
  /// The trace is too long for the optimum's 32-bit next-use table.
  case traceTooLongForOptimal(Int)
  /// The trace changed between the two passes the optimum needs.
  case traceChanged(firstPass: Int, secondPass: Int)

  package var description: String {
    switch self {
    case .unknownPolicy(let name):
      let known = SimulatedPolicy.all(seed: 0).map { $0.label(weighted: false) }
      return "unknown policy '\(name)'; expected a comma-separated list of: \(known.joined(separator: ", ")) (or all)"
    case .invalidCapacity(let text):
      return "capacity must be a positive number, got '\(text)'"
    case .emptyTrace(let source):
      return "the trace \(source) has no requests"
    case .traceTooLongForOptimal(let count):
      return
        "optimal supports at most \(NextUseTable.maximumLength) requests; this trace has \(count) or more (use --limit, or leave optimal out)"
    case .traceChanged(let first, let second):
      return "the trace changed while it was being read (\(first) requests in the first pass, \(second) in the second)"
    }
  }
}
