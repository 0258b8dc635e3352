import Foundation

/// Small process helpers for tests that need system tools.
enum FileManagerCheck {
  static func path(of tool: String) -> String? {
    for directory in ["/usr/bin", "/bin", "/usr/local/bin"] {
      let candidate = directory + "/" + tool
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  static func executableExists(_ tool: String) -> Bool { path(of: tool) != nil }

  /// Runs a tool and returns its exit status (-1 if it could not start).
  static func run(_ tool: String, _ arguments: [String]) -> Int32 {
    guard let path = path(of: tool) else { return -1 }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    do { try process.run() } catch { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
  }

  static func remove(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
  }
}
