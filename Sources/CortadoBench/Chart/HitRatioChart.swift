/// Renders hit ratio against capacity as a standalone SVG line chart.
///
/// One `<polyline class="series">` per policy (with `data-policy` naming
/// it), the optimum dashed, a legend, and axes with gridlines. Several panels
/// (one per trace) are laid out two to a row. The output is plain SVG 1.1
/// with no scripts or external fonts, so it renders on GitHub and in any
/// browser, and it is byte-for-byte reproducible.
package enum HitRatioChart {
  static let panelWidth = 600.0
  static let panelHeight = 380.0

  /// The SVG document for `panels`, with an optional overall title.
  package static func svg(panels: [ChartPanel], title: String? = nil) -> String {
    let columns = panels.count > 1 ? 2 : 1
    let rows = (panels.count + columns - 1) / columns
    let top = title == nil ? 0.0 : 36.0
    let width = panelWidth * Double(columns)
    let height = top + panelHeight * Double(max(1, rows))
    var svg = SVGWriter()
    svg.raw(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"Helvetica, Arial, sans-serif\">"
    )
    svg.raw("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
    if let title {
      svg.text(title, x: width / 2, y: 24, size: 16, anchor: "middle", weight: "bold")
    }
    for (index, panel) in panels.enumerated() {
      let x = Double(index % columns) * panelWidth
      let y = top + Double(index / columns) * panelHeight
      drawPanel(panel, into: &svg, originX: x, originY: y)
    }
    svg.raw("</svg>")
    return svg.output
  }

  private static func drawPanel(_ panel: ChartPanel, into svg: inout SVGWriter, originX: Double, originY: Double) {
    let plotLeft = originX + 62
    let plotRight = originX + 440
    let plotTop = originY + 52
    let plotBottom = originY + 320
    let capacities = Array(Set(panel.series.flatMap { $0.points.map(\.x) })).sorted()
    let xScale = ChartScale.capacities(capacities, from: plotLeft, to: plotRight)
    let maximum = panel.series.flatMap { $0.points.map(\.y) }.max() ?? 0
    let (ceiling, step) = ChartScale.ratioCeiling(maximum)
    let yScale = ChartScale(lower: 0, upper: ceiling, pixelLower: plotBottom, pixelUpper: plotTop, isLogarithmic: false)

    svg.raw("<g class=\"panel\">")
    svg.text(panel.title, x: (plotLeft + plotRight) / 2, y: originY + 24, size: 14, anchor: "middle", weight: "bold")
    if let subtitle = panel.subtitle {
      svg.text(subtitle, x: originX + panelWidth / 2, y: originY + 40, size: 10, anchor: "middle")
    }

    // Horizontal gridlines and hit-ratio labels.
    var tick = 0.0
    while tick <= ceiling + 1e-9 {
      let y = yScale.pixel(tick)
      svg.raw("<line x1=\"\(n(plotLeft))\" y1=\"\(n(y))\" x2=\"\(n(plotRight))\" y2=\"\(n(y))\" stroke=\"#e3e3e3\"/>")
      svg.text("\(Int((tick * 100).rounded()))%", x: plotLeft - 8, y: y + 4, size: 11, anchor: "end")
      tick += step
    }
    // Capacity ticks, skipping labels that would collide.
    var lastLabelX = -1e9
    for capacity in capacities {
      let x = xScale.pixel(Double(capacity))
      svg.raw(
        "<line x1=\"\(n(x))\" y1=\"\(n(plotBottom))\" x2=\"\(n(x))\" y2=\"\(n(plotBottom + 5))\" stroke=\"#555555\"/>")
      if x - lastLabelX >= 34 {
        svg.text(Format.compact(capacity), x: x, y: plotBottom + 19, size: 11, anchor: "middle")
        lastLabelX = x
      }
    }
    svg.raw(
      "<rect x=\"\(n(plotLeft))\" y=\"\(n(plotTop))\" width=\"\(n(plotRight - plotLeft))\" height=\"\(n(plotBottom - plotTop))\" fill=\"none\" stroke=\"#555555\"/>"
    )
    svg.text(
      panel.xLabel + (xScale.isLogarithmic ? ", log scale" : ""), x: (plotLeft + plotRight) / 2, y: plotBottom + 42,
      size: 12, anchor: "middle")
    svg.text("hit ratio", x: originX + 16, y: (plotTop + plotBottom) / 2, size: 12, anchor: "middle", rotate: -90)

    // The lines, then the legend.
    for (index, series) in panel.series.enumerated() {
      let color = SeriesStyle.color(for: series.name, index: index)
      let points = series.points.map { "\(n(xScale.pixel(Double($0.x)))),\(n(yScale.pixel($0.y)))" }.joined(
        separator: " ")
      let dash = series.isDashed ? " stroke-dasharray=\"7 5\"" : ""
      svg.raw(
        "<polyline class=\"series\" data-policy=\"\(SVGWriter.escaped(series.name))\" points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>"
      )
      for point in series.points {
        svg.raw(
          "<circle cx=\"\(n(xScale.pixel(Double(point.x))))\" cy=\"\(n(yScale.pixel(point.y)))\" r=\"2.5\" fill=\"\(color)\"/>"
        )
      }
      let legendY = plotTop + 10 + Double(index) * 20
      let legendX = plotRight + 16
      svg.raw(
        "<line x1=\"\(n(legendX))\" y1=\"\(n(legendY))\" x2=\"\(n(legendX + 26))\" y2=\"\(n(legendY))\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>"
      )
      svg.text(series.name, x: legendX + 32, y: legendY + 4, size: 12, anchor: "start")
    }
    svg.raw("</g>")
  }

  /// Coordinates with one decimal, so the file stays small and stable.
  private static func n(_ value: Double) -> String {
    let text = Format.fixed(value, digits: 1)
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }
}

/// Fixed colours per policy, so every chart reads the same way.
enum SeriesStyle {
  static func color(for name: String, index: Int) -> String {
    switch name {
    case "w-tinylfu": return "#1f77b4"
    case "lru": return "#d62728"
    case "lfu": return "#2ca02c"
    case "fifo": return "#9467bd"
    case "random": return "#8c564b"
    case "optimal", "optimal-heuristic": return "#111111"
    default:
      let palette = ["#ff7f0e", "#17becf", "#e377c2", "#7f7f7f", "#bcbd22"]
      return palette[index % palette.count]
    }
  }
}
