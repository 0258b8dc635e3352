#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The raw bytes of a trace file, read in large blocks through C stdio.
///
/// Published traces are mostly distributed compressed (`.zst`, `.gz`); rather
/// than link a decompressor, such files are read through a pipe from the
/// system's `zstd -dc` or `gzip -dc`, so they stream like any other file.
final class ByteSource {
  let path: String
  /// The file's size in bytes, when it is read directly (not through a pipe).
  let totalBytes: Int?
  private(set) var bytesRead = 0
  private var file: UnsafeMutablePointer<FILE>?
  private let command: String?

  init(path: String) throws(TraceError) {
    self.path = path
    var info = stat()
    guard stat(path, &info) == 0 else {
      if errno == ENOENT { throw .fileNotFound(path: path) }
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw .unreadable(path: path, reason: "it is a directory") }

    if let tool = ByteSource.decompressor(for: path) {
      let command = "\(tool) -dc -- \(ByteSource.shellQuoted(path))"
      guard let pipe = popen(command, "r") else {
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      self.command = command
      file = pipe
      totalBytes = nil
    } else {
      guard let handle = fopen(path, "rb") else {
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      command = nil
      file = handle
      totalBytes = Int(info.st_size)
    }
  }

  deinit {
    if let file { _ = command == nil ? fclose(file) : pclose(file) }
  }

  /// Reads up to `count` bytes into `destination`; returns 0 at the end.
  func read(into destination: UnsafeMutableRawPointer, count: Int) throws(TraceError) -> Int {
    guard let file else { return 0 }
    let got = fread(destination, 1, count, file)
    if got == 0 {
      if ferror(file) != 0 { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
      try close()
    }
    bytesRead += got
    return got
  }

  /// Closes the file; for a pipe, reports a failed decompressor.
  private func close() throws(TraceError) {
    guard let file else { return }
    self.file = nil
    if let command {
      let status = pclose(file)
      // pclose returns a wait status; 0 means the decompressor exited cleanly.
      if status != 0 {
        let exitCode = (status >> 8) & 0xFF
        throw .decompressionFailed(path: path, command: command, status: exitCode)
      }
    } else {
      fclose(file)
    }
  }

  var fractionRead: Double? {
    guard let totalBytes else { return nil }
    return totalBytes == 0 ? 1 : min(1, Double(bytesRead) / Double(totalBytes))
  }

  /// The size of a regular file, or `nil`.
  static func fileSize(_ path: String) -> Int? {
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(info.st_size)
  }

  static func decompressor(for path: String) -> String? {
    if path.hasSuffix(".zst") || path.hasSuffix(".zstd") { return "zstd" }
    if path.hasSuffix(".gz") { return "gzip" }
    if path.hasSuffix(".xz") { return "xz" }
    return nil
  }

  /// Quotes a path for `/bin/sh`, so that any file name is passed verbatim.
  static func shellQuoted(_ text: String) -> String {
    var quoted = "'"
    for character in text {
      if character == "'" { quoted += "'\\''" } else { quoted.append(character) }
    }
    return quoted + "'"
  }
}
