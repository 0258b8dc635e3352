import Testing

@testable import CortadoBench

@Suite("Text and ARC trace readers")
struct TextAndARCReaderTests {
  @Test("text: one key per line, blank lines skipped, whitespace and CR trimmed, no final newline needed")
  func textReader() throws {
    let file = try TemporaryFile("alpha\n\n  beta \r\nalpha\n\t\ngamma with spaces")
    let requests = try readAll(try TextTraceReader(path: file.path))
    #expect(requests.map(\.key) == [key("alpha"), key("beta"), key("alpha"), key("gamma with spaces")])
    #expect(requests.allSatisfy { $0.size == 1 })
  }

  @Test("text: an empty file has no requests")
  func emptyText() throws {
    let file = try TemporaryFile("")
    #expect(try readAll(try TextTraceReader(path: file.path)).isEmpty)
  }

  @Test("text: a line longer than the read buffer is read whole")
  func longLine() throws {
    let long = String(repeating: "x", count: 3 << 20)
    let file = try TemporaryFile("a\n\(long)\nb\n")
    #expect(try readAll(try TextTraceReader(path: file.path)).map(\.key) == [key("a"), key(long), key("b")])
  }

  @Test("a missing file is reported by name")
  func missingFile() throws {
    let error = #expect(throws: TraceError.self) { try TextTraceReader(path: "/nonexistent/trace.txt") }
    #expect(error == .fileNotFound(path: "/nonexistent/trace.txt"))
    #expect(error?.description == "no such trace file: /nonexistent/trace.txt")
  }

  @Test("a directory is not a trace")
  func directory() throws {
    let error = #expect(throws: TraceError.self) { try TextTraceReader(path: "/tmp") }
    #expect(error == .unreadable(path: "/tmp", reason: "it is a directory"))
  }

  @Test("format names, including libCacheSim's spellings; unknown ones are errors")
  func formatNames() throws {
    #expect(try TraceFormatName(parsing: "oracleGeneral") == .oracleGeneral)
    #expect(try TraceFormatName(parsing: "oracle-general") == .oracleGeneral)
    #expect(try TraceFormatName(parsing: "CSV") == .csv)
    #expect(try TraceFormatName(parsing: "arc") == .arc)
    let error = #expect(throws: TraceError.self) { try TraceFormatName(parsing: "parquet") }
    #expect(error == .unknownFormat("parquet"))
    #expect(error?.description.contains("text, csv, oracle-general, arc") == true)
  }

  @Test("arc: each line is a run of consecutive blocks; extra fields and blank lines ignored")
  func arcReader() throws {
    let file = try TemporaryFile("0 3 0 0\n\n10 2 0 1\n7 1\n")
    let requests = try readAll(try ARCTraceReader(path: file.path))
    #expect(requests.map(\.key) == [0, 1, 2, 10, 11, 7])
  }

  @Test(
    "arc: malformed lines are reported with their line numbers",
    arguments: [
      ("0 1 0 0\n5 x 0 0\n", 2),
      ("0 1 0 0\n\n7\n", 3),
      ("1 0 0 0\n", 1),
      ("-4 2 0 0\n", 1),
      ("0 1 0 0\n2 99999999999999999999999 0 0\n", 2),
    ])
  func arcMalformed(text: String, line: Int) throws {
    let file = try TemporaryFile(text)
    let reader = try ARCTraceReader(path: file.path)
    let error = #expect(throws: TraceError.self) { try readAll(reader) }
    #expect(malformedLine(error) == line)
    #expect(error?.description.hasPrefix("\(file.path):\(line): ") == true)
  }

  @Test(
    "gzip-compressed traces are read through gzip",
    .enabled(if: FileManagerCheck.executableExists("gzip")))
  func gzipTrace() throws {
    let plain = try TemporaryFile("a\nb\na\n", suffix: ".txt")
    #expect(FileManagerCheck.run("gzip", ["-k", plain.path]) == 0)
    let compressed = plain.path + ".gz"
    defer { FileManagerCheck.remove(compressed) }
    let reader = try TextTraceReader(path: compressed)
    #expect(try readAll(reader).map(\.key) == [key("a"), key("b"), key("a")])
    #expect(reader.fractionRead == nil)
  }
}
