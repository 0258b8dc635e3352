import Foundation

@testable import CortadoBench

/// A file in the temporary directory, removed when the value is released.
final class TemporaryFile {
  let path: String

  init(bytes: [UInt8], suffix: String = ".trace") throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("cortado-test-\(UUID().uuidString)\(suffix)").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  convenience init(_ text: String, suffix: String = ".trace") throws {
    try self.init(bytes: Array(text.utf8), suffix: suffix)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Every request a reader yields.
func readAll(_ reader: any TraceReader) throws -> [TraceRequest] {
  var requests: [TraceRequest] = []
  while let request = try reader.next() { requests.append(request) }
  return requests
}

/// The key a text or CSV trace gives a string.
func key(_ text: String) -> UInt64 { StableHash.hash(text) }

/// The line number in a malformed-line error, or nil for any other error.
func malformedLine(_ error: (any Error)?) -> Int? {
  if case .malformedLine(_, let line, _)? = error as? TraceError { return line }
  return nil
}
