#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writing to standard error, which carries progress and warnings so that
/// standard output holds only results (and stays parseable with `--json`).
package enum StandardError {
  /// Writes `text` unbuffered.
  package static func write(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = Glibc_write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
        if written <= 0 { return }
        offset += written
      }
    }
  }

  /// Whether standard error is a terminal (and can show a progress bar).
  package static var isTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}

/// `write(2)`, named apart from the method above.
// swift-format-ignore: AlwaysUseLowerCamelCase
@inline(__always)
private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
