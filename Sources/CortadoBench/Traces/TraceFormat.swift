/// The names `--format` accepts.
package enum TraceFormatName: String, CaseIterable, Sendable {
  /// One key per line.
  case text
  /// One request per line, the key in a chosen column.
  case csv
  /// libCacheSim's 24-byte binary records.
  case oracleGeneral = "oracle-general"
  /// The ARC/LIRS block-range format.
  case arc

  /// Parses a format name, accepting libCacheSim's spellings too
  /// (`oracleGeneral`, `oracle_general`).
  package init(parsing name: String) throws(TraceError) {
    switch name.lowercased() {
    case "text", "txt", "plain", "lirs": self = .text
    case "csv": self = .csv
    case "oracle-general", "oraclegeneral", "oracle_general", "oracle": self = .oracleGeneral
    case "arc": self = .arc
    default: throw .unknownFormat(name)
    }
  }
}

/// How to read a CSV trace.
package struct CSVOptions: Sendable, Equatable {
  /// The 1-based column holding the key.
  package var keyColumn: Int
  /// The 1-based column holding the object size, if any.
  package var sizeColumn: Int?
  /// The field separator (one ASCII byte).
  package var delimiter: UInt8
  /// Whether the first line is a header to skip.
  package var hasHeader: Bool

  /// Creates CSV options; columns count from 1, like `cut -f`.
  package init(
    keyColumn: Int = 1, sizeColumn: Int? = nil, delimiter: UInt8 = UInt8(ascii: ","), hasHeader: Bool = false
  ) {
    self.keyColumn = keyColumn
    self.sizeColumn = sizeColumn
    self.delimiter = delimiter
    self.hasHeader = hasHeader
  }
}

/// A trace file's format, with its options.
package enum TraceFileFormat: Sendable, Equatable {
  /// One key per line; any string; blank lines ignored.
  case text
  /// Comma-separated values with the key in one column.
  case csv(CSVOptions)
  /// libCacheSim `oracleGeneral`: little-endian records of uint32 timestamp,
  /// uint64 object id, uint32 size, int64 next access (24 bytes).
  case oracleGeneral
  /// The ARC/LIRS trace format: `start count ignore ignore` per line, each
  /// line a run of `count` consecutive blocks.
  case arc

  /// Whether requests carry real object sizes (needed by `--weighted`).
  package var hasSizes: Bool {
    switch self {
    case .oracleGeneral: return true
    case .csv(let options): return options.sizeColumn != nil
    case .text, .arc: return false
    }
  }

  /// The format's `--format` name.
  package var name: String {
    switch self {
    case .text: return TraceFormatName.text.rawValue
    case .csv: return TraceFormatName.csv.rawValue
    case .oracleGeneral: return TraceFormatName.oracleGeneral.rawValue
    case .arc: return TraceFormatName.arc.rawValue
    }
  }
}
