import Foundation

/// Writing result files (charts).
package enum TextFile {
  /// Writes `text` to `path`, replacing it; throws a message naming the path.
  package static func write(_ text: String, to path: String) throws {
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw TextFileError(path: path, reason: "\(error.localizedDescription)")
    }
  }
}

/// A result file that could not be written.
package struct TextFileError: Error, CustomStringConvertible {
  /// The file.
  package var path: String
  /// Why.
  package var reason: String

  package var description: String { "cannot write \(path): \(reason)" }
}

/// The path of the running executable, for re-running it as a child.
package enum ExecutablePath {
  /// `/proc/self/exe` resolved on Linux; otherwise the first argument.
  package static func current() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return resolved
    }
    return CommandLine.arguments[0]
  }
}
