/// Reads a CSV trace: one request per line, the key in one column and
/// optionally the object size in another.
///
/// Fields follow RFC 4180 within a line: a field may be quoted with `"`, and
/// `""` inside quotes is a literal quote. Unquoted fields are taken verbatim
/// (spaces included). Blank lines are skipped. A line that lacks the key
/// column, has an empty key, an unterminated quote, or a size that is not a
/// non-negative integer is an error naming its line number.
package final class CSVTraceReader: TraceReader {
  private let reader: BufferedReader
  private let options: CSVOptions

  /// Opens `path`.
  package init(path: String, options: CSVOptions) throws {
    precondition(options.keyColumn >= 1, "columns count from 1")
    self.options = options
    reader = BufferedReader(source: try ByteSource(path: path))
  }

  package var fractionRead: Double? { reader.fractionRead }

  package func next() throws -> TraceRequest? {
    while true {
      guard
        let request = try reader.nextLine({ line throws -> TraceRequest? in
          if options.hasHeader && reader.count == 1 { return nil }
          if ASCII.trimmed(line).isEmpty { return nil }
          return try parse(line, lineNumber: reader.count)
        })
      else { return nil }
      if let request { return request }
    }
  }

  private func parse(_ line: UnsafeRawBufferPointer, lineNumber: Int) throws -> TraceRequest {
    let path = reader.path
    func malformed(_ reason: String) -> TraceError {
      .malformedLine(path: path, line: lineNumber, reason: reason)
    }
    var key: UInt64?
    var size: UInt64?
    var column = 1
    var index = 0
    let lastNeeded = max(options.keyColumn, options.sizeColumn ?? 0)

    while column <= lastNeeded {
      var hasher = StableHash()
      var digits: UInt64 = 0
      var digitsValid = true
      var sawDigit = false
      var fieldLength = 0
      let isKey = column == options.keyColumn
      let isSize = column == options.sizeColumn

      func take(_ byte: UInt8) {
        fieldLength += 1
        if isKey { hasher.combine(byte) }
        if isSize {
          if byte >= 0x30 && byte <= 0x39 {
            let (times10, o1) = digits.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - 0x30))
            digits = sum
            if o1 || o2 { digitsValid = false }
            sawDigit = true
          } else if !ASCII.isSpace(byte) || sawDigit {
            digitsValid = false
          }
        }
      }

      if index < line.count && line[index] == UInt8(ascii: "\"") {
        // Quoted field: runs to the closing quote; "" is an escaped quote.
        index += 1
        var closed = false
        while index < line.count {
          let byte = line[index]
          index += 1
          if byte == UInt8(ascii: "\"") {
            if index < line.count && line[index] == UInt8(ascii: "\"") {
              take(byte)
              index += 1
            } else {
              closed = true
              break
            }
          } else {
            take(byte)
          }
        }
        guard closed else { throw malformed("unterminated quoted field in column \(column)") }
        if index < line.count && line[index] != options.delimiter {
          throw malformed("unexpected character after the closing quote of column \(column)")
        }
      } else {
        while index < line.count && line[index] != options.delimiter {
          take(line[index])
          index += 1
        }
      }

      if isKey {
        guard fieldLength > 0 else { throw malformed("the key (column \(column)) is empty") }
        key = hasher.value
      }
      if isSize {
        guard digitsValid && sawDigit, digits <= UInt64(UInt32.max) else {
          throw malformed("the size (column \(column)) is not an integer between 0 and \(UInt32.max)")
        }
        size = digits
      }

      if column < lastNeeded {
        guard index < line.count else {
          throw malformed("has \(column) column\(column == 1 ? "" : "s"), but column \(lastNeeded) is needed")
        }
        index += 1  // the delimiter
      }
      column += 1
    }
    return TraceRequest(key: key!, size: UInt32(size ?? 1))
  }
}
