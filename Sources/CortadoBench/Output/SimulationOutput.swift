/// Prints a ``SimulationReport`` as a table or as JSON.
package enum SimulationOutput {
  /// The JSON array `--json` prints: one object per policy and capacity with
  /// exactly the keys `policy`, `capacity`, `requests`, `hits`, `hitRatio`.
  package static func json(_ report: SimulationReport) -> String {
    JSONValue.array(report.results.map(jsonObject)).lines
  }

  /// One result as a JSON object.
  package static func jsonObject(_ result: SimulationResult) -> JSONValue {
    .object([
      ("policy", .string(result.policy)),
      ("capacity", .int(result.capacity)),
      ("requests", .int(result.requests)),
      ("hits", .int(result.hits)),
      ("hitRatio", .double(result.hitRatio)),
    ])
  }

  /// A summary line and a table of hit ratios: one row per policy, one
  /// column per capacity. Identical inputs give identical text.
  package static func table(_ report: SimulationReport, markdown: Bool = false) -> String {
    var summary = "Trace: \(report.source): \(Format.grouped(report.requests)) requests"
    if let distinct = report.distinctKeys { summary += ", \(Format.grouped(distinct)) distinct keys" }
    let unit = report.weighted ? "total size" : "entries"
    summary += "\nHit ratio (%) by capacity (\(unit)); read-through, every request a get, a miss inserts.\n"

    var table = TextTable(headers: ["policy"] + report.capacities.map { Format.grouped($0) })
    for policy in report.policies {
      table.append(
        [policy]
          + report.capacities.map { capacity in
            report.result(policy: policy, capacity: capacity).map { Format.percent($0.hitRatio) } ?? "–"
          })
    }
    var text = summary + (markdown ? "\n" + table.markdown() : table.rendered())
    if report.policies.contains("optimal-heuristic") {
      text +=
        "optimal-heuristic: Belady's rule with sizes (evict the farthest next use until the object fits); not a strict bound.\n"
    }
    return text
  }
}
