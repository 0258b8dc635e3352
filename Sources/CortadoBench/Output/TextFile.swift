import Foundation

/// Writing result files (charts).
public enum TextFile {
  /// Writes `text` to `path`, replacing it; throws a message naming the path.
  public static func write(_ text: String, to path: String) throws {
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw TextFileError(path: path, reason: "\(error.localizedDescription)")
    }
  }
}

/// A result file that could not be written.
public struct TextFileError: Error, CustomStringConvertible {
  /// The file.
  public var path: String
  /// Why.
  public var reason: String

  public var description: String { "cannot write \(path): \(reason)" }
}

/// The path of the running executable, for re-running it as a child.
public enum ExecutablePath {
  /// `/proc/self/exe` resolved on Linux; otherwise the first argument.
  public static func current() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return resolved
    }
    return CommandLine.arguments[0]
  }
}
