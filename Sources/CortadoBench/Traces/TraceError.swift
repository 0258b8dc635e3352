/// Why a trace could not be read.
///
/// Every case prints as one line a user can act on: it names the file, and
/// for bad content the line (or binary record) where reading stopped.
package enum TraceError: Error, Equatable, CustomStringConvertible {
  /// No file at `path`.
  case fileNotFound(path: String)
  /// The file exists but could not be opened or read.
  case unreadable(path: String, reason: String)
  /// `--format` named no known format.
  case unknownFormat(String)
  /// A text line that does not fit the format (`line` counts from 1).
  case malformedLine(path: String, line: Int, reason: String)
  /// A binary trace whose length is not a whole number of records.
  case truncatedRecord(path: String, record: Int, bytes: Int, recordSize: Int)
  /// A `--synthetic` specification that could not be parsed.
  case invalidSyntheticSpec(String)
  /// `--weighted` was asked for, but the trace carries no object sizes.
  case noSizes(String)
  /// The decompressor for a compressed trace failed.
  case decompressionFailed(path: String, command: String, status: Int32)

  package var description: String {
    switch self {
    case .fileNotFound(let path):
      return "no such trace file: \(path)"
    case .unreadable(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .unknownFormat(let name):
      return
        "unknown trace format '\(name)'; expected one of: \(TraceFormatName.allCases.map(\.rawValue).joined(separator: ", "))"
    case .malformedLine(let path, let line, let reason):
      return "\(path):\(line): \(reason)"
    case .truncatedRecord(let path, let record, let bytes, let recordSize):
      return
        "\(path): record \(record) is truncated (\(bytes) of \(recordSize) bytes); the file is not a whole number of records"
    case .invalidSyntheticSpec(let message):
      return "invalid --synthetic specification: \(message)"
    case .noSizes(let source):
      return "--weighted needs object sizes, and \(source) has none (use oracle-general, or csv with --size-column)"
    case .decompressionFailed(let path, let command, let status):
      return "decompressing \(path) with `\(command)` failed (exit status \(status)); is it installed?"
    }
  }
}
