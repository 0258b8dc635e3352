import Foundation
import Testing

@testable import CortadoBench

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite("Tables, JSON and charts")
struct OutputTests {
  static func report() throws -> SimulationReport {
    let spec = try SyntheticSpec(parsing: "zipf:keys=500,length=5000")
    return try Simulator.run(
      SimulationConfiguration(
        source: .synthetic(spec), policies: SimulatedPolicy.all(seed: 1), capacities: .counts([10, 50, 100])))
  }

  @Test("--json is an array of {policy, capacity, requests, hits, hitRatio} with the right types")
  func jsonShape() throws {
    let report = try Self.report()
    let text = SimulationOutput.json(report)
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
    let array = try #require(parsed as? [[String: Any]])
    #expect(array.count == 6 * 3)
    for object in array {
      #expect(Set(object.keys) == ["policy", "capacity", "requests", "hits", "hitRatio"])
      let policy = try #require(object["policy"] as? String)
      let capacity = try #require(object["capacity"] as? Int)
      let requests = try #require(object["requests"] as? Int)
      let hits = try #require(object["hits"] as? Int)
      let ratio = try #require(object["hitRatio"] as? Double)
      #expect(report.policies.contains(policy))
      #expect([10, 50, 100].contains(capacity))
      #expect(requests == 5000)
      #expect(hits >= 0 && hits <= requests)
      #expect(abs(ratio - Double(hits) / Double(requests)) < 1e-12)
    }
    #expect(text.hasPrefix("[\n  {\"policy\": \"w-tinylfu\", \"capacity\": 10, \"requests\": 5000, \"hits\": "))
  }

  @Test("JSON strings are escaped")
  func escaping() throws {
    let value = JSONValue.object([("text", .string("quote \" backslash \\ newline \n bell \u{07}"))])
    let parsed = try JSONSerialization.jsonObject(with: Data(value.compact.utf8)) as? [String: String]
    #expect(parsed?["text"] == "quote \" backslash \\ newline \n bell \u{07}")
    #expect(JSONValue.double(.infinity).compact == "null")
  }

  @Test("the table has a row per policy and a column per capacity, aligned")
  func table() throws {
    let report = try Self.report()
    let text = SimulationOutput.table(report)
    let lines = text.split(separator: "\n").map(String.init)
    let header = try #require(lines.first { $0.hasPrefix("policy") })
    #expect(header.split(separator: " ") == ["policy", "10", "50", "100"])
    let rows = lines.filter { line in report.policies.contains { line.hasPrefix($0 + " ") } }
    #expect(rows.count == 6)
    #expect(Set(rows.map(\.count)).count == 1)  // every row the same width
    #expect(SimulationOutput.table(report, markdown: true).contains("| policy | 10 | 50 | 100 |"))
  }

  @Test("the SVG has one polyline per policy, and only the optimum is dashed")
  func svg() throws {
    let report = try Self.report()
    let svg = HitRatioChart.svg(panels: [ChartPanel(report: report)])
    let lines = svg.split(separator: "\n").filter { $0.hasPrefix("<polyline class=\"series\"") }
    #expect(lines.count == report.policies.count)
    for policy in report.policies {
      let line = try #require(lines.first { $0.contains("data-policy=\"\(policy)\"") })
      #expect(line.contains("stroke-dasharray") == (policy == "optimal"))
      // Three capacities, three points.
      let points = line.split(separator: "\"").drop { !$0.hasSuffix("points=") }.dropFirst().first
      #expect(points?.split(separator: " ").count == 3)
    }
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.hasSuffix("</svg>\n"))
    // Well-formed XML.
    _ = try XMLDocument(data: Data(svg.utf8))
  }

  @Test("several panels, one per trace, with text escaped")
  func panels() throws {
    let panel = ChartPanel(
      title: "a <b> & c", xLabel: "capacity",
      series: [
        ChartSeries(name: "lru", isDashed: false, points: [ChartPoint(x: 1, y: 0.1), ChartPoint(x: 2, y: 0.2)])
      ])
    let svg = HitRatioChart.svg(panels: [panel, panel, panel], title: "t")
    #expect(svg.components(separatedBy: "<g class=\"panel\">").count == 4)
    #expect(svg.contains("a &lt;b&gt; &amp; c"))
    _ = try XMLDocument(data: Data(svg.utf8))
  }

  @Test("number formats do not depend on the locale")
  func formats() {
    #expect(Format.grouped(1_234_567) == "1,234,567")
    #expect(Format.grouped(-1_000) == "-1,000")
    #expect(Format.grouped(999) == "999")
    #expect(Format.fixed(12.345, digits: 2) == "12.35")
    #expect(Format.fixed(0.05, digits: 1) == "0.1")
    #expect(Format.fixed(-1.25, digits: 1) == "-1.3")
    #expect(Format.fixed(3, digits: 0) == "3")
    #expect(Format.percent(0.41234) == "41.23")
    #expect(Format.compact(500) == "500")
    #expect(Format.compact(2_000) == "2k")
    #expect(Format.compact(1_500) == "1.5k")
    #expect(Format.compact(20_000) == "20k")
    #expect(Format.compact(1_000_000) == "1M")
    #expect(Format.rate(12_345_678) == "12.35 M")
  }
}
