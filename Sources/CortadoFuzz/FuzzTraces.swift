#if Fuzz
  import CortadoBench
  #if canImport(Glibc)
    import Glibc
  #elseif canImport(Darwin)
    import Darwin
  #endif

  /// A file the trace readers read: they take paths (and stream through
  /// stdio), so each input is written to it first.
  let traceFile: String = {
    let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    return "\(directory)/cortado-fuzz-trace-\(getpid())"
  }()

  /// Every trace reader on the same bytes, to its end or its first error: a
  /// hostile trace file gets an error, never a crash.
  func fuzzTraces(_ bytes: [UInt8]) {
    var reader = ByteReader(bytes)
    let options = reader.byte()
    let input = reader.rest()
    guard let file = fopen(traceFile, "wb") else { return }
    _ = input.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    let csv = CSVOptions(
      keyColumn: Int(options & 3) + 1,
      sizeColumn: options & 4 != 0 ? Int((options >> 3) & 3) + 1 : nil,
      delimiter: options & 0x20 != 0 ? UInt8(ascii: "\t") : UInt8(ascii: ","),
      hasHeader: options & 0x40 != 0)
    let makers: [() throws -> any TraceReader] = [
      { try TextTraceReader(path: traceFile) },
      { try CSVTraceReader(path: traceFile, options: csv) },
      { try OracleGeneralTraceReader(path: traceFile) },
      { try ARCTraceReader(path: traceFile) },
    ]
    for make in makers {
      guard let trace = try? make() else { continue }
      var count = 0
      while count < 1_000_000, let request = try? trace.next() {
        _ = request
        count += 1
      }
    }
  }
#endif
