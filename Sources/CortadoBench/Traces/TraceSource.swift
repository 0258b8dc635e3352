/// Where a simulation's requests come from: a file or a generator.
///
/// A source can be opened any number of times, each time from the start:
/// the exact optimum needs two passes (one to learn next uses, one to
/// replay), and generators are seeded, so every pass sees the same requests.
package enum TraceSource: Sendable, Equatable, CustomStringConvertible {
  /// A trace file in a given format.
  case file(path: String, format: TraceFileFormat)
  /// A seeded synthetic trace.
  case synthetic(SyntheticSpec)

  /// Opens the source at its first request.
  package func makeReader() throws -> any TraceReader {
    switch self {
    case .file(let path, .text): return try TextTraceReader(path: path)
    case .file(let path, .csv(let options)): return try CSVTraceReader(path: path, options: options)
    case .file(let path, .oracleGeneral): return try OracleGeneralTraceReader(path: path)
    case .file(let path, .arc): return try ARCTraceReader(path: path)
    case .synthetic(let spec): return spec.makeReader()
    }
  }

  /// Whether requests carry object sizes.
  package var hasSizes: Bool {
    switch self {
    case .file(_, let format): return format.hasSizes
    case .synthetic: return false
    }
  }

  /// The number of requests, when known without reading: a generator's
  /// length, or an uncompressed binary trace's size over its record size.
  package var knownLength: Int? {
    switch self {
    case .synthetic(let spec):
      return spec.length
    case .file(let path, .oracleGeneral) where ByteSource.decompressor(for: path) == nil:
      return ByteSource.fileSize(path).map { $0 / OracleGeneralTraceReader.recordSize }
    case .file:
      return nil
    }
  }

  /// The capacities to use when none are given, if the source suggests any.
  package var defaultCapacities: [Int]? {
    if case .synthetic(let spec) = self { return spec.defaultCapacities }
    return nil
  }

  /// A short name for titles: the file name or the generator.
  package var shortName: String {
    switch self {
    case .file(let path, _):
      return path.split(separator: "/").last.map(String.init) ?? path
    case .synthetic(let spec):
      return spec.kind.rawValue
    }
  }

  package var description: String {
    switch self {
    case .file(let path, let format): return "\(path) (\(format.name))"
    case .synthetic(let spec): return "synthetic \(spec)"
    }
  }
}
