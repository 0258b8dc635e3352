/// One line of a chart: a policy's hit ratio at each capacity.
package struct ChartSeries: Sendable, Equatable {
  /// The legend label.
  package var name: String
  /// Drawn dashed (the offline optimum).
  package var isDashed: Bool
  /// `(capacity, hit ratio)` points, by ascending capacity.
  package var points: [ChartPoint]

  /// Creates a series.
  package init(name: String, isDashed: Bool, points: [ChartPoint]) {
    self.name = name
    self.isDashed = isDashed
    self.points = points
  }
}

/// A point of a ``ChartSeries``.
package struct ChartPoint: Sendable, Equatable {
  /// The capacity.
  package var x: Int
  /// The hit ratio, 0...1.
  package var y: Double

  /// Creates a point.
  package init(x: Int, y: Double) {
    self.x = x
    self.y = y
  }
}

/// One chart: a title, an x-axis label and its series.
package struct ChartPanel: Sendable, Equatable {
  /// The title above the plot.
  package var title: String
  /// A smaller line under the title (the trace's full description).
  package var subtitle: String?
  /// The x-axis label.
  package var xLabel: String
  /// The lines.
  package var series: [ChartSeries]

  /// Creates a panel.
  package init(title: String, subtitle: String? = nil, xLabel: String, series: [ChartSeries]) {
    self.title = title
    self.subtitle = subtitle
    self.xLabel = xLabel
    self.series = series
  }

  /// The panel for a simulation: one series per policy.
  package init(report: SimulationReport) {
    let series = report.policies.map { policy in
      let rows = report.results.filter { $0.policy == policy }.sorted { $0.capacity < $1.capacity }
      return ChartSeries(
        name: policy, isDashed: rows.first?.isOptimal ?? false,
        points: rows.map { ChartPoint(x: $0.capacity, y: $0.hitRatio) })
    }
    self.init(
      title: report.title, subtitle: report.source,
      xLabel: report.weighted ? "capacity (total size)" : "capacity (entries)", series: series)
  }
}
