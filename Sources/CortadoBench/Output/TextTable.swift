/// A table printed with aligned columns, or as Markdown.
package struct TextTable: Sendable {
  /// How a column's cells line up.
  package enum Alignment: Sendable { case left, right }

  /// Column titles.
  package var headers: [String]
  /// Per-column alignment (text left, numbers right).
  package var alignments: [Alignment]
  /// The cells, row by row.
  package var rows: [[String]] = []

  /// Creates an empty table; columns after the first are right-aligned
  /// unless `alignments` says otherwise.
  package init(headers: [String], alignments: [Alignment]? = nil) {
    self.headers = headers
    self.alignments = alignments ?? [.left] + Array(repeating: .right, count: max(0, headers.count - 1))
  }

  /// Appends a row.
  package mutating func append(_ row: [String]) {
    rows.append(row)
  }

  /// The table with space-padded columns and a rule under the header.
  package func rendered() -> String {
    let widths = headers.indices.map { column in
      ([headers[column]] + rows.map { column < $0.count ? $0[column] : "" }).map(\.count).max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      headers.indices.map { column -> String in
        let cell = column < cells.count ? cells[column] : ""
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        return alignments[column] == .left ? cell + padding : padding + cell
      }.joined(separator: "  ").trailingSpacesRemoved
    }
    var lines = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
    lines += rows.map(line)
    return lines.joined(separator: "\n") + "\n"
  }

  /// The table as GitHub-flavoured Markdown.
  package func markdown() -> String {
    func line(_ cells: [String]) -> String {
      "| " + headers.indices.map { $0 < cells.count ? cells[$0] : "" }.joined(separator: " | ") + " |"
    }
    let rule = "|" + alignments.map { $0 == .left ? "---|" : "---:|" }.joined()
    return ([line(headers), rule] + rows.map(line)).joined(separator: "\n") + "\n"
  }
}

extension String {
  fileprivate var trailingSpacesRemoved: String {
    var text = self[...]
    while text.last == " " { text = text.dropLast() }
    return String(text)
  }
}
